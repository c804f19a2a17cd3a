"""A resize whose destination fails its claim is rescheduled to an alternate host.

nova/compute/manager.py: prep_resize fails on the chosen host (here its claim: the host
filled up since the scheduler chose it, ``lab.faults.fail_resize_claims``), the
destination gives the instance its source allocation back (_revert_allocation) and
*calls* the conductor's migrate_server with the alternates
(_reschedule_resize_or_reraise); the conductor's MigrationTask reuses the
``pre-migrating`` record, claims the next alternate itself (no scheduler) and casts
prep_resize there; the resize then finishes as usual.  The failure stays on record
as the instance's fault and the failed host's ``compute_prep_resize`` event.
"""
import pytest

from flow_hops import rpc_hops
from labkit.nova import objects
from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
PRIVATE = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"      # data/networks.json


def _boot_on(admin, name, host):
    body = {"server": {"name": name, "imageRef": IMAGE, "flavorRef": "1",
                       "availability_zone": f"nova:{host}", "networks": [{"uuid": PRIVATE}]}}
    resp = admin.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    admin.wait_for(server_id, "ACTIVE")
    return server_id


def _resize_with_full_hosts(lab, admin, server, full, status):
    """Resize ``server`` to m1.small while ``full`` hosts fail their claims; wait for
    ``status`` and a quiet lab; the request id."""
    for host in full:
        lab.faults.fail_resize_claims(host)
    try:
        resp = admin.server_action(server, {"resize": {"flavorRef": "2"}})
        assert resp.status_code == 202, resp.text
        admin.wait_for(server, status)
        lab.wait_idle()
    finally:
        lab.faults.clear()
    return resp.headers["x-compute-request-id"]


def _held(lab, admin, consumer):
    """{host: resources} the consumer holds in placement."""
    rps = {lab.compute(h).manager.rt.compute_node["uuid"]: h
           for h in ("compute-1", "compute-2", "compute-3")}
    allocs = admin.get(f"{lab.url('placement')}/allocations/{consumer}").json()
    return {rps[rp]: a["resources"] for rp, a in allocs["allocations"].items()}


@pytest.fixture(scope="module")
def rescheduled(lab):
    """The server on compute-1, a filler on compute-3 (so the RAM weigher picks
    compute-2 first), compute-2 full; then the resize."""
    client, admin = Client(lab), Client(lab, "admin")
    server = _boot_on(admin, "resize-me", "compute-1")
    _boot_on(admin, "filler", "compute-3")
    rid = _resize_with_full_hosts(lab, admin, server, ["compute-2"], "VERIFY_RESIZE")
    return server, rid, client, admin


def test_the_resize_goes_to_the_alternate(lab, rescheduled):
    server, rid, _, admin = rescheduled
    events = lab.trace.events(request_id=rid)
    n1, n2, n3 = (f"nova-compute@compute-{i}" for i in (1, 2, 3))
    assert rpc_hops(events) == [
        ("cast", "nova-api", "nova-conductor", "migrate_server", "conductor"),
        ("call", "nova-conductor", "nova-scheduler", "select_destinations", "scheduler"),
        ("cast", "nova-conductor", n2, "prep_resize", "compute"),
        ("call", n2, "nova-conductor", "migrate_server", "conductor"),
        ("cast", "nova-conductor", n3, "prep_resize", "compute"),
        ("cast", n3, n1, "resize_instance", "compute-alt"),
        ("cast", n1, n3, "finish_resize", "compute-alt"),
        ("cast", n3, "nova-scheduler", "update_instance_info", "scheduler")]
    # the reschedule call carries the alternates: compute-3 is the one left
    call = next(e for e in events if e["kind"] == "call" and e["name"] == "migrate_server")
    assert [s["nova_object.data"]["service_host"] for s in call["payload"]["host_list"]] == [
        "compute-3"]
    shown = admin.show(server)
    assert (shown["OS-EXT-SRV-ATTR:host"], shown["flavor"]["id"]) == ("compute-3", "2")


