"""Live migration hop by hop, against nova 34's captured flow.

/work/shared/reference/lifecycle-flows.md, ``live_migrate``: nova-api casts
live_migrate_instance; the conductor moves the source allocation to the migration,
calls select_destinations, calls check_can_live_migrate_destination (which calls
check_can_live_migrate_source), then casts live_migration to the source on topic
compute-alt; the source calls pre_live_migration and post_live_migration_at_destination
on the destination (compute-alt), tells the schedulers, marks the migration completed
and drops its allocation with a PUT of none.  Then the rollback (a destination that
fails pre_live_migration), force_complete and abort (a migration held running).
"""
import time

import pytest

from labkit.client import Client

_OBJECT_CALLS = ("object_action", "object_class_action_versions")
LIVE = {"os-migrateLive": {"host": None, "block_migration": "auto"}}


@pytest.fixture(scope="module")
def admin(lab):
    return Client(lab, "admin", microversion="2.80")


def _active_on(lab, admin, name):
    client = Client(lab)
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id, admin.show(server_id)["OS-EXT-SRV-ATTR:host"]


def _rpc(events):
    return [(e["kind"], e["src"], e["dst"], e.get("topic"), e["name"]) for e in events
            if e["kind"] in ("cast", "call") and e["name"] not in _OBJECT_CALLS]


def _placement(events, names):
    """(src, method, path with consumers named) of each placement request."""
    out = []
    for e in events:
        if e["kind"] == "http" and e["dst"] == "placement" and e["src"] != "placement":
            path = e["path"].split("?")[0]
            for uuid, name in names.items():
                path = path.replace(uuid, name)
            out.append((e["src"], e["method"], path))
    return out


def _statuses(events):
    return [(e["migration"]["status"], e["src"]) for e in events
            if e["kind"] == "db" and e["name"] in ("migration_create", "migration_update")
            and "status" in (e["payload"] or {})]


def _allocations(lab, admin, consumer):
    body = admin.get(f"{lab.url('placement')}/allocations/{consumer}",
                             headers={"OpenStack-API-Version": "placement 1.28"}).json()
    return {rp: a["resources"] for rp, a in body["allocations"].items()}


def _provider(lab, admin, host):
    rps = admin.get(f"{lab.url('placement')}/resource_providers?name={host}").json()
    return rps["resource_providers"][0]["uuid"]


