"""Live migration on the multi-process lab, and a source killed in the middle of one.

Every hop crosses RabbitMQ between processes: the conductor's calls to both computes,
the cast to the source on topic compute-alt and the source's calls to the destination.
Then compute-1's process dies (``kill -9``) while a live migration from it is running
(its hypervisor takes seconds to copy the guest: ``virt_delays``); the new process's
init_host finds the server still ``migrating`` on it and resets it, as nova's
_reset_live_migration does: the migration in error, the task cleared, the server where it
was.  As in nova, the allocations stay as the migration left them.
"""
import time

import pytest

from labkit.cluster import Cluster
from labkit.client import Client
from broker import broker_url

LIVE = {"os-migrateLive": {"host": None, "block_migration": "auto"}}


@pytest.fixture(scope="module")
def pair():
    lab = Cluster(computes=2, seed=7, transport=broker_url(),
                  virt_delays={"live_migration": 3.0})
    try:
        yield lab
    finally:
        lab.stop()


def _boot_on(lab, admin, host):
    resp = admin.post("/servers", json={"server": {
        "name": "mover", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
        "flavorRef": "42", "availability_zone": f"nova:{host}",
        "networks": [{"uuid": "b745b2c6-db16-40ab-8ad7-af6da0e5e699"}]}})
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    admin.wait_for(server_id, "ACTIVE", timeout=30)
    return server_id


def _held(lab, admin, consumer):
    placement = lab.endpoints["placement"]
    names = {rp["uuid"]: rp["name"] for rp in admin.get(
        f"{placement}/resource_providers").json()["resource_providers"]}
    held = admin.get(f"{placement}/allocations/{consumer}").json()["allocations"]
    return sorted(names[rp] for rp in held)


def test_live_migration_across_processes(pair):
    admin = Client(pair, "admin", microversion="2.80")
    server_id = _boot_on(pair, admin, "compute-1")
    assert admin.server_action(server_id, LIVE).status_code == 202
    server, _ = admin.wait_for(server_id, "ACTIVE", timeout=30)
    assert server["OS-EXT-SRV-ATTR:host"] == "compute-2"
    # the destination saves ACTIVE on its host before the source marks the record completed
    # and drops the migration's allocation (nova's _post_live_migration): wait for those too
    deadline = time.monotonic() + 30
    while True:
        (migration,) = admin.get(
            f"/os-migrations?instance_uuid={server_id}").json()["migrations"]
        done = migration["status"] == "completed" and not _held(pair, admin, migration["uuid"])
        if done or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert (migration["status"], migration["source_compute"], migration["dest_compute"]) == (
        "completed", "compute-1", "compute-2")
    assert _held(pair, admin, server_id) == ["compute-2"]
    assert _held(pair, admin, migration["uuid"]) == []
    admin.send("DELETE", f"/servers/{server_id}")


def test_a_source_killed_mid_migration_resets_it_when_it_comes_back(pair):
    admin = Client(pair, "admin", microversion="2.80")
    server_id = _boot_on(pair, admin, "compute-1")
    assert admin.server_action(server_id, LIVE).status_code == 202
    deadline = time.monotonic() + 20
    while True:
        running = admin.get(f"/servers/{server_id}/migrations").json()["migrations"]
        if running and running[0]["status"] == "running":
            break
        assert time.monotonic() < deadline, running
        time.sleep(0.05)
    pair.kill("nova-compute@compute-1")
    pair.restart("nova-compute@compute-1")
    server = admin.show(server_id)
    assert (server["status"], server["OS-EXT-STS:task_state"],
            server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", None, "compute-1")
    record = admin.get(f"/os-migrations?instance_uuid={server_id}").json()["migrations"][0]
    assert record["status"] == "error"
    assert admin.get(f"/servers/{server_id}/migrations").json() == {"migrations": []}
    # nova's reset leaves placement as the migration left it
    assert _held(pair, admin, server_id) == ["compute-2"]
    assert _held(pair, admin, record["uuid"]) == ["compute-1"]