def test_one_migration_record_and_the_allocations_follow(lab, rescheduled):
    server, rid, _, admin = rescheduled
    migrations = [m for m in admin.get("/os-migrations", headers={
        "OpenStack-API-Version": "compute 2.59"}).json()["migrations"]
                  if m["instance_uuid"] == server]
    assert [(m["status"], m["source_compute"], m["dest_compute"]) for m in migrations] == [
        ("finished", "compute-1", "compute-3")]
    statuses = [(e["name"], e["migration"]["status"]) for e in lab.trace.events(request_id=rid)
                if e["kind"] == "db" and e["name"].startswith("migration_")]
    # each destination saves the record as it starts its claim, before the claim test
    # (nova's ResourceTracker._move_claim -> _claim_existing_migration): compute-2, whose
    # claim then fails, and compute-3
    assert statuses == [("migration_create", "pre-migrating"),
                        ("migration_update", "pre-migrating"),
                        ("migration_update", "pre-migrating"),
                        ("migration_update", "migrating"),
                        ("migration_update", "post-migrating"),
                        ("migration_update", "finished")]
    # nothing left on the full host: the instance on compute-3, the migration on compute-1
    held = {consumer: _held(lab, admin, consumer) for consumer in (server, migrations[0]["uuid"])}
    assert held == {server: {"compute-3": {"DISK_GB": 20, "MEMORY_MB": 2048, "VCPU": 1}},
                    migrations[0]["uuid"]: {"compute-1": {"DISK_GB": 1, "MEMORY_MB": 512,
                                                          "VCPU": 1}}}


def test_the_failure_is_on_record(lab, rescheduled):
    server, rid, _, admin = rescheduled
    faults = [e for e in lab.trace.events(request_id=rid)
              if e["kind"] == "db" and e["name"] == "instance_fault_create"]
    assert [f["payload"]["message"] for f in faults] == [
        "Insufficient compute resources: Free memory 0.00 MB < requested 2048 MB."]
    detail = admin.get(f"/servers/{server}/os-instance-actions/{rid}", headers={
        "OpenStack-API-Version": "compute 2.62"}).json()["instanceAction"]
    assert sorted((e["event"], e["host"]) for e in detail["events"]) == [
        ("cold_migrate", "conductor"), ("cold_migrate", "conductor"),
        ("compute_finish_resize", "compute-3"), ("compute_prep_resize", "compute-2"),
        ("compute_prep_resize", "compute-3"), ("compute_resize_instance", "compute-1")]
    assert any(f["name"] == "fail_resize_claims" for f in lab.trace.events(kind="fault"))


def test_a_stopped_server_resizes_stopped_and_a_resized_one_deletes_clean(lab):
    """nova keeps a stopped server stopped through the move (old_vm_state) and confirms
    a resize before deleting a server still in VERIFY_RESIZE (_confirm_resize_on_deleting:
    a call to the source host), so no allocation outlives the server."""
    client, admin = Client(lab), Client(lab, "admin")
    server = _boot_on(admin, "stopped-mover", "compute-2")
    admin.server_action(server, {"os-stop": None})
    admin.wait_for(server, "SHUTOFF")
    assert admin.server_action(server, {"resize": {"flavorRef": "2"}}).status_code == 202
    admin.wait_for(server, "VERIFY_RESIZE")
    assert admin.show(server)["OS-EXT-STS:power_state"] == 4
    assert admin.server_action(server, {"confirmResize": None}).status_code == 204
    admin.wait_for(server, "SHUTOFF")
    assert admin.server_action(server, {"os-start": None}).status_code == 202
    admin.wait_for(server, "ACTIVE")
    assert admin.server_action(server, {"resize": {"flavorRef": "3"}}).status_code == 202
    admin.wait_for(server, "VERIFY_RESIZE")
    migration = [m for m in admin.get("/os-migrations", headers={
        "OpenStack-API-Version": "compute 2.59"}).json()["migrations"]
                 if m["instance_uuid"] == server][0]
    resp = admin.send("DELETE", f"/servers/{server}")
    assert resp.status_code == 204
    lab.wait_idle()
    calls = [e for e in lab.trace.events(request_id=resp.headers["x-compute-request-id"],
                                          kind="call") if e["name"] == "confirm_resize"]
    assert [(c["src"], c["dst"]) for c in calls] == [
        ("nova-api", f"nova-compute@{migration['source_compute']}")]
    assert _held(lab, admin, server) == _held(lab, admin, migration["uuid"]) == {}
    statuses = [m["status"] for m in admin.get("/os-migrations").json()["migrations"]
                if m["instance_uuid"] == server]
    assert statuses == ["confirmed", "confirmed"]


