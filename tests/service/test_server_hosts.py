"""Where a server runs, asked for and reported, over real HTTP.

Expected bodies and messages are nova 34's: an admin's ``zone:host[:node]``
(compute/api.py:API.parse_availability_zone, servers.py:
_validate_host_availability_zone), 2.74's ``host`` and ``hypervisor_hostname``
(servers.py:_process_hosts_for_create, compute/api.py:_validate_host_or_node),
the ``metadata_items`` quota (compute/api.py:_check_metadata_properties_quota,
exception.MetadataLimitExceeded, the API's 403), 2.16's ``host_status``
(compute/api.py:get_instance_host_status) and os-hypervisors' ``state``
(servicegroup's service_is_up) and ``disabled_reason``.
"""
import time

import pytest

import labkit
from labkit.client import Client, fault as _fault

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
QUOTA = {"quota_instances": 100, "quota_cores": 200, "quota_ram": 10**6}


@pytest.fixture(scope="module")
def lab():
    with labkit.start(seed=41, exclusive=False, **QUOTA) as running:
        yield running


def _post(client, name, **server):
    body = {"name": name, "imageRef": IMAGE, "flavorRef": "42"}
    version = client.microversion or "2.1"
    if tuple(map(int, version.split("."))) >= (2, 37):
        body["networks"] = "none"
    return client.post("/servers", json={"server": dict(body, **server)})


def _built(client, resp):
    assert resp.status_code == 202, resp.text
    server, _ = client.wait_for(resp.json()["server"]["id"], ("ACTIVE", "ERROR"))
    return server


def _decision(lab, resp):
    rid = resp.headers["x-compute-request-id"]
    return lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]


def _candidates_query(lab, resp):
    rid = resp.headers["x-compute-request-id"]
    (query,) = [e["name"] for e in lab.trace.events(request_id=rid, kind="http")
                if e["path"] == "/allocation_candidates" and e["phase"] == "request"]
    return query


def _compute_node_uuid(lab, admin, host):
    nodes = admin.get("/os-hypervisors").json()["hypervisors"]
    return {n["hypervisor_hostname"]: n["id"] for n in nodes}[host]


def test_zone_colon_host_forces_the_host_past_the_filters(lab):
    admin = Client(lab, "admin", microversion="2.37")
    resp = _post(admin, "forced", availability_zone="nova:compute-2")
    server = _built(admin, resp)
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute-2")
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    decision = _decision(lab, resp)
    assert decision["chosen"] == "compute-2" and decision["filters"] == []   # none ran
    uuid = _compute_node_uuid(lab, Client(lab, "admin", microversion="2.53"), "compute-2")
    assert f"&in_tree={uuid}&" in _candidates_query(lab, resp)
    node = _built(admin, _post(admin, "forced-node", availability_zone="nova:compute-3:compute-3"))
    assert node["OS-EXT-SRV-ATTR:hypervisor_hostname"] == "compute-3"
    only_node = _built(admin, _post(admin, "node-only", availability_zone="nova::compute-1"))
    assert only_node["OS-EXT-SRV-ATTR:host"] == "compute-1"
    admin.send("DELETE", f"/servers/{server['id']}")


def test_zone_colon_host_wrong_input(lab):
    admin = Client(lab, "admin", microversion="2.37")
    assert _fault(_post(admin, "x", availability_zone="nova:a:b:c"), 400) == (
        "Invalid input received: Unable to parse availability_zone")
    assert _fault(_post(Client(lab), "x", availability_zone="nova:compute-1"), 403) == (
        "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.")
    assert _fault(_post(admin, "x", availability_zone="nowhere"), 400) == (
        "The requested availability zone is not available")
    # an unknown forced host passes the API (nova checks no host here): the scheduler
    # finds no such compute node
    server = _built(admin, _post(admin, "lost", availability_zone="nova:compute-9"))
    assert server["status"] == "ERROR"
    assert server["fault"]["message"] == (
        "No valid host was found. No such host - host: compute-9 node: None ")


def test_zone_colon_host_keeps_the_zone_only_if_the_host_is_in_it():
    with labkit.start(seed=42, computes=2, exclusive=False) as lab:
        _zone_of_a_forced_host(lab)


