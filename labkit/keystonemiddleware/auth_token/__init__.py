"""keystonemiddleware's auth_token: the token check in front of every OpenStack API.

Real keystonemiddleware: keystonemiddleware/auth_token/__init__.py
(AuthProtocol.process_request, _validate_token, _do_fetch_token),
auth_token/_identity.py (the ``GET /v3/auth/tokens`` call with the service's
own token), auth_token/_cache.py (TokenCache) and auth_token/_request.py (the
``X-*`` headers, _v3_to_v2_catalog).

NOTE(labkit): the service's own token comes from labkit.keystone.auth, labkit's
stand-in for the keystoneauth1 password plugin real keystonemiddleware loads
(and for oslo_utils.timeutils.parse_isotime).  Like real keystonemiddleware,
which never imports keystone, it does not reach keystone's service
(labkit.keystone.service imports it, not the other way round).
"""
import json
import threading
import time

from labkit.common.http import Session
from labkit.keystone.auth import ServiceAuth, parse_isotime
from labkit.wsgi.app import HTTPError

_USER_HEADERS = ("X-User-Id", "X-User-Name", "X-User-Domain-Id", "X-User-Domain-Name",
                 "X-Project-Id", "X-Project-Name", "X-Project-Domain-Id",
                 "X-Project-Domain-Name", "X-Domain-Id", "X-Domain-Name", "X-Roles",
                 "X-Is-Admin-Project", "OpenStack-System-Scope")
_ALL_HEADERS = (("X-Identity-Status", "X-Service-Identity-Status", "X-Service-Catalog",
                 "X-Service-Roles", "X-User", "X-Tenant-Id", "X-Tenant-Name", "X-Tenant",
                 "X-Role") + _USER_HEADERS
                + tuple("X-Service-" + h[2:] for h in _USER_HEADERS if h.startswith("X-")))
_ENVIRON_KEYS = frozenset("HTTP_" + h.upper().replace("-", "_") for h in _ALL_HEADERS)

UNAUTHORIZED = {"error": {"code": 401, "title": "Unauthorized",
                          "message": "The request you have made requires authentication."}}
UNAVAILABLE = {"error": {"code": 503, "title": "Service Unavailable",
                         "message": "The Keystone service is temporarily unavailable."}}


class InvalidToken(Exception):
    pass


class ServiceError(Exception):
    pass


def v3_to_v2_catalog(catalog):
    """auth_token/_request.py:_v3_to_v2_catalog, the form of ``X-Service-Catalog``."""
    services = []
    for v3 in catalog:
        regions = {}
        for ep in v3.get("endpoints", ()):
            region = regions.setdefault(ep.get("region"), {"region": ep.get("region")})
            region[ep["interface"].lower() + "URL"] = ep["url"]
        services.append({"type": v3["type"], "name": v3.get("name"),
                         "endpoints": list(regions.values())})
    return services


def _header(name):
    return "HTTP_" + name.upper().replace("-", "_")