def test_live_migrate_matches_nova(lab, admin):
    server_id, source = _active_on(lab, admin, "live")
    before = _allocations(lab, admin, server_id)
    resp = admin.server_action(server_id, LIVE)
    assert resp.status_code == 202 and resp.content == b""
    server, seen = admin.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    dest = server["OS-EXT-SRV-ATTR:host"]
    assert dest != source and ("MIGRATING", "active", "migrating", 1) in seen
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    src, dst = f"nova-compute@{source}", f"nova-compute@{dest}"
    assert _rpc(events) == [
        ("cast", "nova-api", "nova-conductor", "conductor", "live_migrate_instance"),
        ("call", "nova-conductor", "nova-scheduler", "scheduler", "select_destinations"),
        ("call", "nova-conductor", dst, "compute", "check_can_live_migrate_destination"),
        ("call", dst, src, "compute", "check_can_live_migrate_source"),
        ("cast", "nova-conductor", src, "compute-alt", "live_migration"),
        ("call", src, dst, "compute-alt", "pre_live_migration"),
        ("call", src, dst, "compute-alt", "post_live_migration_at_destination"),
        ("cast", src, "nova-scheduler", "scheduler", "update_instance_info")]
    migration = admin.get(f"/os-migrations?instance_uuid={server_id}").json()["migrations"]
    assert [(m["migration_type"], m["status"], m["source_compute"], m["dest_compute"])
            for m in migration] == [("live-migration", "completed", source, dest)]
    names = {server_id: "{instance}", migration[0]["uuid"]: "{migration}"}
    # NOTE: nova's source also reads its provider's allocations twice (the resource
    # tracker) and the migration's twice before the PUT; labkit's tracker counts nothing
    assert _placement(events, names) == [
        ("nova-conductor", "GET", "/allocations/{instance}"),
        ("nova-conductor", "GET", "/allocations/{instance}"),
        ("nova-conductor", "GET", "/allocations/{migration}"),
        ("nova-conductor", "POST", "/allocations"),
        ("nova-scheduler", "GET", "/allocation_candidates"),
        ("nova-scheduler", "GET", "/allocations/{instance}"),
        ("nova-scheduler", "PUT", "/allocations/{instance}"),
        (dst, "GET", "/allocations/{instance}"),
        (src, "GET", "/allocations/{migration}"),
        (src, "PUT", "/allocations/{migration}")]
    post = next(e for e in events if e["kind"] == "http" and e["method"] == "POST"
                and e["dst"] == "placement")
    assert post["payload"][server_id]["allocations"] == {}
    assert {rp: a["resources"] for rp, a in
            post["payload"][migration[0]["uuid"]]["allocations"].items()} == before
    put = [e for e in events if e["kind"] == "http" and e["method"] == "PUT"
           and e["dst"] == "placement"][-1]
    assert put["payload"]["allocations"] == {}
    # the state saves: nova-api's migrating, then the destination's host and no task
    saves = [(e["src"], {k: v for k, v in e["states"]["after"].items()
                         if k in ("task_state", "host")})
             for e in events if e["kind"] == "db" and e.get("states")]
    assert saves == [("nova-api", {"task_state": "migrating", "host": source}),
                     ("nova-conductor", {"task_state": None, "host": dest})]
    assert [s for s, _ in _statuses(events)] == [
        "accepted", "queued", "preparing", "running", "completed"]
    # the allocations: the instance on the destination only, the migration holds nothing
    assert _allocations(lab, admin, server_id) == {
        _provider(lab, admin, dest): next(iter(before.values()))}
    assert _allocations(lab, admin, migration[0]["uuid"]) == {}
    detail = admin.get(f"/servers/{server_id}/os-instance-actions/"
                       f"{resp.headers['x-compute-request-id']}").json()["instanceAction"]
    assert detail["action"] == "live-migration"
    assert [(e["event"], e["host"], e["result"]) for e in detail["events"]] == [
        ("conductor_live_migrate_instance", "conductor", "Success"),
        ("compute_check_can_live_migrate_destination", dest, "Success"),
        ("compute_check_can_live_migrate_source", source, "Success"),
        ("compute_live_migration", source, "Success"),
        ("compute_pre_live_migration", dest, "Success"),
        ("compute_post_live_migration_at_destination", dest, "Success")]
    assert [e["name"] for e in events if e["kind"] == "notification"] == [
        "scheduler.select_destinations.start", "scheduler.select_destinations.end",
        "instance.live_migration_pre.start", "instance.live_migration_pre.end",
        "instance.live_migration_post.start", "instance.live_migration_post_dest.start",
        "instance.live_migration_post_dest.end", "instance.live_migration_post.end"]
    # the guest left the source's hypervisor and runs on the destination's
    assert server_id not in lab.compute(source).manager.driver.instances
    assert server_id in lab.compute(dest).manager.driver.instances
    # nothing in progress any more
    assert admin.get(f"/servers/{server_id}/migrations").json() == {"migrations": []}


def test_a_named_host_is_still_filtered_and_a_forced_one_is_not(lab, admin):
    server_id, source = _active_on(lab, admin, "named")
    target = next(h for h in ("compute-1", "compute-2", "compute-3") if h != source)
    resp = admin.server_action(server_id, {"os-migrateLive": {"host": target,
                                                       "block_migration": "auto"}})
    assert resp.status_code == 202
    server, _ = admin.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    assert server["OS-EXT-SRV-ATTR:host"] == target
    names = [n for *_, n in _rpc(lab.trace.events(
        request_id=resp.headers["x-compute-request-id"]))]
    assert "select_destinations" in names        # 2.68: the scheduler checks the host
    forced = Client(lab, "admin", microversion="2.30")
    resp = forced.server_action(server_id, {"os-migrateLive": {"host": source, "force": True,
                                                        "block_migration": "auto"}})
    assert resp.status_code == 202
    server, _ = admin.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    assert server["OS-EXT-SRV-ATTR:host"] == source
    assert "select_destinations" not in [n for *_, n in _rpc(events)]
    # the forced host's claim is the source's allocation, copied (no candidates asked)
    assert not [e for e in events if e["kind"] == "http" and
                e["path"].startswith("/allocation_candidates")]
    assert list(_allocations(lab, admin, server_id)) == [_provider(lab, admin, source)]


