"""A service user's own token, fetched from keystone and renewed before it expires.

Real keystoneauth1: identity/v3/password.py (Password) with
plugin.py:BaseIdentityPlugin.get_token / get_access, which re-authenticates
when the token "will expire soon".  nova, glance, neutron and placement each
hold one for their service user ([keystone_authtoken] and [placement] in
their config files); keystonemiddleware uses it to validate user tokens, and
nova's scheduler uses it to call placement.
"""
import datetime
import threading
import time

from labkit.common.http import Session
from labkit.keystone.catalog import url_for

MIN_TOKEN_LIFE_SECONDS = 120     # keystoneauth1/access/access.py


def parse_isotime(text):
    """Seconds since the epoch for keystone's ``...Z`` timestamps."""
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in text else "%Y-%m-%dT%H:%M:%SZ"
    dt = datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


class ServiceAuth:
    """``ServiceAuth(lab, node, username)``: ``token()``, ``project_id``, ``url_for()``.

    :param node: the calling node (its name goes in ``User-Agent`` for the trace).
    :param username: a service user of data/identities.json (nova, glance ...);
        it is scoped to that user's project (``service``).
    :param session: a ``labkit.common.http.Session`` to share; one is made if None.
    """

    def __init__(self, lab, node, username, session=None):
        users = {u["name"]: u for u in lab.data["identities"]["users"]}
        if username not in users:
            raise ValueError(f"no such service user in identities.json: {username}")
        self._user = users[username]
        self._domain = lab.data["identities"]["domain"]["name"]
        self.auth_url = lab.endpoints["keystone"] + "/v3"
        self.node, self.username = node, username
        self._session = session or Session(node)
        self._own_session = session is None
        self._lock = threading.Lock()
        self._token = None
        self._body = None
        self._renew_at = 0.0

    def _auth_request(self):
        return {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self._user["name"], "domain": {"name": self._domain},
                "password": self._user["password"]}}},
            "scope": {"project": {"name": self._user["project"],
                                  "domain": {"name": self._domain}}}}}

    def token(self, request_id=None):
        """A valid token string, from cache or from ``POST /v3/auth/tokens``."""
        with self._lock:
            if self._token is None or time.time() >= self._renew_at:
                resp = self._session.post(self.auth_url + "/auth/tokens", self._auth_request(),
                                          request_id=request_id)
                body = resp.json()["token"]
                expires = parse_isotime(body["expires_at"])
                lifetime = expires - parse_isotime(body["issued_at"])
                # NOTE(labkit): keystoneauth renews 120 s before expiry; a lab with
                # very short tokens renews at half-life instead so the cache helps.
                stale = min(MIN_TOKEN_LIFE_SECONDS, lifetime / 2)
                self._token, self._body, self._renew_at = (
                    resp.headers["x-subject-token"], body, expires - stale)
            return self._token

    def invalidate(self):
        """Forget the token (keystoneauth's invalidate, after a 401)."""
        with self._lock:
            self._token, self._renew_at = None, 0.0

    @property
    def access(self):
        """The token body keystone returned (authenticating first if needed)."""
        self.token()
        return self._body

    @property
    def project_id(self):
        return self.access["project"]["id"]

    @property
    def user_id(self):
        return self.access["user"]["id"]

    def url_for(self, service_type, interface="public"):
        """An endpoint from this token's catalog, e.g. ``url_for("placement")``."""
        return url_for(self.access.get("catalog"), service_type, interface)

    def close(self):
        if self._own_session:
            self._session.close()
