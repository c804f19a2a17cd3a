"""nova-api's server views where the clients found labkit unlike nova (no client needed).

Each test names the nova behaviour it pins (nova/api/openstack/compute/views/servers.py
and common.py), found by running the real clients against labkit.
"""
import time

import pytest
import requests

import labkit

from ._support import IMAGE_ID as IMAGE, NET_ID as NET


class Api:
    def __init__(self, lab, user="demo"):
        c = lab.credentials(user)
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": c["username"], "domain": {"name": "Default"}, "password": c["password"]}}},
            "scope": {"project": {"name": c["project_name"], "domain": {"name": "Default"}}}}}
        resp = requests.post(lab.auth_url + "/auth/tokens", json=body, timeout=10)
        self.s = requests.Session()
        self.s.headers["X-Auth-Token"] = resp.headers["X-Subject-Token"]
        self.base = lab.compute_url

    def req(self, method, path, version=None, **kw):
        headers = {"OpenStack-API-Version": f"compute {version}"} if version else {}
        return self.s.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def boot(self, name, version=None, hints=None, **server):
        body = {"server": dict({"name": name, "imageRef": IMAGE, "flavorRef": "42",
                                "networks": [{"uuid": NET}]}, **server)}
        if hints:
            body["os:scheduler_hints"] = hints
        resp = self.req("POST", "/servers", version, json=body)
        assert resp.status_code == 202, resp.text
        return resp.json()["server"]["id"]

    def show(self, server_id, version=None):
        return self.req("GET", f"/servers/{server_id}", version).json()["server"]

    def wait(self, server_id, status, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.show(server_id)
            if server["status"] == status:
                return server
            time.sleep(0.01)
        raise AssertionError(f"{server_id} never reached {status}")


@pytest.fixture(scope="module")
def api():
    with labkit.start(seed=3, exclusive=False) as lab:
        yield Api(lab)


def test_progress_only_in_nova_progress_statuses(api):
    """_progress_statuses: ACTIVE, BUILD, ...; not SHELVED_OFFLOADED."""
    sid = api.boot("prog")
    assert api.wait(sid, "ACTIVE")["progress"] == 0
    api.req("POST", f"/servers/{sid}/action", json={"shelve": None})
    assert "progress" not in api.wait(sid, "SHELVED_OFFLOADED")
    api.req("DELETE", f"/servers/{sid}")


def test_pinned_az_and_scheduler_hints_come_from_the_request_spec(api):
    """2.96 pinned_availability_zone is the zone asked for (null if none), not where the
    server landed; 2.100 scheduler_hints are the hints given, each value a list."""
    free = api.boot("free", "2.100")
    pinned = api.boot("pinned", "2.100", hints={"same_host": free}, availability_zone="nova")
    for sid in (free, pinned):
        api.wait(sid, "ACTIVE")
    free_view, pinned_view = api.show(free, "2.100"), api.show(pinned, "2.100")
    assert free_view["OS-EXT-AZ:availability_zone"] == "nova"
    assert free_view["pinned_availability_zone"] is None and free_view["scheduler_hints"] == {}
    assert pinned_view["pinned_availability_zone"] == "nova"
    assert pinned_view["scheduler_hints"] == {"same_host": [free]}
    detail = {s["id"]: s for s in api.req("GET", "/servers/detail", "2.100").json()["servers"]}
    assert detail[pinned]["scheduler_hints"] == {"same_host": [free]}
    assert detail[free]["pinned_availability_zone"] is None
    assert "pinned_availability_zone" not in api.show(free, "2.95")
    for sid in (free, pinned):
        api.req("DELETE", f"/servers/{sid}")


def test_image_properties_from_2_98(api):
    sid = api.boot("props")
    api.wait(sid, "ACTIVE")
    assert "properties" not in api.show(sid, "2.97")["image"]
    assert isinstance(api.show(sid, "2.98")["image"]["properties"], dict)
    api.req("DELETE", f"/servers/{sid}")


def test_full_page_has_a_next_link(api):
    """common.ViewBuilder._get_collection_links: servers_links when a page is full."""
    ids = [api.boot(f"page-{n}") for n in range(3)]
    for sid in ids:      # a server moving from its build request to the cell between two
        api.wait(sid, "ACTIVE")      # pages may be listed twice or not at all, as in nova
    for path in ("/servers", "/servers/detail"):
        first = api.req("GET", f"{path}?limit=2").json()
        assert len(first["servers"]) == 2
        (link,) = first["servers_links"]
        assert link["rel"] == "next" and link["href"].startswith(api.base + path + "?")
        assert f"marker={first['servers'][-1]['id']}" in link["href"]
        rest = api.s.get(link["href"], timeout=10).json()
        assert len(rest["servers"]) == 1 and "servers_links" not in rest
        assert "servers_links" not in api.req("GET", path).json()
    for sid in ids:
        api.req("DELETE", f"/servers/{sid}")


def test_addresses_hidden_while_building():
    """_get_addresses: {} while vm_state is building (ports exist already); /ips shows them."""
    with labkit.start(seed=4, exclusive=False, virt_delays={"spawn": 0.5}) as lab:
        api = Api(lab)
        sid = api.boot("slow")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            server = api.show(sid)
            if server["OS-EXT-STS:task_state"] == "spawning":
                break
            time.sleep(0.01)
        assert server["status"] == "BUILD" and server["addresses"] == {}
        assert api.req("GET", f"/servers/{sid}/ips").json()["addresses"]["private"]
        assert api.wait(sid, "ACTIVE")["addresses"]["private"]