def test_no_alternate_left_puts_the_server_in_error(lab):
    """Both other hosts full: the alternate fails too, the conductor has no host left
    (MaxRetriesExceeded, its fault recorded) and the destination re-raises its own
    error: ERROR with that fault, the migration ``error``, the allocation back with the
    instance on its source (nova: _reschedule_resize_or_reraise, errors_out_migration,
    _error_out_instance_on_exception)."""
    admin = Client(lab, "admin")
    server = _boot_on(admin, "nowhere-to-go", "compute-1")
    rid = _resize_with_full_hosts(lab, admin, server, ["compute-2", "compute-3"], "ERROR")
    shown = admin.show(server)
    assert shown["fault"]["message"] == (
        "Insufficient compute resources: Free memory 0.00 MB < requested 2048 MB.")
    assert (shown["OS-EXT-SRV-ATTR:host"], shown["flavor"]["id"]) == ("compute-1", "1")
    events = lab.trace.events(request_id=rid)
    assert [e["dst"] for e in events if e["kind"] == "cast" and e["name"] == "prep_resize"] \
        == ["nova-compute@compute-2", "nova-compute@compute-3"]
    assert [f["payload"]["message"] for f in events
            if f["kind"] == "db" and f["name"] == "instance_fault_create"][-2:] == [
        "No valid host was found. No valid host found for resize",
        "Insufficient compute resources: Free memory 0.00 MB < requested 2048 MB."]
    migration = [m for m in admin.get("/os-migrations", headers={
        "OpenStack-API-Version": "compute 2.59"}).json()["migrations"]
                 if m["instance_uuid"] == server][0]
    assert migration["status"] == "error"
    assert _held(lab, admin, server) == {"compute-1": {"DISK_GB": 1, "MEMORY_MB": 512,
                                                       "VCPU": 1}}
    assert _held(lab, admin, migration["uuid"]) == {}


def test_a_restart_takes_up_a_resize_cut_short(lab):
    """nova-compute's init_host: a server left in resize_prep has its task cleared; one
    left resize_migrating on this host gets its guest back and no task (nova's
    _init_instance).  The states are written as a killed host would leave them."""
    admin = Client(lab, "admin")
    ctxt = lab.services["nova-conductor"].admin_context()
    left = {}
    for name, task in (("cut-prep", "resize_prep"), ("cut-migrating", "resize_migrating")):
        server = _boot_on(admin, name, "compute-2")
        instance = objects.Instance.get_by_uuid(ctxt, server)
        objects.Migration(ctxt, uuid=lab.ids.uuid4(), instance_uuid=server,
                          migration_type="resize", status=task.partition("_")[2],
                          source_compute="compute-2", source_node="compute-2",
                          old_instance_type_id=1, new_instance_type_id=2).create()
        instance.task_state = task
        instance.save()
        left[server] = task
    lab.restart_compute_service("compute-2")
    lab.wait_idle()
    for server in left:
        shown = admin.show(server)
        assert (shown["status"], shown["OS-EXT-STS:task_state"]) == ("ACTIVE", None), server
    log = admin.server_action(next(s for s, t in left.items() if t == "resize_migrating"),
                       {"os-getConsoleOutput": {}}).json()["output"]
    assert "resize reverted" in log
