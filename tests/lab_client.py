"""What the tests use to talk to a lab: a token, and a small compute client over requests.

(Kept out of conftest.py so test modules can import it by name without clashing
with the conftest.py files of tests/clients and tests/browser.)
"""
import time

import requests


def get_token(lab, user="demo"):
    """(token, token body) for ``user``, from keystone over HTTP."""
    c = lab.credentials(user)
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": c["username"], "domain": {"name": "Default"}, "password": c["password"]}}},
        "scope": {"project": {"name": c["project_name"], "domain": {"name": "Default"}}}}}
    resp = requests.post(lab.auth_url + "/auth/tokens", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.headers["X-Subject-Token"], resp.json()["token"]


class Client:
    """A tiny compute client over ``requests`` for tests (one session, one token)."""

    def __init__(self, lab, user="demo", microversion=None):
        self.lab = lab
        self.token, self.token_body = get_token(lab, user)
        self.project_id = self.token_body["project"]["id"]
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = self.token
        if microversion:
            self.session.headers["OpenStack-API-Version"] = f"compute {microversion}"
        self.base = lab.compute_url

    def request(self, method, path, **kw):
        return self.session.request(method, self.base + path, timeout=30, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def boot(self, name="t3", flavor="42", image="44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
             networks=None):
        server = {"name": name, "imageRef": image, "flavorRef": flavor,
                  "max_count": 1, "min_count": 1}
        if networks is not None:
            server["networks"] = networks
        resp = self.post("/servers", json={"server": server})
        assert resp.status_code == 202, resp.text
        return resp

    def boot_active(self, name, **kwargs):
        """Boot a server and wait for ACTIVE; its id."""
        server_id = self.boot(name, **kwargs).json()["server"]["id"]
        self.wait_for(server_id, "ACTIVE")
        return server_id

    def server(self, server_id):
        return self.get(f"/servers/{server_id}").json()["server"]

    def wait_for(self, server_id, statuses, timeout=10, poll=0.002):
        """Poll GET /servers/{id} until its status is one of ``statuses``."""
        if isinstance(statuses, str):
            statuses = (statuses,)
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            resp = self.get(f"/servers/{server_id}")
            if resp.status_code == 404 and "DELETED" in statuses:
                return None, seen
            server = resp.json()["server"]
            state = (server["status"], server["OS-EXT-STS:vm_state"],
                     server["OS-EXT-STS:task_state"], server["OS-EXT-STS:power_state"])
            if not seen or seen[-1] != state:
                seen.append(state)
            if server["status"] in statuses:
                return server, seen
            time.sleep(poll)
        raise AssertionError(f"server {server_id} never reached {statuses}; saw {seen}")

    def action(self, server_id, body):
        return self.post(f"/servers/{server_id}/action", json=body)


def fault(resp, code):
    """The message of nova's fault body, after checking its status and its one key."""
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
            409: "conflictingRequest"}[code]
    assert resp.status_code == code, resp.text
    assert list(resp.json()) == [name], resp.json()
    return resp.json()[name]["message"]
