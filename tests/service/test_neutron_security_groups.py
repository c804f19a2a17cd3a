"""neutron's security groups over real HTTP: the default group, rules and their checks.

Real neutron behaviour these follow: neutron/db/securitygroups_db.py and
neutron/extensions/securitygroup.py (messages and types are neutron's).
"""
import pytest
import requests
from labkit.client import Client, get_token

pytestmark = pytest.mark.lab

PRIVATE = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"


@pytest.fixture(scope="module")
def api(lab):
    base = lab.endpoints["neutron"] + "/v2.0"
    users = {u: requests.Session() for u in ("admin", "demo", "alt_demo")}
    for user, session in users.items():
        session.headers["X-Auth-Token"] = get_token(lab, user)[0]
    return base, users


def _error(resp, code, error_type):
    assert resp.status_code == code, resp.text
    body = resp.json()["NeutronError"]
    assert body["type"] == error_type and body["detail"] == ""
    return body["message"]


def _rule(base, http, **rule):
    return http.post(base + "/security-group-rules", json={"security_group_rule": rule})


def test_default_group_on_first_use(api):
    base, users = api
    groups = users["alt_demo"].get(base + "/security-groups").json()["security_groups"]
    assert [g["name"] for g in groups] == ["default"]
    default = groups[0]
    assert default["description"] == "Default security group" and default["stateful"]
    rules = {(r["direction"], r["ethertype"], r["remote_group_id"])
             for r in default["security_group_rules"]}
    assert rules == {("ingress", "IPv4", default["id"]), ("ingress", "IPv6", default["id"]),
                     ("egress", "IPv4", None), ("egress", "IPv6", None)}
    assert all(r["belongs_to_default_sg"] for r in default["security_group_rules"])
    # the same group again, and another project does not see it
    again = users["alt_demo"].get(base + "/security-groups").json()["security_groups"]
    assert [g["id"] for g in again] == [default["id"]]
    assert default["id"] not in {g["id"] for g in users["demo"].get(
        base + "/security-groups").json()["security_groups"]}
    _error(users["demo"].get(f"{base}/security-groups/{default['id']}"), 404,
           "SecurityGroupNotFound")
    # default cannot be renamed, nor deleted by its project
    _error(users["alt_demo"].put(f"{base}/security-groups/{default['id']}",
                                 json={"security_group": {"name": "x"}}), 409,
           "SecurityGroupCannotUpdateDefault")
    assert _error(users["alt_demo"].delete(f"{base}/security-groups/{default['id']}"), 409,
                  "SecurityGroupCannotRemoveDefault") == \
        "Insufficient rights for removing default security group."
    _error(users["alt_demo"].post(base + "/security-groups",
                                  json={"security_group": {"name": "default"}}), 409,
           "SecurityGroupDefaultAlreadyExists")


