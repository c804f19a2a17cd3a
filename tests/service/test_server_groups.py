"""os-server-groups over real HTTP: policies before and after 2.64, members that join
with the ``group`` hint and leave when deleted, and the two quotas, in nova's words
(nova/api/openstack/compute/server_groups.py, nova/compute/api.py).
"""
import labkit
from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"


def _fault(resp, code):
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound"}[code]
    assert resp.status_code == code, resp.text
    assert list(resp.json()) == [name], resp.json()
    return resp.json()[name]["message"]


def _boot(client, name, group, **server):
    body = {"server": dict({"name": name, "imageRef": IMAGE, "flavorRef": "42"}, **server),
            "os:scheduler_hints": {"group": group}}
    return client.post("/servers", json=body)


def test_policies_before_2_64_and_policy_rules_after(lab):
    old = Client(lab)
    resp = old.post("/os-server-groups", json={"server_group": {
        "name": "web", "policies": ["anti-affinity"]}})
    assert resp.status_code == 200, resp.text
    group = resp.json()["server_group"]
    assert set(group) == {"id", "name", "policies", "members", "metadata"}      # 2.1
    assert (group["policies"], group["members"], group["metadata"]) == (
        ["anti-affinity"], [], {})
    assert _fault(old.post("/os-server-groups", json={"server_group": {
        "name": "x", "policies": ["soft-affinity"]}}), 400).startswith(
        "Invalid input for field/attribute")                          # soft-* from 2.15
    new = Client(lab, microversion="2.64")
    shown = new.get(f"/os-server-groups/{group['id']}").json()["server_group"]
    assert (shown["policy"], shown["rules"]) == ("anti-affinity", {})
    assert shown["project_id"] == new.project_id and "policies" not in shown
    resp = new.post("/os-server-groups", json={"server_group": {
        "name": "db", "policy": "anti-affinity", "rules": {"max_server_per_host": 2}}})
    assert resp.json()["server_group"]["rules"] == {"max_server_per_host": 2}
    assert _fault(new.post("/os-server-groups", json={"server_group": {
        "name": "x", "policy": "affinity", "rules": {"max_server_per_host": 2}}}), 400) == (
        "Only anti-affinity policy supports rules.")
    names = [g["name"] for g in new.get("/os-server-groups").json()["server_groups"]]
    assert names == ["web", "db"]
    assert Client(lab, "alt_demo").get("/os-server-groups").json() == {"server_groups": []}
    for g in new.get("/os-server-groups").json()["server_groups"]:
        assert new.send("DELETE", f"/os-server-groups/{g['id']}").status_code == 204
    assert _fault(new.get(f"/os-server-groups/{group['id']}"), 404) == (
        f"Instance group {group['id']} could not be found.")


def test_members_join_with_the_hint_and_leave_when_deleted(lab):
    client = Client(lab, microversion="2.71")
    group = client.post("/os-server-groups", json={"server_group": {
        "name": "pair", "policy": "affinity"}}).json()["server_group"]["id"]
    servers = []
    for name in ("a", "b"):
        resp = _boot(client, name, group, networks="auto")
        assert resp.status_code == 202, resp.text
        servers.append(resp.json()["server"]["id"])
        shown, _ = client.wait_for(servers[-1], "ACTIVE")
        assert shown["server_groups"] == [group]                      # 2.71
    admin = Client(lab, "admin")
    hosts = {admin.show(s)["OS-EXT-SRV-ATTR:host"] for s in servers}
    assert len(hosts) == 1                                            # affinity
    members = client.get(f"/os-server-groups/{group}").json()["server_group"]["members"]
    assert sorted(members) == sorted(servers)
    client.send("DELETE", f"/servers/{servers[0]}")
    client.wait_for(servers[0], "DELETED")
    members = client.get(f"/os-server-groups/{group}").json()["server_group"]["members"]
    assert members == [servers[1]]
    client.send("DELETE", f"/servers/{servers[1]}")
    client.wait_for(servers[1], "DELETED")
    assert client.send("DELETE", f"/os-server-groups/{group}").status_code == 204
    missing = "3f1fe5c6-0a4b-4d55-9b9c-0f6c2b1a7e10"
    assert _fault(_boot(client, "c", missing, networks="auto"), 400) == (
        f"Instance group {missing} could not be found.")
    assert _fault(_boot(client, "c", "not-a-uuid", networks="auto"), 400).startswith(
        "Invalid input for field/attribute")


def test_server_group_quotas_answer_403():
    with labkit.start(seed=5, exclusive=False, quota_server_groups=1,
                      quota_server_group_members=1) as lab:
        client = Client(lab)
        group = client.post("/os-server-groups", json={"server_group": {
            "name": "g", "policies": ["anti-affinity"]}}).json()["server_group"]["id"]
        assert _fault(client.post("/os-server-groups", json={"server_group": {
            "name": "h", "policies": ["affinity"]}}), 403) == (
            "Quota exceeded, too many server groups.")
        first = _boot(client, "one", group)
        assert first.status_code == 202, first.text
        client.wait_for(first.json()["server"]["id"], "ACTIVE")
        assert _fault(_boot(client, "two", group), 403) == (
            "Quota exceeded, too many servers in group")


def test_list_pages_by_offset_and_limit(lab):
    client = Client(lab, microversion="2.64")
    ids = [client.post("/os-server-groups", json={"server_group": {
        "name": f"p{n}", "policy": "affinity"}}).json()["server_group"]["id"] for n in range(3)]
    names = lambda q: [g["name"] for g in client.get(  # noqa: E731
        "/os-server-groups" + q).json()["server_groups"]]
    assert names("?limit=2") == ["p0", "p1"]
    assert names("?offset=1&limit=1") == ["p1"]
    assert names("?limit=0") == ["p0", "p1", "p2"]
    assert _fault(client.get("/os-server-groups?limit=-1"), 400).startswith(
        "Invalid input for query parameters limit.")
    for group_id in ids:
        client.send("DELETE", f"/os-server-groups/{group_id}")


def test_unknown_query_parameters_are_refused_from_2_75(lab):
    assert Client(lab, microversion="2.74").get("/os-server-groups?x=1").status_code == 200
    message = _fault(Client(lab, microversion="2.75").get("/os-server-groups?x=1"), 400)
    assert message == "Additional properties are not allowed ('x' was unexpected)"
