"""Faults a lesson can switch on, and nova's answer to each (issue: faults and load)."""
import time

import pytest

import labkit
from labkit.client import Client
from waits import wait_for_fault

QUOTA = {"quota_instances": 1000, "quota_cores": 2000, "quota_ram": 10**7}


def _boot(client, name):
    server_id = client.boot(name, check=False)["id"]
    return server_id, client.last_request_id


def _host(lab, server_id):
    return Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]


def test_failing_hosts_reschedule_to_the_alternates():
    with labkit.start(seed=5, exclusive=False, **QUOTA) as lab:
        lab.faults.fail_builds("compute-1")
        lab.faults.fail_builds("compute-2")
        client = Client(lab)
        server_id, rid = _boot(client, "resched")
        server, _ = client.wait_for(server_id, ("ACTIVE", "ERROR"))
        assert server["status"] == "ACTIVE" and _host(lab, server_id) == "compute-3"
        events = lab.trace.events(request_id=rid)
        # equal weights tie-break by name: compute-1 first, then the alternates in order
        assert [e["server"] for e in events if e["name"] == "build_and_run_instance"] == [
            "compute-1", "compute-2", "compute-3"]
        reschedules = [(e["src"], e["dst"]) for e in events if e["name"] == "build_instances"]
        assert reschedules == [("nova-compute@compute-1", "nova-conductor"),
                               ("nova-compute@compute-2", "nova-conductor")]
        # the reschedule claims the alternate itself: the scheduler is asked once
        assert len([e for e in events if e["name"] == "select_destinations"
                    and e["kind"] == "call"]) == 1
        assert [e["name"] for e in lab.trace.events(kind="fault")
                if e["name"] != "spawn_failed"] == ["fail_builds", "fail_builds"]
        # each failed spawn is a fault in the boot's own request, on the host it failed on
        assert [(e["src"], e["payload"]["instance"]) for e in events if e["kind"] == "fault"] == [
            ("nova-compute@compute-1", server_id), ("nova-compute@compute-2", server_id)]
        # compute-1 gives the build back in nova's order (_do_build_and_run_instance): its
        # port deleted, host cleared with task_state scheduling saved, the allocation
        # deleted, then the cast to the conductor
        cast = next(e["seq"] for e in events if e["name"] == "build_instances")
        before = [e for e in events if e["seq"] < cast and e.get("phase") != "response"]
        port = max(e["seq"] for e in before if e["src"] == "nova-compute@compute-1"
                   and e["name"].startswith("DELETE /v2.0/ports/"))
        save = max(e["seq"] for e in before if e["kind"] == "db"
                   and (e.get("payload") or {}).get("task_state") == "scheduling")
        delete = max(e["seq"] for e in before if e["src"] == "nova-compute@compute-1"
                     and e["name"] == f"DELETE /allocations/{server_id}")
        assert port < save < delete < cast


# As in nova, the conductor's populate_retry counts each attempt first: with three hosts
# (max_attempts 3) it stops the fourth by counting, naming the last failure compute
# reported; with two, the second failure leaves an attempt but no alternate.
@pytest.mark.parametrize("computes, message", [
    (3, "Exceeded max scheduling attempts 3 for instance {id}. "
        "Last exception: Fake spawn failure on compute-3"),
    (2, "Exhausted all hosts available for retrying build failures for instance {id}."),
])
def test_all_hosts_failing_ends_in_error_with_nova_fault(computes, message):
    with labkit.start(computes=computes, seed=6, exclusive=False, **QUOTA) as lab:
        for host in lab.hosts:
            lab.faults.fail_builds(host)
        client = Client(lab)
        server_id, rid = _boot(client, "doomed")
        server = wait_for_fault(client, server_id)
        assert server["fault"]["message"] == (
            "Exceeded maximum number of retries. " + message.format(id=server_id))
        builds = [e["server"] for e in lab.trace.events(request_id=rid)
                  if e["name"] == "build_and_run_instance"]
        assert len(builds) == computes and len(set(builds)) == computes  # chosen + alternates
        usage = client.get(
            f"{lab.url('placement')}/allocations/{server_id}",
            headers={"X-Auth-Token": Client(lab, "admin").token}).json()
        assert usage["allocations"] == {}


