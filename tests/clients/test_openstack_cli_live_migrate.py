"""Live migration with the unmodified ``openstack`` CLI, as an admin types it.

``server migrate --live-migration [--host] --wait``, ``server migration list``,
``server migration show``, ``server migration abort`` and ``server migration force
complete`` (the last three on a migration the lab holds running:
``lab.faults.hold_live_migrations``), and nova's 400 for an unknown host on the
CLI's error line.  One in-process lab for the module, so the trace can be read too.
"""
import json
import time

from labkit.client import Client

V = ("--os-compute-api-version", "2.80")


def _admin(clients, *args, **kw):
    return clients.openstack(*V, *args, cloud="labkit-admin", **kw)


def _show(clients, name):
    return json.loads(_admin(clients, "server", "show", "-f", "json", name).stdout)


def _running(lab, server_id, timeout=30):
    """The server's live migration (its id and uuid) once it is ``running``."""
    from labkit.nova import objects
    ctxt = lab.services["nova-conductor"].admin_context()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = objects.MigrationList.get_in_progress_by_instance(ctxt, server_id,
                                                                  "live-migration")
        if found and found[0].status == "running":
            return found[0]
        time.sleep(0.05)
    raise AssertionError("no running live migration")


def _wait_host(lab, server_id, host, timeout=30):
    """Wait (reading the lab's database, not polling with the CLI) until the server
    rests with no task on ``host`` (a host name, or a test of it)."""
    from labkit.nova import objects
    ctxt = lab.services["nova-conductor"].admin_context()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        instance = objects.Instance.get_by_uuid(ctxt, server_id)
        if instance.task_state is None and (
                host(instance.host) if callable(host) else instance.host == host):
            return
        time.sleep(0.05)
    raise AssertionError(f"{server_id} never came to rest on {host}")


def test_live_migration_with_the_cli(clients, lab):
    # the demo user's server (booted by the lab's own client: every CLI run costs
    # seconds); the admin finds it by its id
    demo = Client(lab)
    name = demo.boot("cli-live", check=False)["id"]
    demo.wait_for(name, "ACTIVE")
    server = _show(clients, name)
    source = server["OS-EXT-SRV-ATTR:host"]
    proc = _admin(clients, "server", "migrate", "--live-migration", "--wait", name)
    assert "Complete, check success/failure by" in proc.stdout
    moved = _show(clients, name)
    assert moved["status"] == "ACTIVE" and moved["OS-EXT-SRV-ATTR:host"] != source
    # --host (2.30+): the scheduler checks the named host, back to where it started
    _admin(clients, "server", "migrate", "--live-migration", "--host", source, name)
    _wait_host(lab, name, source)
    lab.wait_idle()      # the source marks the record completed after the server is ACTIVE
    listed = json.loads(_admin(clients, "server", "migration", "list", "--server",
                               name, "-f", "json").stdout)
    assert [(m["Type"], m["Status"]) for m in listed] == [("live-migration", "completed")] * 2
    assert {(m["Source Compute"], m["Dest Compute"]) for m in listed} == {
        (source, moved["OS-EXT-SRV-ATTR:host"]), (moved["OS-EXT-SRV-ATTR:host"], source)}
    refused = _admin(clients, "server", "migrate", "--live-migration", "--host", "nowhere",
                     name, check=False)
    assert refused.returncode == 1
    assert "Compute host nowhere could not be found." in refused.stderr
    assert "BadRequestException: 400" in refused.stderr

    # a migration held running: show it, abort it; then force another one to complete
    lab.faults.hold_live_migrations(source, seconds=60)
    try:
        _admin(clients, "server", "migrate", "--live-migration", name)
        migration = _running(lab, server["id"])
        # by uuid (2.59): the CLI finds it in GET /servers/{id}/migrations.  NOTE: by id,
        # python-openstackclient 10.5 passes (server, migration) to openstacksdk 4.22's
        # get_server_migration(migration, server) and asks for the wrong URL
        shown = json.loads(_admin(clients, "server", "migration", "show", "-f", "json",
                                  name, migration.uuid).stdout)
        assert (shown["ID"], shown["UUID"], shown["Status"], shown["Source Compute"]) == (
            migration.id, migration.uuid, "running", source)
        assert _admin(clients, "server", "migration", "abort", name,
                      str(migration.id)).stdout == ""
        _wait_host(lab, name, source)
        _admin(clients, "server", "migrate", "--live-migration", name)
        _admin(clients, "server", "migration", "force", "complete", name,
               str(_running(lab, server["id"]).id))
        _wait_host(lab, name, lambda host: host != source)
    finally:
        lab.faults.clear()
    listed = json.loads(_admin(clients, "server", "migration", "list", "--server",
                               name, "-f", "json").stdout)
    assert [m["Status"] for m in listed][:2] == ["completed", "cancelled"]
    actions = demo.get(f"/servers/{name}/os-instance-actions").json()["instanceActions"]
    assert [a["action"] for a in actions][:4] == [
        "live_migration_force_complete", "live-migration", "live_migration_cancel",
        "live-migration"]
    demo.send("DELETE", f"/servers/{name}")