def test_a_destination_that_fails_rolls_back(lab, admin):
    """pre_live_migration raises on the destination: the source rolls back; with a block
    migration (local disks) the destination is cast to clean up."""
    server_id, source = _active_on(lab, admin, "rollback")
    target = next(h for h in ("compute-1", "compute-2", "compute-3") if h != source)
    before = _allocations(lab, admin, server_id)
    lab.faults.fail_live_migrations(target)
    try:
        resp = admin.server_action(server_id, {"os-migrateLive": {"host": target,
                                                           "block_migration": True}})
        assert resp.status_code == 202
        admin.wait_for(server_id, "MIGRATING")
        server, _ = admin.wait_for(server_id, "ACTIVE")
        lab.wait_idle()
    finally:
        lab.faults.clear()
    assert server["OS-EXT-SRV-ATTR:host"] == source and server["OS-EXT-STS:task_state"] is None
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    src, dst = f"nova-compute@{source}", f"nova-compute@{target}"
    assert _rpc(events)[-2:] == [
        ("call", src, dst, "compute-alt", "pre_live_migration"),
        ("cast", src, dst, "compute-alt", "rollback_live_migration_at_destination")]
    assert [s for s, _ in _statuses(events)] == [
        "accepted", "queued", "preparing", "error", "failed"]
    migration = admin.get(f"/os-migrations?instance_uuid={server_id}").json()["migrations"][0]
    names = {server_id: "{instance}", migration["uuid"]: "{migration}"}
    # the revert: read what the migration holds, then move it back in one POST
    assert _placement(events, names)[-4:] == [
        (src, "GET", "/allocations/{migration}"), (src, "GET", "/allocations/{migration}"),
        (src, "GET", "/allocations/{instance}"), (src, "POST", "/allocations")]
    assert _allocations(lab, admin, server_id) == before
    assert _allocations(lab, admin, migration["uuid"]) == {}
    detail = admin.get(f"/servers/{server_id}/os-instance-actions/"
                       f"{resp.headers['x-compute-request-id']}").json()["instanceAction"]
    assert ("compute_pre_live_migration", "Error") in [(e["event"], e["result"])
                                                       for e in detail["events"]]
    assert "instance.live_migration_rollback.end" in [
        e["name"] for e in events if e["kind"] == "notification"]
    assert server_id in lab.compute(source).manager.driver.instances


def test_force_complete_and_abort_a_running_migration(lab, admin):
    server_id, source = _active_on(lab, admin, "held")
    before = _allocations(lab, admin, server_id)
    lab.faults.hold_live_migrations(source)
    try:
        # abort: the running migration is cancelled, the server stays where it was
        assert admin.server_action(server_id, LIVE).status_code == 202
        running = _wait_running(lab, admin, server_id)
        assert running["server_uuid"] == server_id and running["source_compute"] == source
        shown = admin.get(f"/servers/{server_id}/migrations/{running['id']}").json()
        assert shown["migration"]["status"] == "running" and "uuid" in shown["migration"]
        resp = admin.send("DELETE", f"/servers/{server_id}/migrations/{running['id']}")
        assert resp.status_code == 202
        server, _ = admin.wait_for(server_id, "ACTIVE")
        lab.wait_idle()
        assert server["OS-EXT-SRV-ATTR:host"] == source
        assert admin.get(f"/os-migrations?instance_uuid={server_id}").json()[
            "migrations"][0]["status"] == "cancelled"
        assert _allocations(lab, admin, server_id) == before
        # force_complete: the running migration finishes now
        assert admin.server_action(server_id, LIVE).status_code == 202
        running = _wait_running(lab, admin, server_id)
        resp = admin.post(f"/servers/{server_id}/migrations/{running['id']}/action",
                          json={"force_complete": None})
        assert resp.status_code == 202
        server, _ = admin.wait_for(server_id, "ACTIVE")
        lab.wait_idle()
    finally:
        lab.faults.clear()
    assert server["OS-EXT-SRV-ATTR:host"] != source
    actions = [a["action"] for a in admin.get(
        f"/servers/{server_id}/os-instance-actions").json()["instanceActions"]]
    assert actions[:4] == ["live_migration_force_complete", "live-migration",
                           "live_migration_cancel", "live-migration"]