def test_no_capacity_is_no_valid_host():
    with labkit.start(seed=7, exclusive=False, **QUOTA) as lab:
        client = Client(lab)
        resp = client.post("/servers", json={"server": {
            "name": "huge", "flavorRef": "5", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"}})
        server = wait_for_fault(client, resp.json()["server"]["id"])
        assert server["fault"]["message"].startswith("No valid host was found.")
        assert server["fault"]["code"] == 500
        # _bury_in_cell0 in nova's order: the instance first, its failed create action,
        # then ERROR and the fault, and the build request deleted last
        lab.wait_idle()
        writes = [e["name"] for e in lab.trace.events(
            request_id=resp.headers["x-compute-request-id"], kind="db")
            if e["src"] == "nova-conductor"]
        assert writes == ["instance_create", "action_start", "action_event_start",
                          "action_event_finish", "instance_update_and_get_original",
                          "instance_fault_create", "build_request_destroy"]


def test_stopped_conductor_keeps_the_cast_until_it_returns():
    with labkit.start(seed=8, exclusive=False, **QUOTA) as lab:
        lab.faults.stop_service("nova-conductor")
        client = Client(lab)
        server_id, _ = _boot(client, "waiting")
        time.sleep(0.2)
        assert client.show(server_id)["status"] == "BUILD"
        assert lab.queue_depths()["conductor"] == 1
        lab.faults.start_service("nova-conductor")
        client.wait_for(server_id, "ACTIVE")
        assert lab.queue_depths()["conductor"] == 0


def test_dead_scheduler_makes_the_call_time_out():
    with labkit.start(seed=9, exclusive=False, long_rpc_timeout=0.3, **QUOTA) as lab:
        lab.faults.stop_service("nova-scheduler")
        client = Client(lab)
        server_id, rid = _boot(client, "timeout")
        server = wait_for_fault(client, server_id)
        assert "Timed out waiting for a reply" in server["fault"]["message"]
        faults = [e["name"] for e in lab.trace.events(request_id=rid, kind="fault")]
        assert "MessagingTimeout" in faults


def test_dead_compute_is_skipped_once_its_heartbeat_is_old():
    with labkit.start(seed=10, exclusive=False, report_interval=0.05, service_down_time=0.3,
                      **QUOTA) as lab:
        lab.faults.stop_service("nova-compute@compute-1")
        time.sleep(0.5)
        client = Client(lab)
        hosts = set()
        for i in range(4):
            server_id, _ = _boot(client, f"alive-{i}")
            client.wait_for(server_id, "ACTIVE")
            hosts.add(_host(lab, server_id))
        assert "compute-1" not in hosts
        schedule = lab.trace.events(kind="schedule")[-1]["payload"]
        compute_filter = next(f for f in schedule["filters"] if f["filter"] == "ComputeFilter")
        assert compute_filter["failed"] == ["compute-1"]


def test_delayed_message_arrives_late_and_shows_in_the_trace():
    with labkit.start(seed=11, exclusive=False, **QUOTA) as lab:
        lab.faults.delay(0.3, method="select_destinations")
        client = Client(lab)
        start = time.perf_counter()
        server_id, rid = _boot(client, "slow")
        client.wait_for(server_id, "ACTIVE")
        assert time.perf_counter() - start >= 0.3
        assert [e["name"] for e in lab.trace.events(request_id=rid, kind="fault")] == ["delayed"]


def test_dropped_message_leaves_the_server_building():
    with labkit.start(seed=12, exclusive=False, **QUOTA) as lab:
        lab.faults.drop("build_and_run_instance")
        client = Client(lab)
        server_id, rid = _boot(client, "lost")
        time.sleep(0.3)
        assert client.show(server_id)["status"] == "BUILD"
        assert [e["name"] for e in lab.trace.events(request_id=rid, kind="fault")] == ["dropped"]
        second, _ = _boot(client, "next")     # only one message was lost
        client.wait_for(second, "ACTIVE")


def test_failed_snapshot_rolls_shelve_back():
    with labkit.start(seed=13, exclusive=False, **QUOTA) as lab:
        client = Client(lab)
        server_id, _ = _boot(client, "snap")
        client.wait_for(server_id, "ACTIVE")
        lab.faults.fail_snapshots(_host(lab, server_id))
        resp = client.server_action(server_id, {"shelve": None})
        assert resp.status_code == 202
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            server = client.show(server_id)
            if server["OS-EXT-STS:task_state"] is None and server["status"] == "ACTIVE":
                break
            time.sleep(0.01)
        assert server["status"] == "ACTIVE" and server["OS-EXT-STS:power_state"] == 1
        images = client.get(f"{lab.url('glance')}/v2/images?name=snap-shelved").json()
        assert images["images"] == []
        action = [a for a in client.get(f"/servers/{server_id}/os-instance-actions").json()[
            "instanceActions"] if a["action"] == "shelve"][0]
        events = Client(lab, "admin").get(
            f"/servers/{server_id}/os-instance-actions/{action['request_id']}").json()
        assert events["instanceAction"]["events"][0]["result"] == "Error"
        lab.faults.clear()
        assert client.server_action(server_id, {"shelve": None}).status_code == 202
        client.wait_for(server_id, "SHELVED_OFFLOADED")


def test_build_failure_weigher_steers_away_from_a_failing_host():
    with labkit.start(seed=14, exclusive=False, **QUOTA) as lab:
        lab.faults.fail_builds("compute-1")
        client = Client(lab)
        first, _ = _boot(client, "first")           # compute-1 fails, compute-2 takes it
        client.wait_for(first, "ACTIVE")
        lab.faults.heal("compute-1")
        second, rid = _boot(client, "second")
        client.wait_for(second, "ACTIVE")
        decision = lab.trace.events(request_id=rid, kind="schedule")[0]["payload"]
        weigher = next(w for w in decision["weighers"] if w["weigher"] == "BuildFailureWeigher")
        assert weigher["raw"]["compute-1"] == 1
        assert decision["chosen"] != "compute-1" and "compute-1" not in decision["alternates"][:1]