def test_rules_are_checked_as_neutron_checks_them(api):
    base, users = api
    demo = users["demo"]
    web = demo.post(base + "/security-groups", json={"security_group": {
        "name": "web", "description": "http"}}).json()["security_group"]
    assert sorted((r["direction"], r["ethertype"]) for r in web["security_group_rules"]) == \
        [("egress", "IPv4"), ("egress", "IPv6")]
    sg = web["id"]
    made = _rule(base, demo, security_group_id=sg, direction="ingress", protocol="TCP",
                 port_range_min=80, port_range_max="80", remote_ip_prefix="10.1.2.3")
    assert made.status_code == 201, made.text
    made = made.json()["security_group_rule"]
    assert (made["protocol"], made["port_range_min"], made["port_range_max"],
            made["remote_ip_prefix"], made["normalized_cidr"]) == \
        ("tcp", 80, 80, "10.1.2.3/32", "10.1.2.3/32")
    # "6" is tcp: the same rule
    assert _error(_rule(base, demo, security_group_id=sg, direction="ingress", protocol="6",
                        port_range_min=80, port_range_max=80, remote_ip_prefix="10.1.2.3/32"),
                  409, "SecurityGroupRuleExists") == \
        f"Security group rule already exists. Rule id is {made['id']}."
    cases = [
        (dict(direction="sideways"), 400, "HTTPBadRequest"),
        (dict(direction="ingress", protocol="bogus"), 400, "SecurityGroupRuleInvalidProtocol"),
        (dict(direction="ingress", protocol=256), 400, "SecurityGroupRuleInvalidProtocol"),
        (dict(direction="ingress", protocol="tcp", port_range_min=90, port_range_max=80),
         400, "SecurityGroupInvalidPortRange"),
        (dict(direction="ingress", protocol="tcp", port_range_min=70000,
              port_range_max=70000), 400, "SecurityGroupInvalidPortValue"),
        (dict(direction="ingress", port_range_min=22, port_range_max=22), 400,
         "SecurityGroupProtocolRequiredWithPorts"),
        (dict(direction="ingress", protocol="gre", port_range_min=1, port_range_max=2), 400,
         "SecurityGroupInvalidProtocolForPort"),
        (dict(direction="ingress", protocol="icmp", port_range_min=300), 400,
         "SecurityGroupInvalidIcmpValue"),
        (dict(direction="ingress", ethertype="IPv5"), 400,
         "SecurityGroupRuleInvalidEtherType"),
        (dict(direction="ingress", remote_ip_prefix="::/0"), 400,
         "SecurityGroupRuleParameterConflict"),
        (dict(direction="ingress", remote_ip_prefix="ten.0.0.0/8"), 400, "InvalidCIDR"),
        (dict(direction="ingress", remote_ip_prefix="10.0.0.0/8", remote_group_id=sg), 400,
         "SecurityGroupMultipleRemoteEntites"),
        (dict(direction="ingress", remote_group_id="nope"), 404, "SecurityGroupNotFound"),
        (dict(direction="ingress", protocol="ipv6-icmp"), 400,
         "SecurityGroupEthertypeConflictWithProtocol"),
        (dict(direction="ingress", colour="red"), 400, "HTTPBadRequest"),
        (dict(protocol="tcp"), 400, "HTTPBadRequest"),
    ]
    for rule, code, error_type in cases:
        _error(_rule(base, demo, security_group_id=sg, **rule), code, error_type)
    assert _error(_rule(base, demo, security_group_id=sg, protocol="tcp"), 400,
                  "HTTPBadRequest") == \
        "Failed to parse request. Required attribute 'direction' not specified"
    # another project's group is not found
    _error(_rule(base, users["alt_demo"], security_group_id=sg, direction="egress"), 404,
           "SecurityGroupNotFound")
    # rules listed, shown, deleted
    listed = {r["id"] for r in demo.get(base + "/security-group-rules").json()[
        "security_group_rules"]}
    assert made["id"] in listed
    assert demo.get(f"{base}/security-group-rules/{made['id']}").status_code == 200
    assert demo.delete(f"{base}/security-group-rules/{made['id']}").status_code == 204
    _error(demo.get(f"{base}/security-group-rules/{made['id']}"), 404,
           "SecurityGroupRuleNotFound")
    assert demo.delete(f"{base}/security-groups/{sg}").status_code == 204


def test_ports_join_groups(lab, api):
    base, users = api
    demo = users["demo"]
    default = demo.get(base + "/security-groups?name=default").json()["security_groups"][0]
    db = demo.post(base + "/security-groups", json={"security_group": {"name": "db"}}).json()[
        "security_group"]
    port = demo.post(base + "/ports", json={"port": {"network_id": PRIVATE}}).json()["port"]
    assert port["security_groups"] == [default["id"]]
    moved = demo.put(f"{base}/ports/{port['id']}",
                     json={"port": {"security_groups": [db["id"]]}}).json()["port"]
    assert moved["security_groups"] == [db["id"]]
    _error(demo.delete(f"{base}/security-groups/{db['id']}"), 409, "SecurityGroupInUse")
    for bad in ("x", ["not-a-uuid"], [db["id"], db["id"]]):
        _error(demo.put(f"{base}/ports/{port['id']}", json={"port": {"security_groups": bad}}),
               400, "HTTPBadRequest")
    _error(demo.put(f"{base}/ports/{port['id']}", json={"port": {
        "security_groups": ["00000000-0000-4000-8000-000000000000"]}}), 404,
        "SecurityGroupNotFound")
    assert demo.delete(f"{base}/ports/{port['id']}").status_code == 204
    assert demo.delete(f"{base}/security-groups/{db['id']}").status_code == 204


