"""Evacuate hop by hop, against nova 34's captured flows.

/work/shared/reference/lifecycle-flows.md (evacuate_prep, evacuate,
evacuate_source_restart): the source host's nova-compute is stopped and forced down
through os-services (no hops); the evacuation (2.95) goes nova-api -> conductor ->
scheduler (which claims the destination on top of the source: the instance holds both
hosts) -> the destination's nova-compute, which rebuilds the server there and leaves it
stopped; the ``evacuation`` migration record goes accepted -> pre-migrating -> done.
When the source's service comes back, init_host destroys the guest it still has, drops
the source allocation and completes the migration.
"""
import pytest

from flow_hops import migration_statuses, placement_calls, rpc_hops, state_saves
from labkit.client import Client


def _allocations(lab, admin, server_id):
    """{host: resources} the server holds in placement."""
    placement = lab.url("placement")
    names = {rp["uuid"]: rp["name"] for rp in admin.get(
        f"{placement}/resource_providers").json()["resource_providers"]}
    held = admin.get(f"{placement}/allocations/{server_id}").json()["allocations"]
    return {names[rp]: a["resources"] for rp, a in held.items()}


def _service(lab, host):
    admin = Client(lab, "admin", microversion="2.53")
    (svc,) = admin.get(f"/os-services?binary=nova-compute&host={host}").json()["services"]
    return admin, svc