def _wait_running(lab, admin, server_id, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        migrations = admin.get(f"/servers/{server_id}/migrations").json()["migrations"]
        if migrations and migrations[0]["status"] == "running":
            return migrations[0]
        time.sleep(0.01)
    raise AssertionError("no running live migration")


def test_a_paused_server_moves_paused(lab, admin):
    server_id, source = _active_on(lab, admin, "paused")
    assert admin.server_action(server_id, {"pause": None}).status_code == 202
    admin.wait_for(server_id, "PAUSED")
    resp = admin.server_action(server_id, LIVE)
    assert resp.status_code == 202
    server, seen = admin.wait_for(server_id, "PAUSED")       # MIGRATING until then
    lab.wait_idle()
    assert seen[0][:3] == ("MIGRATING", "paused", "migrating")
    assert server["OS-EXT-SRV-ATTR:host"] != source and server["OS-EXT-STS:task_state"] is None
    assert admin.get(f"/os-migrations?instance_uuid={server_id}").json()[
        "migrations"][0]["status"] == "completed"


def test_clearing_the_faults_lets_a_held_migration_finish(lab, admin):
    server_id, source = _active_on(lab, admin, "released")
    lab.faults.hold_live_migrations(source, seconds=60)
    try:
        assert admin.server_action(server_id, LIVE).status_code == 202
        _wait_running(lab, admin, server_id)
    finally:
        lab.faults.clear()
    started = time.monotonic()
    server, _ = admin.wait_for(server_id, "ACTIVE")
    assert time.monotonic() - started < 5 and server["OS-EXT-SRV-ATTR:host"] != source


def test_abort_while_preparing_needs_2_65(lab, admin):
    """A migration still ``preparing`` (the destination slow in pre_live_migration) may be
    aborted only from 2.65; nova-compute then rolls it back when pre_live_migration is
    done (``cancelled``), as nova's _do_live_migration does for one taken off its queue."""
    server_id, source = _active_on(lab, admin, "preparing")
    drivers = [lab.compute(h).manager.driver for h in ("compute-1", "compute-2", "compute-3")]
    for driver in drivers:
        driver.delays["pre_live_migration"] = 1.0
    try:
        assert admin.server_action(server_id, LIVE).status_code == 202
        deadline = time.monotonic() + 5
        while True:
            migrations = admin.get(f"/servers/{server_id}/migrations").json()["migrations"]
            if migrations and migrations[0]["status"] == "preparing":
                break
            assert time.monotonic() < deadline, migrations
            time.sleep(0.01)
        path = f"/servers/{server_id}/migrations/{migrations[0]['id']}"
        old = Client(lab, "admin", microversion="2.64").send("DELETE", path)
        assert old.status_code == 400 and old.json()["badRequest"]["message"] == (
            f"Migration {migrations[0]['id']} state of instance {server_id} is preparing. "
            "Cannot abort live migration while the migration is in this state.")
        assert admin.send("DELETE", path).status_code == 202
        server, _ = admin.wait_for(server_id, "ACTIVE")
        lab.wait_idle()
    finally:
        for driver in drivers:
            driver.delays.pop("pre_live_migration", None)
    assert server["OS-EXT-SRV-ATTR:host"] == source
    record = admin.get(f"/os-migrations?instance_uuid={server_id}").json()["migrations"][0]
    assert record["status"] == "cancelled"
    events = lab.trace.events(kind="notification")
    assert [e["name"] for e in events if e["name"].startswith("instance.live_migration_abort")
            ][-2:] == ["instance.live_migration_abort.start", "instance.live_migration_abort.end"]


def test_a_destination_that_refuses_is_dropped_and_the_scheduler_asked_again(lab, admin):
    """Both other hosts refuse in check_can_live_migrate_destination (InvalidCPUInfo): the
    conductor drops each (its claim removed: GET then PUT of the rest) and asks the
    scheduler again without it, until NoValidHost; the server stays where it was."""
    server_id, source = _active_on(lab, admin, "refused")
    others = [h for h in ("compute-1", "compute-2", "compute-3") if h != source]
    before = _allocations(lab, admin, server_id)
    for host in others:
        lab.faults.incompatible_cpu(host)
    try:
        resp = admin.server_action(server_id, LIVE)
        assert resp.status_code == 202
        server, _ = admin.wait_for(server_id, "ACTIVE")
        lab.wait_idle()
    finally:
        lab.faults.clear()
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    calls = [(dst, name) for kind, src, dst, topic, name in _rpc(events) if kind == "call"]
    checked = [dst.split("@")[1] for dst, name in calls
               if name == "check_can_live_migrate_destination"]
    assert sorted(checked) == sorted(others)
    assert [name for _, name in calls] == [
        "select_destinations", "check_can_live_migrate_destination"] * 2 + [
        "select_destinations"]
    # each refused host's claim is removed before the scheduler is asked again
    names = {server_id: "{instance}"}
    conductor = [(m, p) for src, m, p in _placement(events, names) if src == "nova-conductor"]
    assert conductor.count(("PUT", "/allocations/{instance}")) == 2
    assert server["OS-EXT-SRV-ATTR:host"] == source and server["OS-EXT-STS:task_state"] is None
    record = admin.get(f"/os-migrations?instance_uuid={server_id}").json()["migrations"][0]
    assert record["status"] == "error"
    assert _allocations(lab, admin, server_id) == before
