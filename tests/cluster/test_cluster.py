"""The multi-process lab: every service its own OS process, RPC through RabbitMQ.

The same boot, shelve and unshelve as the embedded lab, over the same HTTP;
the trace collected from every process; and the faults only processes have:
a killed nova-compute whose casts wait in its queue until it is back, and a
killed nova-scheduler whose call times out.
"""
import os
import time
import urllib.parse

import pytest

from labkit.client import Client
from waits import wait_for_fault


@pytest.fixture(scope="module")
def client(cluster):
    return Client(cluster)


def _boot(client, name, **kw):
    return client.boot(name=name, **kw, check=False)["id"]


def test_every_service_is_its_own_process(cluster):
    pids = {node: cluster.pid(node) for node in cluster.nodes}
    assert len(set(pids.values())) == len(cluster.nodes) == 9
    assert os.getpid() not in pids.values()
    for node, pid in pids.items():
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
        assert b"service" in argv and node.encode() in argv


def test_boot_shelve_unshelve(cluster, client):
    sid = _boot(client, "mp-1")
    server, seen = client.wait_for(sid, "ACTIVE", timeout=30)
    assert server["addresses"]["private"][0]["addr"].startswith("192.168.1.")
    assert ("BUILD", "building", "scheduling", 0) in seen or seen[0][0] == "BUILD"
    assert client.server_action(sid, {"shelve": None}).status_code == 202
    server, _ = client.wait_for(sid, "SHELVED_OFFLOADED", timeout=30)
    assert server["OS-EXT-STS:vm_state"] == "shelved_offloaded"
    assert client.server_action(sid, {"unshelve": None}).status_code == 202
    server, _ = client.wait_for(sid, "ACTIVE", timeout=30)
    assert server["OS-EXT-STS:power_state"] == 1
    actions = client.get(f"/servers/{sid}/os-instance-actions").json()["instanceActions"]
    assert [a["action"] for a in actions] == ["unshelve", "shelve", "create"]


def test_the_kernel_trace_sees_every_process(cluster, client):
    mark = cluster.trace.last_seq()
    sid = _boot(client, "mp-trace")
    client.wait_for(sid, "ACTIVE", timeout=30)
    cluster.wait_idle(quiet=0.3)      # the collector holds hops 50 ms
    rid = next(e["request_id"] for e in cluster.trace.events(since=mark, kind="http")
               if e["dst"] == "nova-api" and e["name"] == "POST /v2.1/servers")
    hops = [(e["kind"], e["src"], e["dst"], e["name"])
            for e in cluster.trace.events(request_id=rid, kind=("cast", "call", "reply"))]
    assert hops[0] == ("cast", "nova-api", "nova-conductor", "schedule_and_build_instances")
    assert ("call", "nova-conductor", "nova-scheduler", "select_destinations") in hops
    assert ("reply", "nova-scheduler", "nova-conductor", "select_destinations") in hops
    build = [h for h in hops if h[3] == "build_and_run_instance"]
    assert build and build[0][:2] == ("cast", "nova-conductor")
    assert build[0][2].startswith("nova-compute@")
    cast = cluster.trace.events(request_id=rid, kind="cast")[0]
    assert cast["handler"] == ("labkit.nova.conductor.manager."
                               "ComputeTaskManager.schedule_and_build_instances")
    assert cast["exchange"] == "nova" and cast["routing_key"] == "conductor"
    events = cluster.trace.events(since=mark)
    assert [e["t"] for e in events] == sorted(e["t"] for e in events)
    assert {e["src"] for e in events} >= {"nova-api", "nova-conductor", "nova-scheduler",
                                          "keystone", "placement", "neutron", "glance"}


def _rabbitmqctl_depths(cluster):
    """The broker's own view (``rabbitmqctl list_queues``), where this user may ask it.

    Under CI (root, Debian's rabbitmq-server from tools/rabbitmq.sh) it always may."""
    vhost = urllib.parse.unquote(urllib.parse.urlsplit(cluster.transport_url).path[1:]) or "/"
    try:
        listing = cluster.rabbitmqctl("list_queues", "-p", vhost, "name", "messages")
    except (PermissionError, FileNotFoundError):
        if os.environ.get("CI"):
            raise
        return None
    return {line.split()[0]: int(line.split()[1]) for line in listing.splitlines()
            if len(line.split()) == 2 and line.split()[1].isdigit()}


