"""A small compute client for the notebooks, with novaclient's ``--debug`` view.

Real clients: python-novaclient (novaclient/v2/servers.py, and
keystoneauth1/session.py's ``REQ: curl -g -i ...`` / ``RESP:`` debug lines)
and openstacksdk.  This one makes the same requests with ``requests`` and,
with ``debug=True``, prints them the way ``nova --debug`` printed them in
the walkthrough — so every line can be matched to a hop in the trace.
"""
import json
import time

import requests

IMAGE_NAME = "cirros-0.6.2-x86_64-disk"


class ClientError(Exception):
    """An error answer: ``status`` and nova's fault ``body``."""

    def __init__(self, status, body):
        self.status, self.body = status, body
        fault = next(iter(body.values())) if isinstance(body, dict) and body else {}
        message = fault.get("message") if isinstance(fault, dict) else None
        super().__init__(f"{status}: {message or body}")


class Client:
    """Talk to a lab as one user: tokens from keystone, servers from nova-api."""

    def __init__(self, lab, user="demo", debug=False, microversion=None, out=print):
        self.lab, self.user, self.debug, self.out = lab, user, debug, out
        self.microversion = microversion
        self.session = requests.Session()
        # the lab is on 127.0.0.1: no proxy applies, and reading the proxy variables
        # on every request costs more than the request itself
        self.session.trust_env = False
        self.token = None
        self.project_id = None
        self.catalog = []
        self.last_request_id = None

    # -- the wire ----------------------------------------------------------------------
    def _log_request(self, method, url, headers, body):
        parts = [f"REQ: curl -g -i '{url}' -X {method}"]
        for key, value in headers.items():
            if key.lower() == "x-auth-token":
                value = "{SHA256}" + _digest(value)
            parts.append(f'-H "{key}: {value}"')
        if body is not None:
            shown = json.loads(json.dumps(body))
            _hide_password(shown)
            parts.append(f"-d '{json.dumps(shown)}'")
        self.out(" ".join(parts))

    def _log_response(self, resp):
        headers = {k: v for k, v in resp.headers.items()
                   if k.lower() not in ("x-subject-token",)}
        self.out(f"RESP: [{resp.status_code}] {headers}")
        body = resp.text if resp.content else "null"
        if resp.content and "application/json" in resp.headers.get("Content-Type", ""):
            data = resp.json()
            if isinstance(data, dict) and "token" in data:
                data = {"token": {k: v for k, v in data["token"].items() if k != "catalog"}}
            body = json.dumps(data)
        self.out(f"RESP BODY: {body}")

    def request(self, method, url, body=None, auth=True, expect=None):
        headers = {"Accept": "application/json", "User-Agent": "labkit-client"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if auth:
            headers["X-Auth-Token"] = self._ensure_token()
        if self.microversion and "/v2.1" in url:
            headers["OpenStack-API-Version"] = f"compute {self.microversion}"
        if self.debug:
            self._log_request(method, url, headers, body)
        resp = self.session.request(method, url, headers=headers,
                                    data=json.dumps(body) if body is not None else None,
                                    timeout=60)
        self.last_request_id = resp.headers.get("x-compute-request-id") or \
            resp.headers.get("x-openstack-request-id")
        if self.debug:
            self._log_response(resp)
        if resp.status_code >= 400 or (expect and resp.status_code not in expect):
            try:
                raise ClientError(resp.status_code, resp.json())
            except ValueError:
                raise ClientError(resp.status_code, resp.text) from None
        return resp

    # -- keystone ------------------------------------------------------------------------
    def authenticate(self):
        """POST /v3/auth/tokens: the token comes back in X-Subject-Token."""
        c = self.lab.credentials(self.user)
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": c["username"], "domain": {"name": "Default"}, "password": c["password"]}}},
            "scope": {"project": {"name": c["project_name"], "domain": {"name": "Default"}}}}}
        resp = self.request("POST", self.lab.auth_url + "/auth/tokens", body, auth=False)
        self.token = resp.headers["X-Subject-Token"]
        token = resp.json()["token"]
        self.project_id, self.catalog = token["project"]["id"], token.get("catalog", [])
        return token

    def _ensure_token(self):
        if self.token is None:
            self.authenticate()
        return self.token

    def endpoint(self, service_type):
        self._ensure_token()
        for entry in self.catalog:
            if entry["type"] == service_type:
                return next(e["url"] for e in entry["endpoints"] if e["interface"] == "public")
        raise KeyError(service_type)

    # -- compute ---------------------------------------------------------------------------
    def get_image(self, image_id):
        return self.request("GET", f"{self.endpoint('image')}/v2/images/{image_id}").json()

    def get_flavor(self, flavor):
        return self.request("GET", f"{self.endpoint('compute')}/flavors/{flavor}").json()["flavor"]

    def boot(self, name, flavor="42", image=None, networks=None, check=True, count=1):
        """``nova boot``: check the image and flavor, then POST /servers (202).

        ``count``: nova's multi-create (``min_count`` = ``max_count``, ``openstack
        server create --min N --max N``), one request for ``count`` servers; the
        answer is the first one."""
        image = image or self.lab.data["images"]["images"][0]["id"]
        if check:
            self.get_image(image)
            self.get_flavor(flavor)
        server = {"name": name, "imageRef": image, "flavorRef": str(flavor),
                  "max_count": count, "min_count": count}
        if networks:
            server["networks"] = [{"uuid": n} for n in networks]
        resp = self.request("POST", f"{self.endpoint('compute')}/servers", {"server": server})
        return resp.json()["server"]

    def show(self, server_id):
        return self.request("GET", f"{self.endpoint('compute')}/servers/{server_id}").json()["server"]

    def list(self):
        return self.request("GET", f"{self.endpoint('compute')}/servers/detail").json()["servers"]

    def action(self, server_id, action, value=None):
        """POST /servers/{id}/action with ``{action: value}`` (202, empty body)."""
        self.request("POST", f"{self.endpoint('compute')}/servers/{server_id}/action",
                     {action: value})
        return self.last_request_id

    def shelve(self, server_id):
        return self.action(server_id, "shelve")

    def unshelve(self, server_id):
        return self.action(server_id, "unshelve")

    def lock(self, server_id):
        return self.action(server_id, "lock")

    def unlock(self, server_id):
        return self.action(server_id, "unlock")

    def delete(self, server_id):
        self.request("DELETE", f"{self.endpoint('compute')}/servers/{server_id}")

    def building(self):
        """How many of this project's servers are still BUILD (filtered in nova's SQL)."""
        url = f"{self.endpoint('compute')}/servers?status=BUILD"
        return len(self.request("GET", url).json()["servers"])

    def wait_builds(self, timeout=60, poll=0.02):
        """Wait until none of this project's servers is BUILD (after a burst of boots)."""
        debug, self.debug = self.debug, False
        try:
            url = f"{self.endpoint('compute')}/servers?status=BUILD&limit=1"
            deadline = time.monotonic() + timeout
            while self.request("GET", url).json()["servers"]:
                if time.monotonic() > deadline:
                    raise TimeoutError("servers still BUILD")
                time.sleep(poll)
        finally:
            self.debug = debug

    def wait(self, server_id, status, timeout=30, poll=0.005):
        """Poll GET /servers/{id} (quietly) until it has ``status``; returns the server."""
        debug, self.debug = self.debug, False
        request_id = self.last_request_id
        try:
            deadline = time.monotonic() + timeout
            while True:
                server = self.show(server_id)
                if server["status"] == status:
                    return server
                if server["status"] == "ERROR" and status != "ERROR":
                    raise ClientError(500, {"fault": server.get("fault")})
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{server_id} is {server['status']}, not {status}")
                time.sleep(poll)
        finally:
            self.debug, self.last_request_id = debug, request_id


def _digest(value):
    import hashlib
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def _hide_password(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "password" and isinstance(value, str):
                data[key] = "***"
            else:
                _hide_password(value)