class AuthProtocol:
    """Let a request through only with a valid ``X-Auth-Token``; describe its owner in headers.

    :param app: the WSGI app behind it.
    :param node: the node it runs in; it validates with that service's user
        (``nova-api`` → ``nova``), or in-process when ``node == "keystone"``.
    :param delay_auth_decision: pass invalid requests on with
        ``X-Identity-Status: Invalid`` instead of answering 401.
    :param public_paths: paths served without a token.  NOTE(labkit): real
        services route their version documents around auth_token in paste
        (glance, neutron) or skip ``/`` in a subclass (placement/auth.py).
    :param validator: ``token_id -> token body``; keystone passes its own.
    """

    def __init__(self, app, lab, node, delay_auth_decision=False, public_paths=(),
                 validator=None, service_user=None):
        self.app, self.lab, self.node = app, lab, node
        self.delay_auth_decision = delay_auth_decision
        self.public_paths = frozenset(public_paths)
        self.cache_time = lab.conf.token_cache_time
        self.www_authenticate_uri = lab.endpoints["keystone"]
        self._validator = validator
        self._session = self._service_auth = None
        if validator is None and node != "keystone":
            self._session = Session(node)
            username = service_user or node.split("@")[0].split("-")[0]
            self._service_auth = ServiceAuth(lab, node, username, session=self._session)
        self._cache = {}
        self._cache_lock = threading.Lock()
        self._header_cache = {}

    # -- the request path --------------------------------------------------------
    def __call__(self, environ, start_response):
        for key in _ENVIRON_KEYS.intersection(environ):   # never trust identity headers
            del environ[key]                                # from a client
        if (environ.get("PATH_INFO") or "/") in self.public_paths:
            return self.app(environ, start_response)
        token = environ.get("HTTP_X_AUTH_TOKEN")
        data = None
        if token:
            try:
                data = self._validate(token, environ.get("openstack.global_request_id")
                                      or environ.get("openstack.request_id"))
            except InvalidToken:
                data = None
            except ServiceError:
                return self._respond(start_response, "503 Service Unavailable", UNAVAILABLE)
        if data is None:
            if self.delay_auth_decision:
                environ["HTTP_X_IDENTITY_STATUS"] = "Invalid"
                return self.app(environ, start_response)
            return self._respond(start_response, "401 Unauthorized", UNAUTHORIZED,
                                 [("WWW-Authenticate",
                                   f'Keystone uri="{self.www_authenticate_uri}"')])
        environ.update(self._headers_for(token, data))
        environ["keystone.token_info"] = data
        environ["keystone.token_auth"] = token
        return self.app(environ, start_response)

    @staticmethod
    def _respond(start_response, status, body, extra=()):
        raw = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(raw)))] + list(extra))
        return [raw]

    def _headers_for(self, token_id, data):
        """The identity headers of a validated token, built once per token and cached."""
        headers = self._header_cache.get(token_id)
        if headers is None or headers[0] is not data:
            environ = {}
            self._set_headers(environ, data["token"])
            headers = self._header_cache[token_id] = (data, environ)
            if len(self._header_cache) > 10000:
                self._header_cache.clear()
        return headers[1]

    @staticmethod
    def _set_headers(environ, token):
        """auth_token/_request.py:set_user_headers and set_service_catalog_headers."""
        user, project = token["user"], token.get("project")
        values = {"X-Identity-Status": "Confirmed", "X-User-Id": user["id"],
                  "X-User-Name": user["name"], "X-User-Domain-Id": user["domain"]["id"],
                  "X-User-Domain-Name": user["domain"]["name"],
                  "X-Roles": ",".join(r["name"] for r in token.get("roles", ())),
                  "X-Is-Admin-Project": str(token.get("is_admin_project", True))}
        if project:
            values.update({"X-Project-Id": project["id"], "X-Project-Name": project["name"],
                           "X-Project-Domain-Id": project["domain"]["id"],
                           "X-Project-Domain-Name": project["domain"]["name"]})
        if "catalog" in token:
            values["X-Service-Catalog"] = json.dumps(v3_to_v2_catalog(token["catalog"]))
        for name, value in values.items():
            environ[_header(name)] = value

    # -- validation and its cache -------------------------------------------------------
    def _validate(self, token, request_id):
        """The cache first, then keystone; an expired token is refused here either way.

        Real keystonemiddleware: auth_token/__init__.py:AuthProtocol.fetch_token
        returns the cached data for ``token_cache_time`` seconds whatever the
        token's expiry, and BaseAuthProtocol._validate_token then refuses a token
        that has expired (``will_expire_soon(stale_duration=0)`` → InvalidToken),
        without asking keystone again.
        """
        now = time.time()
        with self._cache_lock:
            cached = self._cache.get(token)
        if cached and now < cached[0]:
            expires, data = cached[1], cached[2]
        else:
            data = self._fetch(token, request_id)
            expires = parse_isotime(data["token"]["expires_at"])
            with self._cache_lock:
                if len(self._cache) > 10000:
                    self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                self._cache[token] = (now + self.cache_time, expires, data)
        if expires <= now:
            raise InvalidToken()
        return data

    def _fetch(self, token, request_id):
        """Ask keystone about ``token`` (GET /v3/auth/tokens), with the service's own token.

        NOTE(labkit): real keystonemiddleware sends keystone no X-OpenStack-Request-ID
        when it validates a token or fetches its service token
        (keystonemiddleware/auth_token/_identity.py:_V3RequestStrategy.verify_token and
        the keystoneauth session under it; only keystonemiddleware/audit reads
        global_request_id), so a real keystone logs these requests under request ids of
        its own.  labkit sends the request's id, so that the trace files the two hops
        under the request that caused them.
        """
        if self._service_auth is None:        # inside keystone: no HTTP hop
            validator = self._validator or self.lab.services["keystone"].validate
            try:
                return validator(token)
            except HTTPError:
                raise InvalidToken() from None
        url = self.lab.endpoints["keystone"] + "/v3/auth/tokens"
        for attempt in (1, 2):
            try:
                resp = self._session.get(url, token=self._service_auth.token(request_id),
                                         request_id=request_id, raise_exc=False,
                                         headers={"X-Subject-Token": token})
            except Exception as exc:   # keystone unreachable or refused our own user
                raise ServiceError() from exc
            if resp.status == 200:
                return resp.json()
            if resp.status == 404:
                raise InvalidToken()
            if resp.status == 401 and attempt == 1:   # our own token went bad: re-auth once
                self._service_auth.invalidate()
                continue
            raise ServiceError()

    def close(self):
        if self._session is not None:
            self._session.close()


def request_context(environ):
    """A RequestContext from the headers AuthProtocol set (and the request ids).

    Real oslo.context: context.py:RequestContext.from_environ, which glance,
    neutron and placement call; ``is_admin`` is each service's
    ``context_is_admin`` policy rule, ``role:admin``.
    """
    from labkit.context import RequestContext
    roles = [r for r in environ.get("HTTP_X_ROLES", "").split(",") if r]
    catalog = environ.get("HTTP_X_SERVICE_CATALOG")
    return RequestContext(
        user_id=environ.get("HTTP_X_USER_ID"), project_id=environ.get("HTTP_X_PROJECT_ID"),
        user_name=environ.get("HTTP_X_USER_NAME"),
        project_name=environ.get("HTTP_X_PROJECT_NAME"), roles=roles,
        auth_token=environ.get("keystone.token_auth"),
        request_id=environ.get("openstack.request_id"),
        global_request_id=environ.get("openstack.global_request_id"),
        is_admin="admin" in roles, service_catalog=json.loads(catalog) if catalog else [])
