"""os-quota-sets, /limits and os-simple-tenant-usage over real HTTP, and the quota a
boot is checked against (nova's messages: nova/api/openstack/compute/quota_sets.py,
nova/exception.py:TooManyInstances, nova/compute/utils.py:check_num_instances_quota).
"""
import datetime
import time

import pytest

import labkit
from labkit.client import Client

SERVER = {"name": "q", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf", "flavorRef": "42"}


def _fault(resp, code):
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound"}[code]
    assert resp.status_code == code, resp.text
    assert list(resp.json()) == [name], resp.json()
    return resp.json()[name]["message"]


def _none_left(client, timeout=10):
    """Wait until the project's servers deleted by a test before are gone (a delete is
    asynchronous, and a server counts against the quota until it is)."""
    deadline = time.monotonic() + timeout
    while client.get("/servers").json()["servers"]:
        assert time.monotonic() < deadline, client.get("/servers/detail").json()
        time.sleep(0.05)


@pytest.fixture(scope="module")
def small():
    """A lab with nova's default quotas (10 instances, 20 cores, 50 GiB of RAM)."""
    with labkit.start(seed=33, exclusive=False) as running:
        yield running


def test_show_defaults_and_detail(small):
    demo = Client(small)
    pid = demo.project_id
    shown = demo.get(f"/os-quota-sets/{pid}").json()["quota_set"]
    assert shown == {"id": pid, "cores": 20, "fixed_ips": -1, "floating_ips": -1,
                     "injected_file_content_bytes": 10240, "injected_file_path_bytes": 255,
                     "injected_files": 5, "instances": 10, "key_pairs": 100,
                     "metadata_items": 128, "ram": 51200, "security_group_rules": -1,
                     "security_groups": -1, "server_group_members": 10, "server_groups": 10}
    at_257 = Client(small, microversion="2.57").get(f"/os-quota-sets/{pid}/defaults").json()
    assert set(at_257["quota_set"]) == {"id", "cores", "instances", "key_pairs",
                                        "metadata_items", "ram", "server_group_members",
                                        "server_groups"}
    detail = demo.get(f"/os-quota-sets/{pid}/detail").json()["quota_set"]
    assert detail["instances"] == {"in_use": 0, "limit": 10, "reserved": 0}


def test_only_an_admin_updates_and_limits_must_fit_usage(small):
    demo, admin = Client(small), Client(small, "admin")
    pid = demo.project_id
    assert _fault(demo.put(f"/os-quota-sets/{pid}", json={"quota_set": {"instances": 5}}),
                  403) == "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed."
    assert _fault(admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"instances": -2}}),
                  400).startswith("Invalid input for field/attribute instances. Value: -2.")
    assert _fault(admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"nosuch": 1}}),
                  400).startswith("Invalid input for field/attribute quota_set.")
    assert _fault(admin.put("/os-quota-sets/0123456789abcdef", json={"quota_set": {
        "instances": 1}}), 400) == "Project ID 0123456789abcdef is not a valid project."
    # a server uses 1 instance: the limit can't go below it, unless forced
    server = demo.post("/servers", json={"server": SERVER}).json()["server"]["id"]
    assert _fault(admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"instances": 0}}),
                  400) == ("Quota limit 0 for instances must be greater than or equal to "
                           "already used and reserved 1.")
    updated = admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"instances": "2",
                                                                     "cores": -1}})
    assert updated.status_code == 200, updated.text
    body = updated.json()["quota_set"]
    assert "id" not in body and body["instances"] == 2 and body["cores"] == -1
    assert demo.get(f"/os-quota-sets/{pid}").json()["quota_set"]["instances"] == 2
    # two servers fit, a third does not: nova's TooManyInstances, as a 403
    demo.post("/servers", json={"server": SERVER})
    assert _fault(demo.post("/servers", json={"server": SERVER}), 403) == \
        "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances"
    limits = demo.get("/limits").json()["limits"]
    assert limits["rate"] == [] and limits["absolute"]["maxTotalInstances"] == 2
    assert limits["absolute"]["totalInstancesUsed"] == 2
    assert limits["absolute"]["totalCoresUsed"] == 2 and limits["absolute"]["maxTotalCores"] == -1
    assert limits["absolute"]["totalRAMUsed"] == 2 * 192
    # delete: back to the defaults
    assert admin.send("DELETE", f"/os-quota-sets/{pid}").status_code == 202
    assert demo.get(f"/os-quota-sets/{pid}").json()["quota_set"]["instances"] == 10
    for s in demo.get("/servers").json()["servers"]:
        demo.send("DELETE", f"/servers/{s['id']}")
    del server


