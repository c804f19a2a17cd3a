"""The scheduler honours a host an admin names, and the API says how that host is doing.

A forced host (``zone:host``) and a requested one (2.74's ``host``) both narrow
placement's GET /allocation_candidates to that compute node (``in_tree``, nova's
resources_from_request_spec); the forced one then skips the filters
(HostManager.get_filtered_hosts), so a host ComputeFilter would refuse still
gets the server, while the requested one goes through them and ends in
NoValidHost.  The server's 2.16 ``host_status`` follows its compute service.
"""
import pytest

import labkit
from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"


@pytest.fixture
def lab():
    with labkit.start(seed=43, exclusive=False) as running:
        yield running


def _boot(client, name, **server):
    resp = client.post("/servers", json={"server": dict(
        {"name": name, "imageRef": IMAGE, "flavorRef": "42", "networks": "none"}, **server)})
    assert resp.status_code == 202, resp.text
    built, _ = client.wait_for(resp.json()["server"]["id"], ("ACTIVE", "ERROR"))
    return built, resp.headers["x-compute-request-id"]


def _hops(lab, rid):
    """(the candidates query, the filters that ran and who passed them, the chosen host)."""
    (query,) = [e["name"] for e in lab.trace.events(request_id=rid, kind="http")
                if e["path"] == "/allocation_candidates" and e["phase"] == "request"]
    decision = lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]
    return query, [(f["filter"], f["passed"]) for f in decision["filters"]], decision["chosen"]


def test_forced_and_requested_hosts_on_a_down_compute(lab):
    admin = Client(lab, "admin", microversion="2.74")
    nodes = {n["hypervisor_hostname"]: n["id"]
             for n in admin.get("/os-hypervisors").json()["hypervisors"]}
    Client(lab, "admin", microversion="2.11").put("/os-services/force-down", json={
        "host": "compute-2", "binary": "nova-compute", "forced_down": True})

    forced, rid = _boot(admin, "forced", availability_zone="nova:compute-2")
    query, filters, chosen = _hops(lab, rid)
    assert f"&in_tree={nodes['compute-2']}&" in query
    assert (filters, chosen) == ([], "compute-2")           # no filter ran
    # the forced-down service still runs here, so the server is built
    assert (forced["status"], forced["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute-2")
    assert forced["host_status"] == "DOWN"

    requested, rid = _boot(admin, "requested", host="compute-2")
    query, filters, chosen = _hops(lab, rid)
    assert f"&in_tree={nodes['compute-2']}&" in query
    assert ("ComputeFilter", []) in filters and chosen is None
    assert requested["status"] == "ERROR"
    assert requested["fault"]["message"] == (
        "No valid host was found. There are not enough hosts available.")
    assert requested["host_status"] == ""                   # never placed

    elsewhere, rid = _boot(admin, "elsewhere", host="compute-3")
    assert _hops(lab, rid)[2] == "compute-3"
    assert (elsewhere["OS-EXT-SRV-ATTR:host"], elsewhere["host_status"]) == ("compute-3", "UP")


def test_unshelve_forgets_the_forced_host_and_honours_a_requested_one(lab):
    admin = Client(lab, "admin", microversion="2.91")
    server, _ = _boot(admin, "moving", availability_zone="nova:compute-1")
    sid = server["id"]
    admin.server_action(sid, {"shelve": None})
    admin.wait_for(sid, "SHELVED_OFFLOADED")
    assert admin.server_action(sid, {"unshelve": {"host": "compute-2"}}).status_code == 202
    server, _ = admin.wait_for(sid, "ACTIVE")
    assert server["OS-EXT-SRV-ATTR:host"] == "compute-2"
    (decision,) = [e["payload"] for e in lab.trace.events(kind="schedule")
                   if e["instance_uuid"] == sid][-1:]
    assert decision["chosen"] == "compute-2" and decision["filters"]   # the filters ran
    # the unshelve's host was for that operation only: the next one may go anywhere
    admin.server_action(sid, {"shelve": None})
    admin.wait_for(sid, "SHELVED_OFFLOADED")
    assert admin.server_action(sid, {"unshelve": None}).status_code == 202
    admin.wait_for(sid, "ACTIVE")
    last = [e for e in lab.trace.events(kind="schedule") if e["instance_uuid"] == sid][-1]
    assert len(last["payload"]["candidates"]) == 3