def _zone_of_a_forced_host(lab):
    admin = Client(lab, "admin", microversion="2.96")
    agg = admin.post("/os-aggregates", json={"aggregate": {
        "name": "rack", "availability_zone": "az1"}}).json()["aggregate"]
    added = admin.post(f"/os-aggregates/{agg['id']}/action",
                       json={"add_host": {"host": "compute-1"}})
    assert added.status_code == 200, added.text
    try:
        inside = _built(admin, _post(admin, "in", availability_zone="az1:compute-1"))
        assert (inside["OS-EXT-SRV-ATTR:host"], inside["pinned_availability_zone"]) == (
            "compute-1", "az1")
        # the host is not in "nova": nova drops the zone (bug #1934770), the host decides
        outside = _built(admin, _post(admin, "out", availability_zone="nova:compute-1"))
        assert (outside["OS-EXT-SRV-ATTR:host"], outside["pinned_availability_zone"],
                outside["OS-EXT-AZ:availability_zone"]) == ("compute-1", None, "az1")
        for server in (inside, outside):
            admin.send("DELETE", f"/servers/{server['id']}")
            admin.wait_for(server["id"], "DELETED")
    finally:
        admin.post(f"/os-aggregates/{agg['id']}/action",
                   json={"remove_host": {"host": "compute-1"}})
        admin.send("DELETE", f"/os-aggregates/{agg['id']}")


def test_host_and_hypervisor_hostname_from_2_74(lab):
    admin = Client(lab, "admin", microversion="2.74")
    resp = _post(admin, "asked", host="compute-3")
    server = _built(admin, resp)
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute-3")
    decision = _decision(lab, resp)
    assert decision["filters"] and all(f["passed"] == ["compute-3"]    # the filters ran
                                       for f in decision["filters"])
    by_node = _built(admin, _post(admin, "by-node", hypervisor_hostname="compute-2"))
    assert by_node["OS-EXT-SRV-ATTR:hypervisor_hostname"] == "compute-2"
    both = _built(admin, _post(admin, "both", host="compute-1", hypervisor_hostname="compute-1"))
    assert both["OS-EXT-SRV-ATTR:host"] == "compute-1"


def test_host_and_hypervisor_hostname_wrong_input(lab):
    admin = Client(lab, "admin", microversion="2.74")
    assert _fault(_post(admin, "x", host="compute-9"), 400) == (
        "Compute host compute-9 could not be found.")
    assert _fault(_post(admin, "x", hypervisor_hostname="node-9"), 400) == (
        "Compute host node-9 could not be found.")
    assert _fault(_post(admin, "x", host="compute-1", hypervisor_hostname="compute-2"),
                  400) == "Compute host compute-1 could not be found."
    assert _fault(_post(admin, "x", host="compute-1", availability_zone="nova:compute-1"),
                  400) == ("One mechanism with host and/or hypervisor_hostname and another "
                           "mechanism with zone:host:node are mutually exclusive.")
    assert _fault(_post(admin, "x", host="bad host"), 400).startswith(
        "Invalid input for field/attribute host.")
    assert _fault(_post(Client(lab, "demo", microversion="2.74"), "x", host="compute-1"), 403) == (
        "Policy doesn't allow compute:servers:create:requested_destination to be performed.")
    message = _fault(_post(Client(lab, "admin", microversion="2.73"), "x", host="compute-1"), 400)
    assert "Additional properties are not allowed ('host' was unexpected)" in message


def test_metadata_items_quota(lab):
    demo = Client(lab)
    message = _fault(_post(demo, "meta", metadata={f"k{i}": "v" for i in range(129)}), 403)
    assert message == "Maximum number of metadata items exceeds 128"
    server = _built(demo, _post(demo, "meta-ok", metadata={f"k{i}": "v" for i in range(128)}))
    assert len(server["metadata"]) == 128
    admin = Client(lab, "admin")
    resp = admin.put(f"/os-quota-sets/{demo.project_id}",
                     json={"quota_set": {"metadata_items": 2}})
    assert resp.status_code == 200, resp.text
    try:
        assert _fault(_post(demo, "meta3", metadata={"a": "1", "b": "2", "c": "3"}), 403) == (
            "Maximum number of metadata items exceeds 2")
    finally:
        admin.put(f"/os-quota-sets/{demo.project_id}",
                  json={"quota_set": {"metadata_items": 128}})


def _host_statuses(client):
    return {s["name"]: s.get("host_status")
            for s in client.get("/servers/detail").json()["servers"]}


def test_host_status_follows_the_compute_service():
    with labkit.start(seed=5, computes=2, exclusive=False) as lab:
        admin, old = Client(lab, "admin", microversion="2.37"), Client(lab, "admin", microversion="2.11")
        server = _built(admin, _post(admin, "hs", availability_zone="nova:compute-2"))
        assert server["host_status"] == "UP"
        demo = Client(lab, "demo", microversion="2.16")
        own = _built(demo, _post(demo, "own"))
        assert "host_status" not in own                                 # admin only
        assert admin.show(own["id"])["host_status"] == "UP"
        assert "host_status" not in Client(lab, "admin", microversion="2.15").show(server["id"])
        old.put("/os-services/disable", json={"host": "compute-2", "binary": "nova-compute"})
        assert admin.show(server["id"])["host_status"] == "MAINTENANCE"
        old.put("/os-services/force-down", json={"host": "compute-2", "binary": "nova-compute",
                                                 "forced_down": True})
        assert _host_statuses(admin) == {"hs": "DOWN"}                  # forced down wins
        assert admin.show(own["id"])["host_status"] == "UP"           # compute-1
        lost = _built(admin, _post(admin, "lost", availability_zone="nova:compute-9"))
        assert (lost["status"], lost["host_status"]) == ("ERROR", "")     # no host


