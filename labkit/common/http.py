"""How one labkit service calls another over HTTP.

Real OpenStack: keystoneauth1/session.py (Session.request), which nova uses
for glance, neutron and placement.  Like keystoneauth it forwards the user's
token and the global request id (``X-OpenStack-Request-ID``) and names the
caller in ``User-Agent``.  It keeps one keep-alive connection per thread and
server (``http.client`` directly: ``requests`` costs 3-4x more per call here).
"""
import http.client
import json
import threading
from urllib.parse import urlsplit


class HTTPError(Exception):
    """A non-2xx answer from another service."""

    def __init__(self, status, body, url):
        self.status, self.body, self.url = status, body, url
        super().__init__(f"{status} from {url}: {body!r}"[:300])


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body) if self.body else None


class Session:
    """A small keystoneauth-like session bound to one calling service (``node``)."""

    def __init__(self, node, timeout=30):
        self.node, self.timeout = node, timeout
        self._local = threading.local()
        self._all = []
        self._lock = threading.Lock()

    def _connection(self, netloc):
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        conn = pool.get(netloc)
        if conn is None:
            host, _, port = netloc.partition(":")
            conn = pool[netloc] = http.client.HTTPConnection(host, int(port or 80),
                                                             timeout=self.timeout)
            with self._lock:
                self._all.append(conn)
        return conn

    def request(self, method, url, json_body=None, token=None, request_id=None,
                headers=None, raise_exc=True, data=None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        hdrs = {"User-Agent": f"{self.node} labkit", "Accept": "application/json"}
        if token:
            hdrs["X-Auth-Token"] = token
        if request_id:
            hdrs["X-OpenStack-Request-ID"] = request_id
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            hdrs["Content-Type"] = "application/json"
        elif data is not None:
            body = data
            hdrs["Content-Type"] = "application/octet-stream"
        if headers:
            hdrs.update(headers)
        for attempt in (1, 2):                 # one retry on a connection the peer closed
            conn = self._connection(parts.netloc)
            try:
                conn.request(method, path, body=body, headers=hdrs)
                resp = conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                self._local.pool.pop(parts.netloc, None)
                if attempt == 2:
                    raise
        result = Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        if raise_exc and resp.status >= 400:
            raise HTTPError(resp.status, data, url)
        return result

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, json_body=None, **kw):
        return self.request("POST", url, json_body=json_body, **kw)

    def put(self, url, json_body=None, **kw):
        return self.request("PUT", url, json_body=json_body, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)

    def close(self):
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