def _bring_back(lab, source, services, svc):
    """The source host's nova-compute started again, and no longer forced down."""
    lab.restart_compute_service(source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": False})


@pytest.fixture(scope="module")
def run(lab):
    """The server, its first host, and the evacuation's request (filled as tests go)."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
    server_id = client.boot_active("evacuate-me")
    return {"server": server_id, "source": admin.show(server_id)["OS-EXT-SRV-ATTR:host"]}


def test_evacuate_prep_forces_the_source_down_without_a_hop(lab, run):
    source = run["source"]
    lab.faults.stop_service(f"nova-compute@{source}")
    admin, svc = _service(lab, source)
    resp = admin.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    assert resp.status_code == 200, resp.text
    assert (resp.json()["service"]["forced_down"], resp.json()["service"]["state"]) == (
        True, "down")
    lab.wait_idle()
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    assert rpc_hops(events) == [] and placement_calls(events) == []
    assert not [e for e in events if e.get("states")]


def test_evacuate_matches_nova(lab, run):
    server, source = run["server"], run["source"]
    client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
    flavor = Client(lab, "demo", microversion="2.47").show(server)["flavor"]
    resp = admin.server_action(server, {"evacuate": {}})
    assert resp.status_code == 200 and resp.content == b""       # 200, no body from 2.14
    shown, _ = client.wait_for(server, "SHUTOFF")               # 2.95: left stopped
    lab.wait_idle()
    dest = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    assert dest != source and shown["OS-EXT-STS:task_state"] is None
    run["dest"] = dest
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    assert rpc_hops(events) == [
        ("cast", "nova-api", "nova-conductor", "rebuild_instance", "conductor"),
        ("call", "nova-conductor", "nova-scheduler", "select_destinations", "scheduler"),
        ("cast", "nova-conductor", f"nova-compute@{dest}", "rebuild_instance", "compute"),
        ("cast", f"nova-compute@{dest}", "nova-scheduler", "update_instance_info",
         "scheduler")]
    placement = placement_calls(events)
    assert [p for p in placement if p[0] == "nova-scheduler"] == [
        ("nova-scheduler", placement[0][1]), ("nova-scheduler", f"GET /allocations/{server}"),
        ("nova-scheduler", f"PUT /allocations/{server}")]
    assert placement[0][1].startswith("GET /allocation_candidates?")
    assert placement[3:] == [(f"nova-compute@{dest}", f"GET /allocations/{server}")]
    assert state_saves(events) == [
        ("nova-api", {"task_state": "rebuilding"}),
        ("nova-conductor", {"power_state": 0}),
        ("nova-conductor", {"task_state": "rebuild_block_device_mapping"}),
        ("nova-conductor", {"task_state": "rebuild_spawning"}),
        ("nova-conductor", {"power_state": 1, "task_state": None}),
        ("nova-conductor", {"task_state": "powering-off"}),
        ("nova-conductor", {"power_state": 4, "task_state": None, "vm_state": "stopped"}),
        ("nova-conductor", {"host": dest})]
    assert migration_statuses(events) == [
        ("nova-api", "migration_create", "accepted"),
        ("nova-conductor", "migration_update", "pre-migrating"),
        ("nova-conductor", "migration_update", "done")]
    (migration,) = [m for m in Client(lab, "admin", microversion="2.59").get("/os-migrations").json()[
        "migrations"] if m["instance_uuid"] == server]
    assert (migration["migration_type"], migration["status"], migration["source_compute"],
            migration["dest_compute"], migration["dest_node"]) == (
        "evacuation", "done", source, dest, dest)
    run["migration"] = migration["id"]
    resources = {"DISK_GB": flavor["disk"], "MEMORY_MB": flavor["ram"], "VCPU": flavor["vcpus"]}
    assert _allocations(lab, admin, server) == {source: resources, dest: resources}
    actions = client.get(f"/servers/{server}/os-instance-actions").json()["instanceActions"]
    assert actions[0]["action"] == "evacuate"
    detail = admin.get(f"/servers/{server}/os-instance-actions/"
                       f"{actions[0]['request_id']}").json()["instanceAction"]
    assert sorted(e["event"] for e in detail["events"]) == [
        "compute_rebuild_instance", "compute_stop_instance", "rebuild_server"]
    # the guest is on both hypervisors now: the source's is what init_host will clean up
    assert server in lab.compute(dest).manager.driver.instances
    assert server in lab.compute(source).manager.driver.instances


def test_evacuate_source_restart_cleans_up(lab, run):
    server, source, dest = run["server"], run["source"], run["dest"]
    admin, svc = _service(lab, source)
    first = lab.trace.last_seq()
    lab.restart_compute_service(source, keep_hypervisor_state=True)
    resp = admin.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    assert resp.status_code == 200 and resp.json()["service"]["state"] == "up"
    lab.wait_idle()
    events = [e for e in lab.trace.events() if e["seq"] > first]
    start_up = [(src, name) for src, name in placement_calls(events)
                if src == f"nova-compute@{source}" and server in name]
    assert start_up == [(f"nova-compute@{source}", f"GET /allocations/{server}"),
                        (f"nova-compute@{source}", f"PUT /allocations/{server}")]
    assert migration_statuses(events) == [("nova-conductor", "migration_update", "completed")]
    assert not [e for e in events if e.get("states")]       # the server itself: untouched
    assert server not in lab.compute(source).manager.driver.instances
    assert server in lab.compute(dest).manager.driver.instances
    flavor = Client(lab, "demo", microversion="2.47").show(server)["flavor"]
    assert _allocations(lab, admin, server) == {dest: {
        "DISK_GB": flavor["disk"], "MEMORY_MB": flavor["ram"], "VCPU": flavor["vcpus"]}}
    (migration,) = [m for m in Client(lab, "admin", microversion="2.59").get("/os-migrations").json()[
        "migrations"] if m["instance_uuid"] == server]
    assert migration["status"] == "completed"
    # the source takes servers again, and the evacuated one starts where it now lives
    client = Client(lab)
    assert client.server_action(server, {"os-start": None}).status_code == 202
    client.wait_for(server, "ACTIVE")
    assert Client(lab, "admin").show(server)["OS-EXT-SRV-ATTR:host"] == dest


def test_evacuate_to_a_forced_host_skips_the_scheduler(lab):
    """2.29 ``force``: the conductor copies the source allocation to the named host; a
    server evacuated before 2.95 keeps its state (ACTIVE)."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.29")
    server = client.boot_active("forced-evacuate")
    source = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in lab.hosts if h != source)
    lab.faults.stop_service(f"nova-compute@{source}")
    services, svc = _service(lab, source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        resp = admin.server_action(server, {"evacuate": {"host": dest, "force": True}})
        assert resp.status_code == 200 and resp.content == b""
        client.wait_for(server, "ACTIVE")
        lab.wait_idle()
        assert admin.show(server)["OS-EXT-SRV-ATTR:host"] == dest
        events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
        assert [hop[3] for hop in rpc_hops(events)] == [
            "rebuild_instance", "rebuild_instance", "update_instance_info"]
        assert [p for p in placement_calls(events) if p[0] == "nova-conductor"] == [
            ("nova-conductor", f"GET /allocations/{server}"),
            ("nova-conductor", f"GET /allocations/{server}"),
            ("nova-conductor", f"PUT /allocations/{server}")]
        assert set(_allocations(lab, admin, server)) == {source, dest}
    finally:
        _bring_back(lab, source, services, svc)
    lab.wait_idle()
    assert set(_allocations(lab, admin, server)) == {dest}


def test_a_named_host_from_2_68_is_checked_by_the_scheduler(lab):
    """From 2.68 a named host cannot be forced: nova's controller still reads ``force`` as
    False, so API.evacuate makes the host the request spec's requested_destination and
    the scheduler filters it alone and claims it (nova/api/openstack/compute/evacuate.py)."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
    server = client.boot_active("named-evacuate")
    source = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    dest = [h for h in lab.hosts if h != source][-1]
    lab.faults.stop_service(f"nova-compute@{source}")
    services, svc = _service(lab, source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        refused = admin.server_action(server, {"evacuate": {"host": dest, "force": True}})
        assert refused.status_code == 400, refused.text
        resp = admin.server_action(server, {"evacuate": {"host": dest}})
        assert resp.status_code == 200
        client.wait_for(server, "SHUTOFF")
        lab.wait_idle()
        assert admin.show(server)["OS-EXT-SRV-ATTR:host"] == dest
        events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
        assert [hop[3] for hop in rpc_hops(events)] == [
            "rebuild_instance", "select_destinations", "rebuild_instance",
            "update_instance_info"]
        (decision,) = [e["payload"] for e in events if e["kind"] == "schedule"]
        assert decision["filters"][0]["passed"] == [dest] and decision["chosen"] == dest
        assert [p for p in placement_calls(events) if p[0] == "nova-scheduler"][-1] == (
            "nova-scheduler", f"PUT /allocations/{server}")
        assert set(_allocations(lab, admin, server)) == {source, dest}
    finally:
        _bring_back(lab, source, services, svc)
    lab.wait_idle()
    assert set(_allocations(lab, admin, server)) == {dest}


def test_a_server_deleted_while_its_old_host_was_down(lab):
    """Deleted on its new host before the old one comes back: the old host still destroys
    its guest and completes the migration, and asks placement nothing for it."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
    server = client.boot_active("evacuated-then-deleted")
    source = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    lab.faults.stop_service(f"nova-compute@{source}")
    services, svc = _service(lab, source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        assert admin.server_action(server, {"evacuate": {}}).status_code == 200
        client.wait_for(server, "SHUTOFF")
        lab.wait_idle()      # SHUTOFF is saved before the rebuild ends (finish_evacuation, .end)
        assert client.send("DELETE", f"/servers/{server}").status_code == 204
        client.wait_for(server, "DELETED")
    finally:
        first = lab.trace.last_seq()
        lab.restart_compute_service(source)
        services.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    lab.wait_idle()
    events = [e for e in lab.trace.events() if e["seq"] > first]
    assert server not in lab.compute(source).manager.driver.instances
    assert not [p for p in placement_calls(events) if server in p[1]]
    assert migration_statuses(events) == [("nova-conductor", "migration_update", "completed")]
    assert admin.get(f"{lab.url('placement')}/allocations/{server}").json()[
        "allocations"] == {}


def test_an_evacuation_that_fails_on_the_new_host(lab):
    """The guest cannot be spawned on the new host: the server goes ERROR with the
    spawn's fault, the migration ``failed``, and the new host gives back what the
    scheduler claimed there (the source's allocation stays: the server still lives there
    as far as nova knows).  nova: rebuild_instance's ``except Exception`` branch."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.68")
    server = client.boot_active("evacuation-fails")
    source = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in lab.hosts if h != source)
    lab.faults.fail_builds(dest)
    lab.faults.stop_service(f"nova-compute@{source}")
    services, svc = _service(lab, source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        assert admin.server_action(server, {"evacuate": {"host": dest}}).status_code == 200
        shown, _ = client.wait_for(server, "ERROR")
        lab.wait_idle()
        assert shown["fault"]["message"] == f"Fake spawn failure on {dest}"
        assert admin.show(server)["OS-EXT-SRV-ATTR:host"] == source
        (migration,) = [m for m in Client(lab, "admin", microversion="2.59").get("/os-migrations").json()[
            "migrations"] if m["instance_uuid"] == server]
        assert (migration["status"], migration["dest_compute"]) == ("failed", dest)
        assert set(_allocations(lab, admin, server)) == {source}
    finally:
        lab.faults.heal(dest)
        lab.restart_compute_service(source)
        services.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    lab.wait_idle()