def test_multi_create_boots_as_many_as_fit(small):
    """min_count 1, max_count 20 with 10 instances allowed: nova boots the 10 that fit."""
    demo = Client(small)
    _none_left(demo)
    resp = demo.post("/servers", json={"server": dict(SERVER, min_count=1, max_count=20,
                                                      return_reservation_id=True)})
    assert resp.status_code == 202, resp.text
    listed = demo.get("/servers").json()["servers"]
    assert len(listed) == 10
    message = _fault(demo.post("/servers", json={"server": dict(SERVER, min_count=2,
                                                                max_count=3)}), 403)
    assert message == ("Quota exceeded for instances: Requested 2-3, but already used 10 of "
                       "10 instances")
    for s in listed:       # built first: a server deleted while the conductor builds
        demo.wait_for(s["id"], "ACTIVE")        # a multi-create may outlive its delete
    for s in listed:
        demo.send("DELETE", f"/servers/{s['id']}")


def test_a_user_quota(small):
    demo, admin = Client(small), Client(small, "admin")
    pid, uid = demo.project_id, demo.token_body["user"]["id"]
    resp = admin.put(f"/os-quota-sets/{pid}?user_id={uid}", json={"quota_set": {"key_pairs": 0}})
    assert resp.status_code == 200 and resp.json()["quota_set"]["key_pairs"] == 0
    assert demo.get(f"/os-quota-sets/{pid}?user_id={uid}").json()["quota_set"]["key_pairs"] == 0
    assert demo.get(f"/os-quota-sets/{pid}").json()["quota_set"]["key_pairs"] == 100
    assert _fault(demo.post("/os-keypairs", json={"keypair": {"name": "k"}}), 403) == \
        "Quota exceeded, too many key pairs."
    assert admin.send("DELETE", f"/os-quota-sets/{pid}?user_id={uid}").status_code == 202


def test_limits_by_microversion(small):
    at_21 = set(Client(small).get("/limits").json()["limits"]["absolute"])
    assert {"maxImageMeta", "maxPersonality", "maxSecurityGroups", "totalFloatingIpsUsed",
            "maxTotalKeypairs", "totalServerGroupsUsed"} <= at_21
    at_257 = set(Client(small, microversion="2.57").get("/limits").json()["limits"]["absolute"])
    assert at_257 == {"maxServerMeta", "maxServerGroups", "maxServerGroupMembers",
                      "maxTotalCores", "maxTotalInstances", "maxTotalKeypairs", "maxTotalRAMSize",
                      "totalCoresUsed", "totalInstancesUsed", "totalRAMUsed",
                      "totalServerGroupsUsed"}
    assert _fault(Client(small).get("/limits?tenant_id=other"), 403) == \
        "Policy doesn't allow os_compute_api:limits:other_project to be performed."
    demo = Client(small)
    mine = demo.get("/limits").json()["limits"]["absolute"]
    theirs = Client(small, "admin").get(f"/limits?tenant_id={demo.project_id}").json()
    assert theirs["limits"]["absolute"]["maxTotalInstances"] == mine["maxTotalInstances"]
    assert _fault(Client(small, microversion="2.75").get("/limits?x=1"), 400) == \
        "Additional properties are not allowed ('x' was unexpected)"


