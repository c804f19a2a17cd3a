"""neutron over real HTTP: networks, subnets and ports with deterministic IP allocation.

Real neutron behaviour these follow: neutron/api/v2/base.py, db_base_plugin_v2.py,
the ml2 plugin's port binding and neutron's default policies.
"""
import pytest
import requests
from labkit.client import get_token

pytestmark = pytest.mark.lab

PRIVATE = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"
PUBLIC = "6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8091"
PRIVATE_SUBNET = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"


def token(lab, user):
    return get_token(lab, user)[0]


@pytest.fixture
def neutron(lab):
    return lab.endpoints["neutron"] + "/v2.0", {u: {"X-Auth-Token": token(lab, u)}
                                                for u in ("admin", "demo", "alt_demo")}


@pytest.fixture(autouse=True)
def _delete_ports(lab):
    """The lab is shared by this module: each test starts with no ports."""
    base, headers = lab.endpoints["neutron"] + "/v2.0", {"X-Auth-Token": token(lab, "admin")}
    with requests.Session() as session:
        session.headers.update(headers)
        for port in session.get(base + "/ports").json()["ports"]:
            session.delete(f"{base}/ports/{port['id']}")
    yield


def create_port(base, headers, http=requests, **port):
    port.setdefault("network_id", PRIVATE)
    return http.post(base + "/ports", headers=headers, json={"port": port})


def test_versions_and_resources(lab):
    base = lab.endpoints["neutron"]
    assert requests.get(base + "/").json() == {"versions": [
        {"id": "v2.0", "status": "CURRENT", "links": [{"rel": "self", "href": base + "/v2.0/"}]}]}
    token_headers = {"X-Auth-Token": token(lab, "demo")}
    names = {r["collection"] for r in requests.get(base + "/v2.0",
                                                   headers=token_headers).json()["resources"]}
    assert {"networks", "subnets", "ports"} <= names


def test_networks(neutron):
    base, users = neutron
    nets = requests.get(base + "/networks", headers=users["demo"]).json()["networks"]
    by_name = {n["name"]: n for n in nets}
    assert set(by_name) == {"private", "public"}      # bulk is the admin project's own
    private = by_name["private"]
    assert private["subnets"] == [PRIVATE_SUBNET] and private["shared"] is True
    assert private["status"] == "ACTIVE" and private["mtu"] == 1450
    assert private["router:external"] is False and by_name["public"]["router:external"] is True
    assert private["tenant_id"] == private["project_id"]
    assert "provider:network_type" not in private
    admin_view = requests.get(f"{base}/networks/{PRIVATE}", headers=users["admin"]).json()
    assert admin_view["network"]["provider:network_type"] == "vxlan"
    named = requests.get(base + "/networks?name=private", headers=users["demo"]).json()
    assert [n["id"] for n in named["networks"]] == [PRIVATE]
    fields = requests.get(base + "/networks?fields=id&fields=name&fields=nonsense",
                          headers=users["demo"]).json()["networks"]
    assert all(set(n) == {"id", "name"} for n in fields)
    external = requests.get(base + "/networks?router:external=true",
                            headers=users["demo"]).json()["networks"]
    assert [n["name"] for n in external] == ["public"]


def test_network_not_found(neutron):
    base, users = neutron
    resp = requests.get(base + "/networks/nope", headers=users["demo"])
    assert resp.status_code == 404
    assert resp.json() == {"NeutronError": {"type": "NetworkNotFound",
                                            "message": "Network nope could not be found.",
                                            "detail": ""}}


def test_subnets(neutron):
    base, users = neutron
    subnet = requests.get(f"{base}/subnets/{PRIVATE_SUBNET}", headers=users["demo"]).json()
    assert subnet["subnet"]["cidr"] == "192.168.1.0/24"
    assert subnet["subnet"]["allocation_pools"] == [{"start": "192.168.1.2",
                                                     "end": "192.168.1.254"}]
    assert len(requests.get(base + "/subnets", headers=users["demo"]).json()["subnets"]) == 2   # private (shared) and public (external)


