"""shelved_offload_time and shelved_poll_interval: when a SHELVED server leaves its host.

Real nova: 0 offloads inside shelve_instance, -1 never offloads, N > 0 leaves the
server SHELVED until the periodic ComputeManager._poll_shelved_instances (every
shelved_poll_interval seconds) finds it shelved more than N seconds ago.
"""
import time

import labkit
from labkit.client import Client


def _shelve(lab, name):
    client = Client(lab)
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    host = Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]
    rid = client.server_action(server_id, {"shelve": None}).headers["x-compute-request-id"]
    client.wait_for(server_id, ("SHELVED", "SHELVED_OFFLOADED"))
    return client, server_id, host, rid


def test_offload_after_the_poll_once_older_than_offload_time():
    # 3 s: long enough that a loaded machine still sees SHELVED before the offload
    with labkit.start(seed=5, shelved_offload_time=3, shelved_poll_interval=0.2,
                      exclusive=False) as lab:
        client, server_id, host, rid = _shelve(lab, "later")
        server = client.get(f"/servers/{server_id}").json()["server"]
        assert server["status"] == "SHELVED" and server["OS-EXT-STS:task_state"] is None
        assert "shelve_offload_instance" not in [e["name"] for e in lab.trace.events(rid)]
        shelved = time.monotonic()
        server, seen = client.wait_for(server_id, "SHELVED_OFFLOADED", timeout=10)
        assert time.monotonic() - shelved > 1.5            # not before the offload time
        assert ("SHELVED", "shelved", "shelving_offloading", 4) in seen
        assert server["OS-EXT-STS:power_state"] == 4 and server["hostId"] == ""
        lab.wait_idle()            # the offload's .end notification follows its save

        # the periodic task's own request: a fresh admin context on the compute host
        compute = f"nova-compute@{host}"
        offload = [e for e in lab.trace.events(kind="db")
                   if e.get("instance_uuid") == server_id
                   and (e.get("states") or {}).get("after", {}).get("task_state")
                   == "shelving_offloading"]
        assert len(offload) == 1 and offload[0]["request_id"] != rid
        events = lab.trace.events(offload[0]["request_id"])
        hops = [(e["kind"], e["src"], e["dst"], e["name"]) for e in events
                if e["kind"] in ("cast", "call", "http")]
        # it asks the conductor for the host's SHELVED instances, then saves through it
        assert hops[0] == ("call", compute, "nova-conductor", "object_class_action_versions")
        assert events[0]["payload"]["objmethod"] == "get_by_filters"
        assert hops[1] == ("call", compute, "nova-conductor", "object_action")
        # then the offload, as shelve_offload_instance does it: ports unbound in
        # neutron, allocations deleted in placement, the schedulers told to forget it
        names = [h[3].split("?")[0] for h in hops]
        assert any(n.startswith("PUT /v2.0/ports/") for n in names)
        assert any(n.startswith("DELETE /allocations/") for n in names)
        assert [h for h in hops if h[0] == "cast"] == [
            ("cast", compute, "nova-scheduler", "delete_instance_info")]
        states = [(e["states"]["after"]["vm_state"], e["states"]["after"]["task_state"])
                  for e in events if e["kind"] == "db" and e.get("states")]
        assert states == [("shelved", "shelving_offloading"), ("shelved_offloaded", None)]
        notifications = [e["name"] for e in events if e["kind"] == "notification"]
        assert notifications == ["instance.shelve_offload.start", "instance.shelve_offload.end"]
        # its events join the server's newest action, the shelve
        actions = Client(lab, "admin").get(f"/servers/{server_id}/os-instance-actions")
        shelve = actions.json()["instanceActions"][0]
        assert shelve["action"] == "shelve" and shelve["request_id"] == rid
        detail = Client(lab, "admin").get(
            f"/servers/{server_id}/os-instance-actions/{rid}").json()["instanceAction"]
        assert [e["event"] for e in detail["events"]].count(
            "compute_shelve_offload_instance") == 1


def test_never_offloaded_with_minus_one():
    with labkit.start(seed=5, shelved_offload_time=-1, shelved_poll_interval=0.1,
                      exclusive=False) as lab:
        client, server_id, _, _ = _shelve(lab, "stays")
        since = lab.trace.last_seq()
        time.sleep(1.0)                                   # ten polls
        server = client.get(f"/servers/{server_id}").json()["server"]
        assert server["status"] == "SHELVED" and server["hostId"] != ""
        # the poll returns before asking anyone anything
        assert [e for e in lab.trace.events(since=since, kind="call")
                if (e["payload"] or {}).get("objmethod") == "get_by_filters"] == []


def test_zero_offloads_at_once_inside_the_shelve_request():
    with labkit.start(seed=5, shelved_offload_time=0, shelved_poll_interval=0.1,
                      exclusive=False) as lab:
        client, server_id, _, rid = _shelve(lab, "now")
        server, _ = client.wait_for(server_id, "SHELVED_OFFLOADED")
        assert server["hostId"] == ""
        lab.wait_idle()            # compute saves the state before it sends the .end
        names = [e["name"] for e in lab.trace.events(rid, kind="notification")]
        assert "instance.shelve_offload.end" in names


def test_no_poll_with_a_poll_interval_of_zero_or_less():
    with labkit.start(seed=5, shelved_offload_time=1, shelved_poll_interval=0,
                      exclusive=False) as lab:
        client, server_id, _, _ = _shelve(lab, "unpolled")
        time.sleep(1.5)
        assert client.get(f"/servers/{server_id}").json()["server"]["status"] == "SHELVED"
