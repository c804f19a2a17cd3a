"""os-services and os-availability-zone over real HTTP, microversion by microversion.

Expected bodies and messages are nova's (nova/api/openstack/compute/services.py,
availability_zone.py, nova/availability_zones.py): every nova service is listed
with its zone ("internal" for the conductor and scheduler), ``state`` comes from
its heartbeats, ``status`` from the services table.
"""
import time

import requests

import labkit
from labkit.client import Client, fault as _fault


def _put(client, path, body):
    return client.send("PUT", path, json=body)


def test_list_at_2_1_2_11_and_2_53(lab):
    services = Client(lab, "admin").get("/os-services").json()["services"]
    assert [(s["binary"], s["host"], s["zone"]) for s in services] == [
        ("nova-conductor", "conductor", "internal"), ("nova-scheduler", "scheduler", "internal"),
        ("nova-compute", "compute-1", "nova"), ("nova-compute", "compute-2", "nova"),
        ("nova-compute", "compute-3", "nova")]
    first = services[0]
    assert set(first) == {"binary", "host", "id", "zone", "status", "state", "updated_at",
                          "disabled_reason"}                      # 2.1: no forced_down
    assert isinstance(first["id"], int) and first["state"] == "up"
    assert first["status"] == "enabled" and first["disabled_reason"] is None
    v211 = Client(lab, "admin", microversion="2.11").get("/os-services").json()["services"]
    assert all(s["forced_down"] is False for s in v211)
    v253 = Client(lab, "admin", microversion="2.53").get("/os-services?binary=nova-compute&host=compute-2")
    (only,) = v253.json()["services"]
    assert only["host"] == "compute-2" and len(only["id"]) == 36     # a uuid from 2.53


def test_services_are_admin_only(lab):
    message = _fault(Client(lab).get("/os-services"), 403)
    assert message == "Policy doesn't allow os_compute_api:os-services:list to be performed."


