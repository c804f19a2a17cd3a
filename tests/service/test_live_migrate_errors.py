"""os-migrateLive and a server's migrations refuse bad input and wrong states in nova's words.

nova/api/openstack/compute/migrate_server.py (the schemas per microversion, "Can't
force to a non-provided destination", the conductor's pre-check errors as 400 before
2.34), nova/compute/api.py:API.live_migrate (ACTIVE or PAUSED, ComputeHostNotFound),
nova/conductor/tasks/live_migrate.py (UnableToMigrateToSelf, ComputeServiceUnavailable;
from 2.34 they stay in the conductor: the migration in ``error``, the server as it was)
and nova/api/openstack/compute/server_migrations.py (404 before 2.22/2.23/2.24, an
unknown or finished migration, 409 for a server not migrating).
"""
import pytest

from labkit.client import Client

_HOSTS = ("compute-1", "compute-2", "compute-3")


def _fault(resp, code):
    assert resp.status_code == code, resp.text
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
            409: "conflictingRequest"}[code]
    body = resp.json()
    assert list(body) == [name] and body[name]["code"] == code, body
    return body[name]["message"]


def _live(host=None, **extra):
    return {"os-migrateLive": dict({"host": host, "block_migration": "auto"}, **extra)}


@pytest.fixture(scope="module")
def server(lab):
    client = Client(lab)
    server_id = client.boot("lm-errors", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


def _host(lab, server_id):
    return Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]


def test_only_an_admin_or_manager_may_live_migrate(lab, server):
    msg = _fault(Client(lab, microversion="2.68").server_action(server, _live()), 403)
    assert msg == ("Policy doesn't allow os_compute_api:os-migrate-server:migrate_live "
                   "to be performed.")


@pytest.mark.parametrize("version,body,message", [
    ("2.1", {"os-migrateLive": {"host": None, "block_migration": "auto",
                                "disk_over_commit": False}},
     "Invalid input for field/attribute block_migration. Value: auto."),
    ("2.1", {"os-migrateLive": {"host": None, "block_migration": False}},
     "Invalid input for field/attribute os-migrateLive. Value: {'host': None, "
     "'block_migration': False}. 'disk_over_commit' is a required property"),
    ("2.25", {"os-migrateLive": {"host": None}},
     "Invalid input for field/attribute os-migrateLive. Value: {'host': None}. "
     "'block_migration' is a required property"),
    ("2.25", _live(disk_over_commit=False), "Additional properties are not allowed"),
    ("2.25", _live(force=True), "Additional properties are not allowed"),
    ("2.68", _live("compute-1", force=True), "Additional properties are not allowed"),
    ("2.30", _live(force=True), "Can't force to a non-provided destination"),
    ("2.30", _live(force="maybe"), "Invalid input for field/attribute force. Value: maybe."),
])
def test_bad_bodies(lab, server, version, body, message):
    assert message in _fault(Client(lab, "admin", microversion=version).server_action(server, body), 400)


def test_an_unknown_host_is_400_before_anything_changes(lab, server):
    admin = Client(lab, "admin", microversion="2.68")
    msg = _fault(admin.server_action(server, _live("nowhere")), 400)
    assert msg == "Compute host nowhere could not be found."
    assert admin.show(server)["OS-EXT-STS:task_state"] is None
    assert [a["action"] for a in admin.get(
        f"/servers/{server}/os-instance-actions").json()["instanceActions"]] == ["create"]