def test_killed_computes_keep_their_casts_until_restarted(cluster, client):
    """kill -9 both compute processes: builds wait in compute.<host>; restart: all ACTIVE."""
    computes = [n for n in cluster.nodes if n.startswith("nova-compute@")]
    for node in computes:
        cluster.kill(node)
        assert not cluster.alive(node)
    ids = [_boot(client, f"mp-wait-{i}") for i in range(4)]
    deadline = time.monotonic() + 20
    while sum(cluster.queue_depths()[f"compute.{h}"] for h in cluster.hosts) < 4:
        assert time.monotonic() < deadline, cluster.queue_depths()
        time.sleep(0.05)
    waiting = {f"compute.{h}": cluster.queue_depths()[f"compute.{h}"] for h in cluster.hosts}
    ctl = _rabbitmqctl_depths(cluster)
    if ctl is not None:                       # the broker's own view agrees
        assert {q: ctl[q] for q in waiting} == waiting
    for sid in ids:
        assert client.show(sid)["status"] == "BUILD"
    for node in computes:
        cluster.restart(node)
    final = [client.wait_for(sid, ("ACTIVE", "ERROR"), timeout=30)[0] for sid in ids]
    assert [s["status"] for s in final] == ["ACTIVE"] * 4, [s.get("fault") for s in final]
    assert all(cluster.queue_depths()[q] == 0 for q in waiting)


def test_killed_scheduler_times_the_call_out(cluster, client):
    """select_destinations is a call: with no scheduler it times out (long_rpc_timeout=3)."""
    cluster.kill("nova-scheduler")
    mark = cluster.trace.last_seq()
    sid = _boot(client, "mp-noscheduler")
    server = wait_for_fault(client, sid, timeout=30)
    assert "MessagingTimeout" in server["fault"]["message"] or \
        "Timed out" in server["fault"]["message"]
    cluster.wait_idle(quiet=0.3)      # the collector holds hops 50 ms
    faults = cluster.trace.events(since=mark, kind="fault")
    assert any(f["name"] == "MessagingTimeout" for f in faults)
    # the expired call is dropped by the broker (its TTL is the timeout), not run late
    time.sleep(0.5)
    assert cluster.queue_depths()["scheduler"] == 0
    cluster.restart("nova-scheduler")
    sid = _boot(client, "mp-scheduler-back")
    server, _ = client.wait_for(sid, ("ACTIVE", "ERROR"), timeout=30)
    assert server["status"] == "ACTIVE", server.get("fault")


def test_a_kernel_can_watch_a_lab_it_did_not_start(cluster):
    """Cluster.connect(lab.json): URLs, credentials and hops of services run elsewhere."""
    from labkit.cluster import Cluster
    watcher = Cluster.connect(cluster.config_path)
    try:
        assert watcher.endpoints == cluster.endpoints and watcher.hosts == cluster.hosts
        client = Client(watcher)
        sid = _boot(client, "mp-watched")
        client.wait_for(sid, "ACTIVE", timeout=30)
        watcher.wait_idle(quiet=0.3)
        names = {e["name"] for e in watcher.trace.events(kind="cast")}
        assert {"schedule_and_build_instances", "build_and_run_instance"} <= names
        with pytest.raises(ValueError, match="runs elsewhere"):
            watcher.kill("nova-api")
    finally:
        watcher.stop()
    assert cluster.alive("nova-api")             # watching stops nothing


def _rpc_story(events):
    """The walkthrough's RPC hops of a request (object calls to the conductor left out)."""
    return [(e["kind"], e["src"], e["dst"], e["name"]) for e in events
            if e["kind"] in ("cast", "call", "reply")
            and e["name"] not in ("object_action", "object_class_action_versions")]