def test_boot_into_a_group(lab, api):
    """nova-api checks the group (400 in nova's words), nova-compute puts the port in it."""
    base, users = api
    client = Client(lab)
    web = users["demo"].post(base + "/security-groups", json={"security_group": {
        "name": "boot-web"}}).json()["security_group"]
    body = {"server": {"name": "sg", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
                       "flavorRef": "42", "networks": [{"uuid": PRIVATE}],
                       "security_groups": [{"name": "no-such-group"}]}}
    resp = client.post("/servers", json=body)
    assert resp.status_code == 400
    assert resp.json() == {"badRequest": {"code": 400, "message":
                           "Unable to find security_group with name or id 'no-such-group'"}}
    body["server"]["security_groups"] = [{"name": web["id"]}]     # as openstackclient sends
    resp = client.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    client.wait_for(server_id, "ACTIVE")
    assert client.show(server_id)["security_groups"] == [{"name": "boot-web"}]
    ports = users["demo"].get(f"{base}/ports?device_id={server_id}").json()["ports"]
    assert [(p["security_groups"], p["project_id"]) for p in ports] == \
        [([web["id"]], client.project_id)]
    assert client.send("DELETE", f"/servers/{server_id}").status_code == 204


def test_add_and_remove_a_servers_group(lab, api):
    """addSecurityGroup / removeSecurityGroup change every port of the server (nova's
    security_group_api.add_to_instance), and the server then shows its groups."""
    base, users = api
    client = Client(lab)
    db = users["demo"].post(base + "/security-groups", json={"security_group": {
        "name": "action-db"}}).json()["security_group"]
    server_id = client.boot("sg-actions", networks=[PRIVATE], check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    action = f"/servers/{server_id}/action"

    def port_groups():
        ports = users["demo"].get(f"{base}/ports?device_id={server_id}").json()["ports"]
        return [sorted(p["security_groups"]) for p in ports]
    default = users["demo"].get(base + "/security-groups?name=default").json()[
        "security_groups"][0]["id"]
    assert client.post(action, json={"addSecurityGroup": {"name": "action-db"}}).status_code \
        == 202
    assert port_groups() == [sorted([default, db["id"]])]
    assert client.show(server_id)["security_groups"] == [{"name": "default"},
                                                           {"name": "action-db"}]
    again = client.post(action, json={"addSecurityGroup": {"name": "action-db"}})
    assert again.status_code == 400 and "Duplicate items in the list" in \
        again.json()["badRequest"]["message"]
    listed = client.get(f"/servers/{server_id}/os-security-groups").json()["security_groups"]
    assert [g["name"] for g in listed] == ["action-db", "default"]      # by project, name
    default_rules = {(r["ip_protocol"], r["from_port"], r["group"].get("name"))
                     for r in listed[1]["rules"]}
    assert default_rules == {(None, None, "default")}       # ingress only, from itself
    assert client.post(action, json={"removeSecurityGroup": {"name": "default"}}).status_code \
        == 202
    assert port_groups() == [[db["id"]]]
    assert client.show(server_id)["security_groups"] == [{"name": "action-db"}]
    errors = [({"addSecurityGroup": {"name": "nope"}}, 404, "itemNotFound",
               f"Security group nope is not found for project {client.project_id}"),
              ({"removeSecurityGroup": {"name": "default"}}, 400, "badRequest",
               f"Security group default not assigned to the instance {server_id}"),
              ({"addSecurityGroup": {}}, 400, "badRequest", "Security group not specified"),
              ({"addSecurityGroup": {"name": " "}}, 400, "badRequest",
               "Security group name cannot be empty")]
    for body, code, fault, message in errors:
        resp = client.post(action, json=body)
        assert (resp.status_code, resp.json()) == (code, {fault: {"code": code,
                                                                  "message": message}})
    assert client.send("DELETE", f"/servers/{server_id}").status_code == 204


def test_a_project_has_ten_groups_at_most(api):
    """[QUOTAS]quota_security_group = 10, the default group among them (neutron's OverQuota)."""
    base, users = api
    alt = users["alt_demo"]
    mine = [g["id"] for g in alt.get(base + "/security-groups").json()["security_groups"]]
    made = []
    while len(mine) + len(made) < 10:
        resp = alt.post(base + "/security-groups", json={"security_group": {"name": "q"}})
        assert resp.status_code == 201, resp.text
        made.append(resp.json()["security_group"]["id"])
    assert _error(alt.post(base + "/security-groups", json={"security_group": {"name": "q"}}),
                  409, "OverQuota") == "Quota exceeded for resources: ['security_group']."
    for group_id in made:
        assert alt.delete(f"{base}/security-groups/{group_id}").status_code == 204
