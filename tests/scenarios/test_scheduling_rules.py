"""The scheduler honours what an operator or a user asked for, and the trace shows where.

A disabled compute service's provider gets the COMPUTE_STATUS_DISABLED trait that
placement's candidates exclude; a forced-down (or silent) one fails ComputeFilter; an availability zone
becomes a ``member_of`` on placement's GET /allocation_candidates (nova 34's
map_az_to_placement_aggregate; there is no AvailabilityZoneFilter since nova 28);
server groups are kept by ServerGroupAffinityFilter / ServerGroupAntiAffinityFilter
and, softly, by the ServerGroupSoft*Weighers — and an anti-affinity group with more
servers than hosts buries the extra one in ERROR with nova's NoValidHost fault.
"""
import pytest
import requests

import labkit
from labkit.client import Client
from waits import wait_for_fault

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
QUOTA = {"quota_instances": 1000, "quota_cores": 2000, "quota_ram": 10**7}


@pytest.fixture
def lab():
    with labkit.start(seed=21, exclusive=False, **QUOTA) as running:
        yield running


def _boot(client, name, count=1, hints=None, **server):
    body = {"server": dict({"name": name, "imageRef": IMAGE, "flavorRef": "42",
                            "min_count": count, "max_count": count}, **server)}
    if hints:
        body["os:scheduler_hints"] = hints
    resp = client.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    return resp.json()["server"]["id"], resp.headers["x-compute-request-id"]


def _settled(lab, client, rid):
    """{name: (host, status, fault message)} of the project's servers, once every one
    is ACTIVE or ERROR (this test's lab is its own, so they are the test's)."""
    admin = Client(lab, "admin")
    out = {}
    for s in client.get("/servers").json()["servers"]:
        client.wait_for(s["id"], ("ACTIVE", "ERROR"))
        s = admin.show(s["id"])
        out[s["name"]] = (s["OS-EXT-SRV-ATTR:host"], s["status"],
                          (s.get("fault") or {}).get("message"))
    return out


def _group(lab, policy):
    """A client at 2.64 and the id of a new server group with ``policy``."""
    client = Client(lab, microversion="2.64")
    resp = client.post("/os-server-groups", json={"server_group": {
        "name": policy, "policy": policy}})
    return client, resp.json()["server_group"]["id"]


def _filter(lab, name, rid=None):
    decision = lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]
    return next(f for f in decision["filters"] if f["filter"] == name)


def _traits(lab, token, host):
    base, headers = lab.url("placement"), {"X-Auth-Token": token,
                                           "OpenStack-API-Version": "placement 1.6"}
    (rp,) = requests.get(f"{base}/resource_providers?name={host}", headers=headers,
                         timeout=10).json()["resource_providers"]
    return requests.get(f"{base}/resource_providers/{rp['uuid']}/traits", headers=headers,
                        timeout=10).json()["traits"]


def test_a_disabled_and_a_forced_down_service_get_no_servers(lab):
    """Disabling calls the host, which marks its provider COMPUTE_STATUS_DISABLED:
    placement leaves it out; the forced-down host is a candidate that ComputeFilter fails."""
    admin = Client(lab, "admin", microversion="2.53")
    services = {s["host"]: s["id"] for s in admin.get("/os-services").json()["services"]}
    resp = admin.send("PUT", f"/os-services/{services['compute-1']}",
                         json={"status": "disabled", "disabled_reason": "maint"})
    rid = resp.headers["x-compute-request-id"]
    assert [(e["kind"], e["src"], e["dst"]) for e in lab.trace.events(request_id=rid)
            if e["name"] == "set_host_enabled"] == [
        ("call", "nova-api", "nova-compute@compute-1"),
        ("reply", "nova-compute@compute-1", "nova-api")]
    assert "COMPUTE_STATUS_DISABLED" in _traits(lab, admin.token, "compute-1")
    admin.send("PUT", f"/os-services/{services['compute-2']}", json={"forced_down": True})
    client = Client(lab)
    _, rid = _boot(client, "only3", count=3)
    assert {v[:2] for v in _settled(lab, client, rid).values()} == {("compute-3", "ACTIVE")}
    decision = lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]
    assert decision["candidates"] == ["compute-2", "compute-3"]
    assert _filter(lab, "ComputeFilter", rid)["failed"] == ["compute-2"]
    admin.send("PUT", f"/os-services/{services['compute-1']}", json={"status": "enabled"})
    assert "COMPUTE_STATUS_DISABLED" not in _traits(lab, admin.token, "compute-1")


