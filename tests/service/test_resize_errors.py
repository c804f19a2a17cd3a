"""Resize, migrate, confirmResize and revertResize refuse in nova's own words.

nova/api/openstack/compute/servers.py (_resize, _confirm_resize, _revert_resize) and
migrate_server.py (_migrate) over nova/compute/api.py (resize, confirm_resize,
revert_resize): the schema's 400s, CannotResizeToSameFlavor and FlavorNotFound (400),
the upsize quota (403), wrong states and locks (409), "Instance has not been resized."
(400), the migrate policy (403), a 2.56 host that is the server's own or unknown (400);
and a resize no host can take: NoValidHost leaves the server as it was, the migration
in ``error`` and the allocation back with the instance.
"""
import pytest

from labkit.client import Client, fault


def _active(client, name, flavor="1"):
    server_id = client.boot(name, flavor=flavor, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


@pytest.fixture(scope="module")
def active(lab):
    return _active(Client(lab), "resize-target")


@pytest.mark.parametrize("body,message", [
    ({"resize": {"flavorRef": "1"}}, "When resizing, instances must change flavor!"),
    ({"resize": {"flavorRef": "999"}}, "Flavor 999 could not be found."),
    ({"resize": {}}, "Invalid input for field/attribute resize. Value: {}. "
                     "'flavorRef' is a required property"),
    ({"resize": {"flavorRef": "2", "extra": 1}},
     "Invalid input for field/attribute resize. Value: {'flavorRef': '2', 'extra': 1}. "
     "Additional properties are not allowed ('extra' was unexpected)"),
])
def test_bad_resize_is_a_400(client, active, body, message):
    assert fault(client.server_action(active, body), 400) == message
    assert client.show(active)["status"] == "ACTIVE"


@pytest.mark.parametrize("body,action", [
    ({"confirmResize": None}, "confirmResize"), ({"revertResize": None}, "revertResize")])
def test_nothing_to_confirm_or_revert_is_a_409(client, active, body, action):
    assert fault(client.server_action(active, body), 409) == (
        f"Cannot '{action}' instance {active} while it is in vm_state active")


def test_a_paused_or_locked_server_is_not_resized(client, lab):
    server_id = _active(client, "paused-resize")
    client.server_action(server_id, {"pause": None})
    client.wait_for(server_id, "PAUSED")
    assert fault(client.server_action(server_id, {"resize": {"flavorRef": "2"}}), 409) == (
        f"Cannot 'resize' instance {server_id} while it is in vm_state paused")
    client.server_action(server_id, {"unpause": None})
    client.wait_for(server_id, "ACTIVE")
    Client(lab, "admin").server_action(server_id, {"lock": None})
    assert fault(client.server_action(server_id, {"resize": {"flavorRef": "2"}}), 409) == (
        f"Instance {server_id} is locked")


def test_migrate_is_for_admins_and_checks_its_host(client, lab, active):
    assert fault(client.server_action(active, {"migrate": None}), 403) == (
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed.")
    admin = Client(lab, "admin", microversion="2.56")
    host = admin.show(active)["OS-EXT-SRV-ATTR:host"]
    assert fault(admin.server_action(active, {"migrate": {"host": host}}), 400) == (
        "Cannot migrate to the host where the server exists.")
    assert fault(admin.server_action(active, {"migrate": {"host": "nowhere"}}), 400) == (
        "Compute host nowhere could not be found.")
    assert fault(admin.server_action(active, {"migrate": {"hots": "x"}}), 400).startswith(
        "Invalid input for field/attribute migrate.")
    assert admin.show(active)["status"] == "ACTIVE"


def test_an_upsize_over_the_cores_quota_is_a_403(lab):
    client, admin = Client(lab), Client(lab, "admin")
    server_id = _active(client, "quota-resize")
    used = client.get("/limits").json()["limits"]["absolute"]["totalCoresUsed"]
    project = client.project_id
    assert admin.put(f"/os-quota-sets/{project}",
                     json={"quota_set": {"cores": used}}).status_code == 200
    try:
        msg = fault(client.server_action(server_id, {"resize": {"flavorRef": "3"}}), 403)
    finally:
        admin.send("DELETE", f"/os-quota-sets/{project}")
    assert msg == (f"Quota exceeded for cores: Requested 1, but already used {used} of "
                   f"{used} cores")


def test_no_host_for_the_new_flavor_leaves_the_server_as_it_was(lab):
    """m1.xlarge (16 GiB) fits no 16 GiB host with its reserved memory: NoValidHost."""
    client, admin = Client(lab), Client(lab, "admin")
    server_id = _active(client, "too-big")
    placement = lab.url("placement")
    before = admin.get(f"{placement}/allocations/{server_id}").json()["allocations"]
    resp = client.server_action(server_id, {"resize": {"flavorRef": "5"}})
    assert resp.status_code == 202
    lab.wait_idle()
    server = client.show(server_id)
    assert (server["status"], server["OS-EXT-STS:task_state"]) == ("ACTIVE", None)
    assert server["flavor"]["id"] == "1"
    migration = [m for m in admin.get("/os-migrations").json()["migrations"]
                 if m["instance_uuid"] == server_id]
    assert [m["status"] for m in migration] == ["error"]
    after = admin.get(f"{placement}/allocations/{server_id}").json()["allocations"]
    assert {rp: a["resources"] for rp, a in after.items()} == \
        {rp: a["resources"] for rp, a in before.items()}
    rid = resp.headers["x-compute-request-id"]
    events = admin.get(f"/servers/{server_id}/os-instance-actions/{rid}").json()[
        "instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in events] == [("cold_migrate", "Error")]
    assert "No valid host was found." in events[0]["traceback"]


def test_a_server_whose_host_is_down_is_not_moved(lab):
    """nova's check_instance_host(check_is_up=True): 409 'Service is unavailable at this
    time.' while the server's compute service is down (here forced down, 2.53)."""
    client = Client(lab)
    admin = Client(lab, "admin", microversion="2.53")
    server_id = _active(client, "host-down")
    host = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    svc = next(s for s in admin.get("/os-services?binary=nova-compute").json()["services"]
               if s["host"] == host)
    admin.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        for who, body in ((client, {"resize": {"flavorRef": "2"}}), (admin, {"migrate": None})):
            assert fault(who.server_action(server_id, body), 409) == (
                "Service is unavailable at this time.")
    finally:
        admin.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    assert client.show(server_id)["status"] == "ACTIVE"


def test_confirm_needs_the_source_host_up_and_migrate_goes_where_an_admin_says(lab):
    """2.56 migrate {"host"}: the scheduler checks only that host (requested_destination);
    confirmResize refuses while the source's compute service is down (409, nova's
    confirm_resize), and works once it is back."""
    client = Client(lab)
    admin = Client(lab, "admin", microversion="2.56")
    server_id = _active(client, "named-host")
    source = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    target = next(h for h in ("compute-3", "compute-2", "compute-1") if h != source)
    assert admin.server_action(server_id, {"migrate": {"host": target}}).status_code == 202
    admin.wait_for(server_id, "VERIFY_RESIZE")
    assert admin.show(server_id)["OS-EXT-SRV-ATTR:host"] == target
    services = Client(lab, "admin", microversion="2.53")
    svc = next(s for s in services.get("/os-services?binary=nova-compute").json()["services"]
               if s["host"] == source)
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        assert fault(client.server_action(server_id, {"confirmResize": None}), 409) == (
            "Service is unavailable at this time.")
    finally:
        services.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    assert client.server_action(server_id, {"confirmResize": None}).status_code == 204
    client.wait_for(server_id, "ACTIVE")