def test_disable_with_reason_then_enable_before_2_53(lab):
    admin = Client(lab, "admin")
    resp = _put(admin, "/os-services/disable-log-reason",
                {"host": "compute-3", "binary": "nova-compute", "disabled_reason": "maint"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"service": {"host": "compute-3", "binary": "nova-compute",
                                       "status": "disabled", "disabled_reason": "maint"}}
    listed = {s["host"]: s for s in admin.get("/os-services").json()["services"]}
    assert listed["compute-3"]["status"] == "disabled"
    assert listed["compute-3"]["disabled_reason"] == "maint"
    resp = _put(admin, "/os-services/enable", {"host": "compute-3", "binary": "nova-compute"})
    assert resp.json() == {"service": {"host": "compute-3", "binary": "nova-compute",
                                       "status": "enabled"}}
    assert _fault(_put(admin, "/os-services/disable-log-reason",
                       {"host": "compute-3", "binary": "nova-compute"}),
                  400) == "Missing disabled reason field"
    assert _fault(_put(admin, "/os-services/disable",
                       {"host": "conductor", "binary": "nova-conductor"}), 400) == (
        "Updating a nova-conductor service is not supported. Only nova-compute services "
        "can be updated.")
    assert _fault(_put(admin, "/os-services/disable",
                       {"host": "compute-9", "binary": "nova-compute"}), 404) == (
        "Could not find binary nova-compute on host compute-9.")
    assert _fault(_put(admin, "/os-services/force-down",          # only from 2.11
                       {"host": "compute-3", "binary": "nova-compute"}), 404) == "Unknown action"


def test_force_down_at_2_11_makes_the_service_down(lab):
    admin = Client(lab, "admin", microversion="2.11")
    body = {"host": "compute-2", "binary": "nova-compute", "forced_down": True}
    resp = _put(admin, "/os-services/force-down", body)
    assert resp.json() == {"service": {"host": "compute-2", "binary": "nova-compute",
                                       "forced_down": True}}
    listed = {s["host"]: s for s in admin.get("/os-services").json()["services"]}
    assert (listed["compute-2"]["state"], listed["compute-2"]["forced_down"]) == ("down", True)
    _put(admin, "/os-services/force-down", dict(body, forced_down="false"))
    listed = {s["host"]: s for s in admin.get("/os-services").json()["services"]}
    assert (listed["compute-2"]["state"], listed["compute-2"]["forced_down"]) == ("up", False)


def test_update_by_uuid_at_2_53(lab):
    admin = Client(lab, "admin", microversion="2.53")
    svc = admin.get("/os-services?host=compute-1").json()["services"][0]
    resp = _put(admin, f"/os-services/{svc['id']}",
                {"status": "disabled", "disabled_reason": "bios update"})
    assert resp.status_code == 200, resp.text
    shown = resp.json()["service"]
    assert (shown["id"], shown["status"], shown["disabled_reason"], shown["forced_down"],
            shown["zone"]) == (svc["id"], "disabled", "bios update", False, "nova")
    assert _fault(_put(admin, f"/os-services/{svc['id']}",
                       {"status": "enabled", "disabled_reason": "x"}), 400) == (
        "Specifying 'disabled_reason' with status 'enabled' is invalid.")
    assert _fault(_put(admin, f"/os-services/{svc['id']}", {}), 400) == (
        "No updates were requested. Fields 'status' or 'forced_down' should be specified.")
    assert _fault(_put(admin, "/os-services/disable", {"status": "enabled"}), 400) == (
        "Invalid uuid disable")
    assert _fault(_put(admin, f"/os-services/{svc['id']}", {"status": "off"}), 400).startswith(
        "Invalid input for field/attribute status. Value: off.")
    resp = _put(admin, f"/os-services/{svc['id']}", {"status": "enabled"})
    assert resp.json()["service"]["status"] == "enabled"
    assert resp.json()["service"]["disabled_reason"] is None


def test_availability_zones_list_and_detail(lab):
    zones = Client(lab).get("/os-availability-zone").json()
    assert zones == {"availabilityZoneInfo": [
        {"zoneName": "nova", "zoneState": {"available": True}, "hosts": None}]}
    detail = Client(lab, "admin").get("/os-availability-zone/detail").json()
    by_zone = {z["zoneName"]: z for z in detail["availabilityZoneInfo"]}
    assert set(by_zone) == {"nova", "internal"}
    assert set(by_zone["internal"]["hosts"]) == {"conductor", "scheduler"}
    compute = by_zone["nova"]["hosts"]["compute-1"]["nova-compute"]
    assert compute["available"] is True and compute["active"] is True
    assert _fault(Client(lab).get("/os-availability-zone/detail"), 403).startswith(
        "Policy doesn't allow os_compute_api:os-availability-zone:detail")


def test_a_stopped_heartbeat_turns_the_service_down():
    """No heartbeat for service_down_time: ``state`` goes down (servicegroup DbDriver)."""
    with labkit.start(seed=3, computes=2, exclusive=False, report_interval=0.05,
                      service_down_time=0.3) as lab:
        admin = Client(lab, "admin")
        lab.faults.stop_service("nova-compute@compute-2")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            states = {s["host"]: s["state"] for s in admin.get("/os-services").json()["services"]}
            if states["compute-2"] == "down":
                break
            time.sleep(0.05)
        assert states == {"conductor": "up", "scheduler": "up", "compute-1": "up",
                          "compute-2": "down"}


def test_a_compute_heartbeat_is_a_service_save_through_the_conductor():
    """DbDriver._report_state: report_count + 1 on the service_ref made at start, saved;
    nova-compute has no database, so the save is the conductor's object_action, and the
    write that raises report_count stamps the time the service was seen up."""
    with labkit.start(seed=3, computes=1, exclusive=False, report_interval=0.05) as lab:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            writes = [e for e in lab.trace.events(kind="db") if e["name"] == "service_update"]
            if len(writes) >= 2:
                break
            time.sleep(0.05)
        calls = [e for e in lab.trace.events(kind="call")
                 if e["src"] == "nova-compute@compute-1" and e["name"] == "object_action"]
        first = calls[0]["payload"]
        assert (first["objinst"]["nova_object.name"], first["objmethod"]) == ("Service", "save")
        assert first["objinst"]["nova_object.changes"] == ["report_count"]
        assert [w["payload"] for w in writes[:2]] == [{"report_count": 1}, {"report_count": 2}]
        # every heartbeat runs on the context of the service's start, as nova's service_ref
        assert len({e["request_id"] for e in calls}) == 1
        (svc,) = Client(lab, "admin").get("/os-services?binary=nova-compute").json()["services"]
        assert svc["state"] == "up"


def test_a_host_is_not_forced_up_while_evacuations_from_it_are_done():
    """ServiceController._check_for_evacuations: lifting forced_down (2.53 PUT by uuid or
    the 2.11 force-down action) is a 400 while an evacuation from the host is still
    ``done``; once its nova-compute has started again (and set it ``completed``) it works."""
    with labkit.start(seed=3, computes=2, exclusive=False) as lab:
        client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
        server = client.boot_active("evacuated")
        source = admin.show(server)["OS-EXT-SRV-ATTR:host"]
        lab.faults.stop_service(f"nova-compute@{source}")
        v253, v211 = (Client(lab, "admin", microversion=v) for v in ("2.53", "2.11"))
        (svc,) = v253.get(f"/os-services?binary=nova-compute&host={source}").json()["services"]
        assert _put(v253, f"/os-services/{svc['id']}", {"forced_down": True}).status_code == 200
        assert admin.server_action(server, {"evacuate": {}}).status_code == 200
        client.wait_for(server, "SHUTOFF")
        lab.wait_idle()
        message = (f"Unable to force up host {source} as `done` evacuation migration records "
                   "remain associated with the host. Ensure the compute service has been "
                   "restarted, allowing these records to move to `completed` before retrying "
                   "this request.")
        assert _fault(_put(v253, f"/os-services/{svc['id']}", {"forced_down": False}),
                      400) == message
        assert _fault(_put(v211, "/os-services/force-down", {
            "host": source, "binary": "nova-compute", "forced_down": False}), 400) == message
        (still,) = v253.get(f"/os-services?host={source}").json()["services"]
        assert still["forced_down"] is True
        lab.restart_compute_service(source)
        lab.wait_idle()
        resp = _put(v253, f"/os-services/{svc['id']}", {"forced_down": False})
        assert resp.status_code == 200, resp.text
        assert resp.json()["service"]["forced_down"] is False


def test_delete_a_compute_service(lab):
    """Refused (409) while it runs servers; once empty it leaves its aggregates and its
    resource provider goes from placement."""
    with labkit.start(seed=4, computes=2, exclusive=False) as small:
        admin, demo = Client(small, "admin"), Client(small)
        agg = admin.post("/os-aggregates", json={"aggregate": {
            "name": "a", "availability_zone": "z2"}}).json()["aggregate"]
        admin.post(f"/os-aggregates/{agg['id']}/action", json={"add_host": {"host": "compute-2"}})
        svc = {s["host"]: s for s in admin.get("/os-services").json()["services"]}["compute-2"]
        resp = demo.post("/servers", json={"server": {
            "name": "busy", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
            "flavorRef": "42", "availability_zone": "z2"}})
        server = resp.json()["server"]["id"]
        demo.wait_for(server, "ACTIVE")
        assert admin.get(f"/servers/{server}").json()["server"]["OS-EXT-SRV-ATTR:host"] == \
            "compute-2"
        assert _fault(admin.send("DELETE", f"/os-services/{svc['id']}"), 409) == (
            "Unable to delete compute service that is hosting instances. Migrate or "
            "delete the instances first.")
        demo.send("DELETE", f"/servers/{server}")
        demo.wait_for(server, "DELETED")
        assert _fault(admin.send("DELETE", "/os-services/abc"), 400) == (
            "Invalid input received: id must be an integer")
        assert admin.send("DELETE", f"/os-services/{svc['id']}").status_code == 204
        hosts = [s["host"] for s in admin.get("/os-services").json()["services"]]
        assert "compute-2" not in hosts
        assert admin.get(f"/os-aggregates/{agg['id']}").json()["aggregate"]["hosts"] == []
        providers = requests.get(small.url("placement") + "/resource_providers", timeout=10,
                                 headers={"X-Auth-Token": admin.token}).json()
        assert [p["name"] for p in providers["resource_providers"]] == ["compute-1"]
        assert _fault(admin.send("DELETE", f"/os-services/{svc['id']}"), 404) == (
            f"Service {svc['id']} not found.")


def test_unknown_query_parameters_are_refused_from_2_75(lab):
    assert Client(lab, "admin", microversion="2.74").get("/os-services?color=red").status_code == 200
    message = _fault(Client(lab, "admin", microversion="2.75").get("/os-services?color=red"), 400)
    assert message == "Additional properties are not allowed ('color' was unexpected)"