def test_an_availability_zone_is_a_member_of_in_placement(lab):
    admin = Client(lab, "admin", microversion="2.41")
    agg = admin.post("/os-aggregates", json={"aggregate": {
        "name": "edge", "availability_zone": "edge"}}).json()["aggregate"]
    admin.post(f"/os-aggregates/{agg['id']}/action", json={"add_host": {"host": "compute-2"}})
    client = Client(lab, microversion="2.1")
    server_id, rid = _boot(client, "edge-1", count=2, availability_zone="edge")
    settled = _settled(lab, client, rid)
    assert {v[:2] for v in settled.values()} == {("compute-2", "ACTIVE")}
    shown = client.get(f"/servers/{server_id}").json()["server"]
    assert shown["OS-EXT-AZ:availability_zone"] == "edge"
    asks = [e["name"] for e in lab.trace.events(request_id=rid, kind="http")
            if e["dst"] == "placement" and "allocation_candidates" in e["name"]
            and e.get("phase") != "response"]
    assert asks and all(f"member_of=in:{agg['uuid']}" in a for a in asks)
    decision = lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]
    assert decision["candidates"] == ["compute-2"]
    # a server that names no zone asks placement for every host (nova's default zone)
    _, rid = _boot(client, "anywhere")
    _settled(lab, client, rid)
    assert not [e for e in lab.trace.events(request_id=rid, kind="http")
                if "member_of" in e["name"]]
    assert lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"][
        "candidates"] == ["compute-1", "compute-2", "compute-3"]


def test_anti_affinity_spreads_then_no_valid_host(lab):
    client, group = _group(lab, "anti-affinity")
    _, rid = _boot(client, "s", count=3, hints={"group": group}, networks="auto")
    settled = _settled(lab, client, rid)
    assert sorted(v[0] for v in settled.values()) == ["compute-1", "compute-2", "compute-3"]
    fourth, rid = _boot(client, "fourth", hints={"group": group}, networks="auto")
    server = wait_for_fault(client, fourth)
    assert server["fault"]["message"] == \
        "No valid host was found. There are not enough hosts available."
    assert server["fault"]["code"] == 500
    assert _filter(lab, "ServerGroupAntiAffinityFilter", rid)["failed"] == [
        "compute-1", "compute-2", "compute-3"]
    rpc = [(e["kind"], e["dst"], e["name"]) for e in lab.trace.events(request_id=rid)
           if e["kind"] in ("cast", "call") and e["name"] in (
               "schedule_and_build_instances", "select_destinations", "build_and_run_instance")]
    assert rpc == [("cast", "nova-conductor", "schedule_and_build_instances"),
                   ("call", "nova-scheduler", "select_destinations")]     # no compute


def test_affinity_keeps_a_group_on_one_host(lab):
    client, group = _group(lab, "affinity")
    _, rid = _boot(client, "t", count=3, hints={"group": group}, networks="auto")
    first = {v[0] for v in _settled(lab, client, rid).values()}
    assert len(first) == 1
    _, rid = _boot(client, "late", hints={"group": group}, networks="auto")
    assert _settled(lab, client, rid)["late"][0] in first
    assert _filter(lab, "ServerGroupAffinityFilter", rid)["passed"] == sorted(first)


def test_soft_anti_affinity_spreads_but_never_fails(lab):
    client, group = _group(lab, "soft-anti-affinity")
    _, rid = _boot(client, "soft", count=4, hints={"group": group}, networks="auto")
    settled = _settled(lab, client, rid)
    assert {v[1] for v in settled.values()} == {"ACTIVE"}
    hosts = sorted(v[0] for v in settled.values())
    assert set(hosts) == {"compute-1", "compute-2", "compute-3"} and len(hosts) == 4
    decision = lab.trace.events(request_id=rid, kind="schedule")[-1]["payload"]
    weigher = next(w for w in decision["weighers"]
                   if w["weigher"] == "ServerGroupSoftAntiAffinityWeigher")
    assert sorted(weigher["raw"].values()) == [-1, -1, -1]     # the 4th saw one on each