def test_the_views_read_it_as_they_read_an_embedded_lab(cluster):
    """Player, sequence diagram and live view: the same hops as the embedded lab's."""
    import labkit
    from labkit.client import Client as LearnerClient
    from labkit.viz.live import LiveFlow, Player
    from labkit.viz.sequence import sequence_diagram

    def boot_and_shelve(lab):
        c = LearnerClient(lab, out=lambda *a: None)
        server = c.boot("views")
        boot = c.last_request_id
        c.wait(server["id"], "ACTIVE")
        shelve = c.shelve(server["id"])
        c.wait(server["id"], "SHELVED_OFFLOADED")
        lab.wait_idle(quiet=0.3)
        return (_rpc_story(lab.trace.events(request_id=boot)),
                _rpc_story(lab.trace.events(request_id=shelve)))

    live = LiveFlow(cluster)
    multi = boot_and_shelve(cluster)
    with labkit.start(computes=2, seed=1, exclusive=False) as embedded:
        single = boot_and_shelve(embedded)
    strip = [[(k, s.split("@")[0], d.split("@")[0], n) for k, s, d, n in story]
             for story in (multi + single)]
    assert strip[0] == strip[2] and strip[1] == strip[3]      # boot, shelve: same hops
    assert ("cast", "nova-conductor", "nova-compute", "build_and_run_instance") in strip[0]
    assert ("cast", "nova-api", "nova-compute", "shelve_instance") in strip[1]
    player = Player(cluster.trace, which="last shelve")
    assert player.hops[0]["label"].startswith("POST /servers/{id}/action")
    assert any(h["kind"] == "cast" and h["dst"].startswith("nova-compute@") for h in player.hops)
    rid = next(e["request_id"] for e in reversed(cluster.trace.events(kind="cast"))
               if e["name"] == "schedule_and_build_instances")
    fig = sequence_diagram(cluster.trace.events(request_id=rid))
    assert [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("hop-")]
    deadline = time.monotonic() + 5
    while not live.stats["hops"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.stats["hops"] > 0
    live.close()


def test_over_rabbitmq_shows_the_hops_the_processes_sent(cluster, client, capsys):
    """Notebook 08's compared cell: ✓ and the request's RPC, only from a real broker run."""
    from labkit.course.show import over_rabbitmq
    sid = _boot(client, "mp-shown")
    client.wait_for(sid, "ACTIVE", timeout=30)
    rid = next(e["request_id"] for e in reversed(cluster.trace.events(kind="http"))
               if e["name"] == "POST /v2.1/servers" and e["dst"] == "nova-api")
    cluster.wait_idle(quiet=0.3)
    assert over_rabbitmq(cluster, rid) is True
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "✓ 9 service processes, none of them this kernel; RPC over RabbitMQ:"
    assert lines[1].split() == ["cast", "nova-api", "->", "nova-conductor",
                                "schedule_and_build_instances"]
    assert any(l.split()[0] == "cast" and l.split()[3].startswith("nova-compute@")
               and l.split()[4] == "build_and_run_instance" for l in lines[2:])
    assert over_rabbitmq(cluster, "req-00000000-0000-4000-8000-000000000000") is False
    assert capsys.readouterr().out.startswith("✗ no RPC hop of this request")


def test_a_resize_crosses_processes_on_compute_alt(cluster, client):
    """Each nova-compute process also consumes topic compute-alt (nova 34): the resize's
    compute-to-compute hops go there, over RabbitMQ, and the revert comes back."""
    sid = _boot(client, "mp-resize", flavor="1")
    client.wait_for(sid, "ACTIVE", timeout=30)
    resp = client.server_action(sid, {"resize": {"flavorRef": "2"}})
    assert resp.status_code == 202
    client.wait_for(sid, "VERIFY_RESIZE", timeout=30)
    assert client.server_action(sid, {"revertResize": None}).status_code == 202
    client.wait_for(sid, "ACTIVE", timeout=30)
    cluster.wait_idle(quiet=0.3)
    casts = [(e["name"], e["topic"]) for e in cluster.trace.events(
        request_id=resp.headers["x-compute-request-id"], kind="cast")]
    assert ("resize_instance", "compute-alt") in casts
    assert ("finish_resize", "compute-alt") in casts
    assert client.show(sid)["flavor"]["id"] == "1"


def test_a_second_lab_on_the_same_broker_is_refused(cluster):
    from labkit.cluster import Cluster
    from labkit.cluster.launcher import ServiceProcessError
    with pytest.raises(ServiceProcessError, match="another lab already consumes .*conductor"):
        Cluster(computes=1, transport=cluster.transport_url)


def test_stop_leaves_no_process(cluster):
    """Last in this module: stopping reaps every process and removes the run folder."""
    pids = [p.pid for p in cluster.processes.values()]
    cluster.stop()
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}")      # ended and reaped
    assert not os.path.exists(cluster.run_dir)
