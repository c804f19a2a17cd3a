"""Kill a nova-compute process while it builds: what it was running and what waited.

One compute host with two RPC workers and a one-second spawn.  Six boots: two
run, two more are prefetched by the process (unacknowledged: ``basic.qos`` lets
it hold as many as it has workers) and two wait in ``compute.compute-1``.
``kill -9`` mid-spawn: the broker puts the two prefetched ones back, so four
wait.  Start it again: the four are delivered and build; the two that were
running are found by ``init_host`` and set to ERROR, as nova does.  Every
server is accounted for.
"""
import time

import pytest

from labkit.cluster import Cluster
from labkit.client import Client
from broker import broker_url

SPAWN = 1.0


@pytest.fixture(scope="module")
def slow():
    lab = Cluster(computes=1, seed=2, transport=broker_url(), compute_workers=2,
                  virt_delays={"spawn": SPAWN}, quota_instances=100, quota_cores=200,
                  quota_ram=10**6)
    try:
        yield lab
    finally:
        lab.stop()


def _task_states(client, ids):
    return [client.show(sid)["OS-EXT-STS:task_state"] for sid in ids]


def test_kill_mid_build_loses_nothing(slow):
    client = Client(slow)
    ids = [client.boot(name=f"r{i}", check=False)["id"] for i in range(6)]
    deadline = time.monotonic() + 20
    while not (slow.queue_depths()["compute.compute-1"] == 2
               and _task_states(client, ids).count("spawning") == 2):
        assert time.monotonic() < deadline, (slow.queue_depths(), _task_states(client, ids))
        time.sleep(0.02)
    running = [sid for sid, state in zip(ids, _task_states(client, ids)) if state == "spawning"]

    slow.kill("nova-compute@compute-1")
    deadline = time.monotonic() + 10
    while slow.queue_depths()["compute.compute-1"] != 4:      # the prefetched two come back
        assert time.monotonic() < deadline, slow.queue_depths()
        time.sleep(0.02)
    slow.restart("nova-compute@compute-1")

    final = {sid: client.wait_for(sid, ("ACTIVE", "ERROR"), timeout=30)[0] for sid in ids}
    errored = sorted(sid for sid, server in final.items() if server["status"] == "ERROR")
    assert errored == sorted(running)                # the two it was building when killed
    assert sum(s["status"] == "ACTIVE" for s in final.values()) == 4
    assert slow.queue_depths()["compute.compute-1"] == 0
    servers = client.get("/servers/detail").json()["servers"]
    assert sorted(s["id"] for s in servers) == sorted(ids)
    assert not [s for s in servers if s["status"] == "BUILD"]