def test_port_lifecycle_lowest_free_ip(neutron):
    base, users = neutron
    first = create_port(base, users["demo"], device_id="vm-1", device_owner="compute:nova")
    assert first.status_code == 201
    port = first.json()["port"]
    assert port["fixed_ips"] == [{"subnet_id": PRIVATE_SUBNET, "ip_address": "192.168.1.2"}]
    assert port["mac_address"].startswith("fa:16:3e:")
    assert port["status"] == "DOWN" and "binding:vif_type" not in port
    second = create_port(base, users["demo"], device_id="vm-2").json()["port"]
    assert second["fixed_ips"][0]["ip_address"] == "192.168.1.3"
    listed = requests.get(base + "/ports?device_id=vm-1", headers=users["demo"]).json()["ports"]
    assert [p["id"] for p in listed] == [port["id"]]
    by_ip = requests.get(base + "/ports?fixed_ips=ip_address=192.168.1.3",
                         headers=users["demo"]).json()["ports"]
    assert [p["id"] for p in by_ip] == [second["id"]]
    assert requests.delete(f"{base}/ports/{port['id']}", headers=users["demo"]).status_code == 204
    assert requests.get(f"{base}/ports/{port['id']}", headers=users["demo"]).status_code == 404
    again = create_port(base, users["demo"]).json()["port"]
    assert again["fixed_ips"][0]["ip_address"] == "192.168.1.2"


def test_port_binding_needs_admin_or_service(neutron):
    base, users = neutron
    port = create_port(base, users["demo"], device_id="vm").json()["port"]
    url = f"{base}/ports/{port['id']}"
    denied = requests.put(url, headers=users["demo"],
                          json={"port": {"binding:host_id": "compute-1"}})
    assert denied.status_code == 403
    assert denied.json()["NeutronError"]["type"] == "PolicyNotAuthorized"
    bound = requests.put(url, headers=users["admin"],
                         json={"port": {"binding:host_id": "compute-1"}}).json()["port"]
    assert bound["status"] == "ACTIVE" and bound["binding:vif_type"] == "ovs"
    assert bound["binding:host_id"] == "compute-1"
    assert requests.get(url, headers=users["demo"]).json()["port"]["status"] == "ACTIVE"
    assert requests.get(url, headers=users["alt_demo"]).status_code == 404


def test_port_errors(neutron):
    base, users = neutron
    missing = create_port(base, users["demo"], network_id="nope")
    assert missing.status_code == 404
    assert missing.json()["NeutronError"]["type"] == "NetworkNotFound"
    foreign = create_port(base, users["demo"], network_id=PUBLIC)
    assert foreign.status_code == 403
    unknown = create_port(base, users["demo"], bogus=1)
    assert unknown.status_code == 400
    taken = create_port(base, users["demo"], fixed_ips=[{"ip_address": "192.168.1.2"}])
    assert taken.status_code == 201
    clash = create_port(base, users["demo"], fixed_ips=[{"ip_address": "192.168.1.2"}])
    assert clash.status_code == 409
    assert clash.json()["NeutronError"]["type"] == "IpAddressAlreadyAllocated"


def test_pool_exhaustion(neutron):
    base, users = neutron
    with requests.Session() as session:
        session.headers.update(users["demo"])
        ips = [create_port(base, {}, session).json()["port"]["fixed_ips"][0]["ip_address"]
               for _ in range(253)]
        assert ips[0] == "192.168.1.2" and ips[-1] == "192.168.1.254"
        full = create_port(base, {}, session)
    assert full.status_code == 409
    assert full.json()["NeutronError"] == {
        "type": "IpAddressGenerationFailure",
        "message": f"No more IP addresses available on network {PRIVATE}.", "detail": ""}
