"""A small compute client for the notebooks, with novaclient's ``--debug`` view.

Real clients: python-novaclient (novaclient/v2/servers.py, and
keystoneauth1/session.py's ``REQ: curl -g -i ...`` / ``RESP:`` debug lines)
and openstacksdk.  This one makes the same requests with ``requests`` and,
with ``debug=True``, prints them the way ``nova --debug`` printed them in
the walkthrough — so every line can be matched to a hop in the trace.

It is also the tests' and the benchmarks' client: built from a keystone URL and
a password rather than a lab (a lab in another process), it offers the raw
wire as well — ``get``/``post``/``put``/``send`` answer with the response
whatever its status, as ``openstack.connection``'s proxies do with
``raise_exc=False`` — beside the named calls, which raise ``ClientError``.
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
        self.message = message or ""
        super().__init__(f"{status}: {message or body}")


class Client:
    """Talk to a lab as one user: tokens from keystone, servers from nova-api."""

    def __init__(self, lab=None, user="demo", debug=False, microversion=None, out=print, *,
                 auth_url=None, password=None, project=None, compute_url=None, session=None):
        """A client of ``lab`` as ``user``; or, without a lab, of the keystone at
        ``auth_url`` as ``user`` with ``password`` in ``project`` (the user's name
        unless given), as ``openstack --os-auth-url ...`` would be.

        :param compute_url: nova-api's endpoint, rather than the catalog's
            (keystoneauth1's ``endpoint_override``).

        :param session: what carries the requests: by default one keep-alive
            ``requests.Session`` per client.
        """
        self.lab, self.user, self.debug, self.out = lab, user, debug, out
        self.microversion = microversion
        self.auth_url = lab.auth_url if lab is not None else auth_url
        self._password, self._project = password, project or user
        if session is None:
            session = requests.Session()
            # the lab is on 127.0.0.1: no proxy applies, and reading the proxy variables
            # on every request costs more than the request itself
            session.trust_env = False
        self.session = session
        self._token = self._token_body = None
        self.catalog = []
        self._overrides = {"compute": compute_url} if compute_url else {}
        self.last_request_id = None
        self._image = None

    @property
    def token(self):
        """The token keystone issued (asked for on first use), sent as X-Auth-Token."""
        return self._ensure_token()

    @property
    def token_body(self):
        """The token's body: user, project, roles, catalog."""
        self._ensure_token()
        return self._token_body

    @property
    def project_id(self):
        return self.token_body["project"]["id"]

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

    def _send(self, method, url, body=None, auth=True, headers=None, **kwargs):
        sent = {"Accept": "application/json", "User-Agent": "labkit-client"}
        if body is not None:
            sent["Content-Type"] = "application/json"
        if auth:
            sent["X-Auth-Token"] = self._ensure_token()
        if self.microversion and "/v2.1" in url:
            sent["OpenStack-API-Version"] = f"compute {self.microversion}"
        if headers:
            sent.update(headers)
        if self.debug:
            self._log_request(method, url, sent, body)
        kwargs.setdefault("timeout", 60)
        if body is not None:
            kwargs["data"] = json.dumps(body)
        resp = self.session.request(method, url, headers=sent, **kwargs)
        self.last_request_id = resp.headers.get("x-compute-request-id") or \
            resp.headers.get("x-openstack-request-id")
        if self.debug:
            self._log_response(resp)
        return resp

    def send(self, method, url, json=None, headers=None, **kwargs):
        """One request as it is: the response whatever its status.

        :param url: a path under nova-api's endpoint (``/servers``) or a whole URL
            (placement's, glance's ...), the token sent either way.
        :param headers: sent on top of the client's own (its microversion, say).
        """
        if not url.startswith(("http://", "https://")):
            url = self.endpoint("compute") + url
        return self._send(method, url, json, headers=headers, **kwargs)

    def get(self, url, **kwargs):
        return self.send("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.send("POST", url, **kwargs)

    def put(self, url, **kwargs):
        return self.send("PUT", url, **kwargs)

    def request(self, method, url, body=None, auth=True, expect=None):
        """``method url`` with ``body`` as JSON; ``ClientError`` unless it succeeds
        (with one of the statuses in ``expect``, when given)."""
        resp = self._send(method, url, body, auth)
        if resp.status_code >= 400 or (expect and resp.status_code not in expect):
            _raise(resp)
        return resp

    # -- keystone ------------------------------------------------------------------------
    def authenticate(self):
        """POST /v3/auth/tokens: the token comes back in X-Subject-Token."""
        c = self.lab.credentials(self.user) if self.lab is not None else {
            "username": self.user, "password": self._password, "project_name": self._project}
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": c["username"], "domain": {"name": "Default"}, "password": c["password"]}}},
            "scope": {"project": {"name": c["project_name"], "domain": {"name": "Default"}}}}}
        resp = self.request("POST", self.auth_url + "/auth/tokens", body, auth=False)
        self._token = resp.headers["X-Subject-Token"]
        token = self._token_body = resp.json()["token"]
        self.catalog = token.get("catalog", [])
        return token

    def _ensure_token(self):
        if self._token is None:
            self.authenticate()
        return self._token

    def endpoint(self, service_type):
        self._ensure_token()
        if service_type in self._overrides:
            return self._overrides[service_type]
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
        image = image or self._default_image()
        if check:
            self.get_image(image)
            self.get_flavor(flavor)
        server = {"name": name, "imageRef": image, "flavorRef": str(flavor),
                  "max_count": count, "min_count": count}
        if networks:
            server["networks"] = [{"uuid": n} for n in networks]
        resp = self.request("POST", f"{self.endpoint('compute')}/servers", {"server": server})
        return resp.json()["server"]

    def _default_image(self):
        """The lab's first image; without a lab, glance's image named ``IMAGE_NAME``."""
        if self._image is None:
            if self.lab is not None:
                self._image = self.lab.data["images"]["images"][0]["id"]
            else:
                url = f"{self.endpoint('image')}/v2/images?name={IMAGE_NAME}"
                self._image = self.request("GET", url).json()["images"][0]["id"]
        return self._image

    def boot_active(self, name, **kwargs):
        """``boot`` (without the image and flavor checks), then ``wait`` for ACTIVE: the id."""
        server_id = self.boot(name, check=False, **kwargs)["id"]
        self.wait(server_id, "ACTIVE")
        return server_id

    def show(self, server_id):
        return self.request("GET", f"{self.endpoint('compute')}/servers/{server_id}").json()["server"]

    def list(self):
        return self.request("GET", f"{self.endpoint('compute')}/servers/detail").json()["servers"]

    def action(self, server_id, action, value=None):
        """POST /servers/{id}/action with ``{action: value}`` (202, empty body)."""
        self.request("POST", f"{self.endpoint('compute')}/servers/{server_id}/action",
                     {action: value})
        return self.last_request_id

    def server_action(self, server_id, body):
        """POST /servers/{id}/action with ``body`` as it is: the response, whatever its status."""
        return self.post(f"/servers/{server_id}/action", json=body)

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

    def wait(self, server_id, status, timeout=30, poll=0.005, away_from=None):
        """Poll GET /servers/{id} (quietly) until it has ``status``; returns the server.

        ``ClientError`` if it goes to ERROR instead.  ``away_from``: also wait until
        its host is another one (what an admin sees of a migration)."""
        server, _ = self.wait_for(server_id, (status, "ERROR"), timeout, poll, away_from)
        if server["status"] == "ERROR" and status != "ERROR":
            raise ClientError(500, {"fault": server.get("fault")})
        return server

    def wait_for(self, server_id, statuses, timeout=10, poll=0.002, away_from=None):
        """Poll GET /servers/{id} (quietly) until its status is one of ``statuses``
        ("DELETED": until nova answers 404); ``TimeoutError`` otherwise.

        Returns the server (``None`` once deleted) and the (status, vm_state,
        task_state, power_state) it went through, each change once."""
        if isinstance(statuses, str):
            statuses = (statuses,)
        debug, self.debug = self.debug, False
        request_id = self.last_request_id
        url = f"{self.endpoint('compute')}/servers/{server_id}"
        seen = []
        try:
            deadline = time.monotonic() + timeout
            while True:
                resp = self._send("GET", url)
                if resp.status_code == 404 and "DELETED" in statuses:
                    return None, seen
                if resp.status_code >= 400:
                    _raise(resp)
                server = resp.json()["server"]
                state = (server["status"], server.get("OS-EXT-STS:vm_state"),
                         server.get("OS-EXT-STS:task_state"),
                         server.get("OS-EXT-STS:power_state"))
                if not seen or seen[-1] != state:
                    seen.append(state)
                if server["status"] in statuses and (
                        away_from is None or server["status"] == "ERROR" or
                        server.get("OS-EXT-SRV-ATTR:host") not in (away_from, None)):
                    return server, seen
                if time.monotonic() > deadline:
                    raise TimeoutError(f"server {server_id} never reached {statuses}; "
                                       f"saw {seen}")
                time.sleep(poll)
        finally:
            self.debug, self.last_request_id = debug, request_id


def _raise(resp):
    """``ClientError`` for an error answer, with its JSON body (or its text)."""
    try:
        body = resp.json()
    except ValueError:
        body = resp.text
    raise ClientError(resp.status_code, body)


def get_token(lab, user="demo"):
    """(token, token body) for ``user`` of ``lab``, from keystone over HTTP."""
    client = Client(lab, user)
    return client.token, client.token_body


def fault(resp, code):
    """The message of nova's fault body, after checking that ``resp`` has status
    ``code`` and a body of one key, the fault's name (nova's
    api/openstack/wsgi.py:Fault): ``AssertionError`` otherwise."""
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
            409: "conflictingRequest"}[code]
    if resp.status_code != code:
        raise AssertionError(f"{resp.status_code}, not {code}: {resp.text}")
    body = resp.json()
    if list(body) != [name]:
        raise AssertionError(f"not one {name!r} fault: {body}")
    return body[name]["message"]


def _digest(value):
    import hashlib
    return hashlib.sha256(value.encode()).hexdigest()


def _hide_password(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "password" and isinstance(value, str):
                data[key] = "***"
            else:
                _hide_password(value)