def test_host_status_unknown_and_hypervisor_down_without_heartbeats():
    with labkit.start(seed=6, computes=2, exclusive=False, report_interval=0.05,
                      service_down_time=0.3) as lab:
        admin = Client(lab, "admin", microversion="2.37")
        server = _built(admin, _post(admin, "quiet", availability_zone="nova:compute-2"))
        lab.faults.stop_service("nova-compute@compute-2")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and admin.show(server["id"])["host_status"] == "UP":
            time.sleep(0.05)
        assert admin.show(server["id"])["host_status"] == "UNKNOWN"
        hypervisors = admin.get("/os-hypervisors").json()["hypervisors"]
        assert [(h["hypervisor_hostname"], h["state"], h["status"]) for h in hypervisors] == [
            ("compute-1", "up", "enabled"), ("compute-2", "down", "enabled")]


def test_hypervisors_show_the_disabled_reason(lab):
    old, admin = Client(lab, "admin"), Client(lab, "admin", microversion="2.88")
    old.put("/os-services/disable-log-reason", json={
        "host": "compute-3", "binary": "nova-compute", "disabled_reason": "new disk"})
    try:
        detail = {h["hypervisor_hostname"]: h for h in
                  admin.get("/os-hypervisors/detail").json()["hypervisors"]}
        assert (detail["compute-3"]["status"], detail["compute-3"]["state"],
                detail["compute-3"]["service"]["disabled_reason"]) == (
            "disabled", "up", "new disk")
        assert detail["compute-1"]["service"]["disabled_reason"] is None
    finally:
        old.put("/os-services/enable", json={"host": "compute-3", "binary": "nova-compute"})


def test_unshelve_to_a_host_from_2_91(lab):
    admin = Client(lab, "admin", microversion="2.91")
    server = _built(admin, _post(admin, "sh", availability_zone="nova:compute-1"))
    sid = server["id"]
    admin.server_action(sid, {"shelve": None})
    admin.wait_for(sid, "SHELVED_OFFLOADED")
    assert _fault(admin.server_action(sid, {"unshelve": {"host": "compute-9"}}), 400) == (
        "Compute host compute-9 could not be found.")
    resp = admin.server_action(sid, {"unshelve": {"host": "compute-3"}})
    assert resp.status_code == 202, resp.text
    server, _ = admin.wait_for(sid, "ACTIVE")
    assert server["OS-EXT-SRV-ATTR:host"] == "compute-3"


def test_unshelve_keeps_the_pinned_zone_and_refuses_a_host_outside_it():
    """nova's API.unshelve: no zone given keeps the server's zone; a host must be in it
    (UnshelveHostNotInAZ, 409); ``availability_zone: null`` unpins it (2.91)."""
    with labkit.start(computes=3, seed=41, exclusive=False) as lab:
        admin = Client(lab, "admin", microversion="2.91")
        resp = admin.post("/os-aggregates", json={"aggregate": {"name": "rack-z",
                                                                 "availability_zone": "zone-z"}})
        agg = resp.json()["aggregate"]["id"]
        assert admin.post(f"/os-aggregates/{agg}/action",
                          json={"add_host": {"host": "compute-2"}}).status_code == 200
        server = _built(admin, _post(admin, "pinned", availability_zone="zone-z"))
        sid = server["id"]
        assert server["OS-EXT-AZ:availability_zone"] == "zone-z"
        assert server["OS-EXT-SRV-ATTR:host"] == "compute-2"
        admin.server_action(sid, {"shelve": None})
        admin.wait_for(sid, "SHELVED_OFFLOADED")
        assert _fault(admin.server_action(sid, {"unshelve": {"host": "compute-3"}}), 409) == (
            'Host "compute-3" is not in the availability zone "zone-z".')
        # unpinned, the same host is fine
        resp = admin.server_action(sid, {"unshelve": {"availability_zone": None, "host": "compute-3"}})
        assert resp.status_code == 202, resp.text
        server, _ = admin.wait_for(sid, "ACTIVE")
        assert server["OS-EXT-SRV-ATTR:host"] == "compute-3"