def test_a_stopped_server_is_409(lab):
    client, admin = Client(lab), Client(lab, "admin", microversion="2.68")
    server_id = client.boot("lm-stopped", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    client.server_action(server_id, {"os-stop": None})
    client.wait_for(server_id, "SHUTOFF")
    assert _fault(admin.server_action(server_id, _live()), 409) == (
        f"Cannot 'os-migrateLive' instance {server_id} while it is in vm_state stopped")


def test_to_its_own_host_before_2_34_is_400(lab, server):
    """Before 2.34 nova-api waits for the conductor: UnableToMigrateToSelf comes back."""
    source = _host(lab, server)
    for version, body in (("2.25", _live(source)), ("2.30", _live(source, force=True))):
        msg = _fault(Client(lab, "admin", microversion=version).server_action(server, body), 400)
        assert msg == f"Unable to migrate instance ({server}) to current host ({source})."
    admin = Client(lab, "admin", microversion="2.80")
    migrations = admin.get(f"/os-migrations?instance_uuid={server}").json()["migrations"]
    assert [m["status"] for m in migrations] == ["error", "error"]
    server_now = admin.show(server)
    assert (server_now["status"], server_now["OS-EXT-STS:task_state"],
            server_now["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", None, source)


def test_to_its_own_host_from_2_34_fails_in_the_conductor(lab, server):
    """From 2.34 the 202 comes first; the scheduler finds no other host that is the
    named one (NoValidHost), so the migration is in error and the server as it was."""
    admin = Client(lab, "admin", microversion="2.80")
    source = _host(lab, server)
    allocations = admin.get(f"{lab.url('placement')}/allocations/{server}").json()
    resp = admin.server_action(server, _live(source))
    assert resp.status_code == 202
    admin.wait_for(server, "ACTIVE")
    lab.wait_idle()
    migration = admin.get(f"/os-migrations?instance_uuid={server}").json()["migrations"][0]
    assert (migration["status"], migration["dest_compute"]) == ("error", None)
    assert admin.show(server)["OS-EXT-SRV-ATTR:host"] == source
    after = admin.get(f"{lab.url('placement')}/allocations/{server}").json()
    assert {rp: a["resources"] for rp, a in after["allocations"].items()} == {
        rp: a["resources"] for rp, a in allocations["allocations"].items()}
    detail = admin.get(f"/servers/{server}/os-instance-actions/"
                       f"{resp.headers['x-compute-request-id']}").json()["instanceAction"]
    assert [(e["event"], e["result"]) for e in detail["events"]] == [
        ("conductor_live_migrate_instance", "Error")]
    # nova's versioned compute_task.migrate_server.error, from the conductor
    error = [e for e in lab.trace.events(request_id=resp.headers["x-compute-request-id"],
                                         kind="notification")
             if e["name"] == "compute_task.migrate_server.error"]
    assert len(error) == 1
    assert error[0]["payload"]["nova_object.data"]["reason"]["exception"] == "NoValidHost"


def test_a_host_that_is_down(lab, server):
    """A forced destination whose service is down: ComputeServiceUnavailable (400 at 2.30);
    the server's own host down: the same, from the conductor (2.34+: migration error)."""
    source = _host(lab, server)
    target = next(h for h in _HOSTS if h != source)
    services = Client(lab, "admin", microversion="2.11")

    def force_down(host, down):
        resp = services.put("/os-services/force-down", json={
            "host": host, "binary": "nova-compute", "forced_down": down})
        assert resp.status_code == 200, resp.text

    force_down(target, True)
    try:
        msg = _fault(Client(lab, "admin", microversion="2.30").server_action(server, _live(target, force=True)),
                     400)
        assert msg == f"Compute service of {target} is unavailable at this time."
    finally:
        force_down(target, False)
    force_down(source, True)
    try:
        admin = Client(lab, "admin", microversion="2.80")
        assert admin.server_action(server, _live()).status_code == 202
        admin.wait_for(server, "ACTIVE")
        lab.wait_idle()
        migration = admin.get(f"/os-migrations?instance_uuid={server}").json()[
            "migrations"][0]
        assert migration["status"] == "error"
    finally:
        force_down(source, False)


def test_server_migrations_errors(lab, server):
    admin = Client(lab, "admin", microversion="2.80")
    # the routes appear with their microversions
    assert _fault(Client(lab, "admin", microversion="2.22").get(f"/servers/{server}/migrations"), 404) == (
        "The resource could not be found.")
    assert _fault(Client(lab, "admin", microversion="2.21").post(
        f"/servers/{server}/migrations/1/action", json={"force_complete": None}), 404)
    assert _fault(Client(lab, "admin", microversion="2.23").send("DELETE", f"/servers/{server}/migrations/1"), 404)
    for missing in ("999", "abc"):
        assert _fault(admin.get(f"/servers/{server}/migrations/{missing}"), 404) == (
            f"In-progress live migration {missing} is not found for server {server}.")
    done = admin.get(f"/os-migrations?instance_uuid={server}").json()["migrations"][0]
    assert _fault(admin.get(f"/servers/{server}/migrations/{done['id']}"), 404) == (
        f"Live migration {done['id']} for server {server} is not in progress.")
    # nothing is migrating: force_complete and abort are 409s (with no task state to
    # name, nova's raise_http_conflict_for_instance_invalid_state says it this way)
    assert _fault(admin.post(f"/servers/{server}/migrations/{done['id']}/action",
                             json={"force_complete": None}), 409) == (
        f"Instance {server} is in an invalid state for 'force_complete'")
    assert _fault(admin.send("DELETE", f"/servers/{server}/migrations/{done['id']}"), 409) == (
        f"Instance {server} is in an invalid state for 'abort live migration'")
    assert _fault(admin.post(f"/servers/{server}/migrations/{done['id']}/action",
                             json={"force_complete": None, "x": 1}), 400) == (
        "Malformed request body")
    assert _fault(admin.post(f"/servers/{server}/migrations/{done['id']}/action",
                             json={"force_complete": {}}), 400) == (
        "Invalid input for field/attribute force_complete. Value: {}. "
        "{} is not of type 'null'")
    assert _fault(admin.post(f"/servers/{server}/migrations/{done['id']}/action",
                             json={"force_completion": None}), 400) == (
        "There is no such action: force_completion")
    member = Client(lab, microversion="2.23")
    assert _fault(member.get(f"/servers/{server}/migrations"), 403) == (
        "Policy doesn't allow os_compute_api:servers:migrations:index to be performed.")


def test_a_forced_destination_that_refuses(lab, server):
    """A forced host whose check refuses (InvalidCPUInfo): before 2.34, nova's 400."""
    source = _host(lab, server)
    target = next(h for h in _HOSTS if h != source)
    lab.faults.incompatible_cpu(target)
    try:
        msg = _fault(Client(lab, "admin", microversion="2.30").server_action(server, _live(target, force=True)),
                     400)
    finally:
        lab.faults.clear()
    assert msg == f"Unacceptable CPU info: the CPU of {target} is incompatible with the guest's"
    assert _host(lab, server) == source