def test_usage(small):
    demo, admin = Client(small), Client(small, "admin")
    server_id = demo.post("/servers", json={"server": SERVER}).json()["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
             ).strftime("%Y-%m-%dT%H:%M:%S")
    mine = demo.get(f"/os-simple-tenant-usage/{demo.project_id}?start={start}").json()
    usage = mine["tenant_usage"]
    assert usage["tenant_id"] == demo.project_id and usage["total_hours"] > 0
    server = [s for s in usage["server_usages"] if s["instance_id"] == server_id][0]
    assert server["flavor"] == "m1.nano" and server["state"] == "active"
    assert server["vcpus"] == 1 and server["memory_mb"] == 192 and server["ended_at"] is None
    assert usage["total_vcpus_usage"] == pytest.approx(sum(
        s["vcpus"] * s["hours"] for s in usage["server_usages"]))
    assert _fault(demo.get("/os-simple-tenant-usage"), 403).startswith("Policy doesn't allow")
    every = admin.get(f"/os-simple-tenant-usage?start={start}&detailed=1").json()
    assert demo.project_id in {u["tenant_id"] for u in every["tenant_usages"]}
    assert _fault(demo.get(f"/os-simple-tenant-usage/{demo.project_id}?start=yesterday"),
                  400) == "Invalid datetime string: Datetime is in invalid format"
    assert _fault(demo.get(f"/os-simple-tenant-usage/{demo.project_id}?start=2030-01-01T00:00:00"
                           "&end=2029-01-01T00:00:00"), 400).startswith("Invalid start time.")
    nothing = demo.get(f"/os-simple-tenant-usage/{demo.project_id}?start=2001-01-01T00:00:00"
                       "&end=2001-01-02T00:00:00").json()
    assert nothing == {"tenant_usage": {}}
    # 2.40 pages the servers: one per page, a next link to the rest
    paged = Client(small, microversion="2.40").get(
        f"/os-simple-tenant-usage/{demo.project_id}?start={start}&limit=1").json()
    assert len(paged["tenant_usage"]["server_usages"]) == 1
    assert "marker=" in paged["tenant_usage_links"][0]["href"]
    demo.send("DELETE", f"/servers/{server_id}")


def test_server_groups_count_in_the_limits(small):
    demo = Client(small)
    made = demo.post("/os-server-groups", json={"server_group": {
        "name": "g", "policies": ["anti-affinity"]}})
    assert made.status_code == 200, made.text
    absolute = demo.get("/limits").json()["limits"]["absolute"]
    assert absolute["totalServerGroupsUsed"] == 1 and absolute["maxServerGroups"] == 10
    detail = demo.get(f"/os-quota-sets/{demo.project_id}/detail").json()["quota_set"]
    assert detail["server_groups"]["in_use"] == 1
    demo.send("DELETE", f"/os-server-groups/{made.json()['server_group']['id']}")


def test_force_sets_a_limit_below_what_is_used(small):
    demo, admin = Client(small), Client(small, "admin")
    pid = demo.project_id
    _none_left(demo)
    server_id = demo.post("/servers", json={"server": SERVER}).json()["server"]["id"]
    forced = admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"instances": 0,
                                                                    "force": "True"}})
    assert forced.status_code == 200 and forced.json()["quota_set"]["instances"] == 0
    assert _fault(demo.post("/servers", json={"server": SERVER}), 403) == \
        "Quota exceeded for instances: Requested 1, but already used 1 of 0 instances"
    assert _fault(admin.put(f"/os-quota-sets/{pid}", json={"quota_set": {"force": "maybe"}}),
                  400).startswith("Invalid input for field/attribute force.")
    admin.send("DELETE", f"/os-quota-sets/{pid}")
    demo.send("DELETE", f"/servers/{server_id}")
