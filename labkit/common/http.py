"""How one labkit service calls another over HTTP.

Real OpenStack: keystoneauth1/session.py (Session.request), which nova uses
for glance, neutron and placement.  Like keystoneauth it forwards the user's
token and the global request id (``X-OpenStack-Request-ID``) and names the
caller in ``User-Agent``.  It keeps one keep-alive connection per thread and
server.

NOTE(labkit): keystoneauth sends through ``requests``, which costs 3-4x more
per call here than ``http.client``; and ``http.client`` itself parses every
response head with the ``email`` package, a fifth of a hop's CPU in a profile.
So ``_Connection`` writes the request in one ``sendall`` and reads the answer
with the same head parser as labkit's server (labkit/wsgi/wire.py): status
line, headers, then a Content-Length or chunked body, or one read to the end.
"""
import json
import socket
import threading
from urllib.parse import urlsplit

from labkit.common import jsonutils
from labkit.wsgi.wire import read_head


class ConnectionLost(ConnectionError):
    """The server closed a keep-alive connection before answering."""


class _Connection:
    """One keep-alive HTTP/1.1 connection to ``host:port``."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.sock = self.rfile = None

    def _open(self):
        self.sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def request(self, method, path, body, headers):
        """Send one request; return ``(status, [(name, value)], body bytes)``."""
        if self.sock is None:
            self._open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        status_line = self.rfile.readline(65537)
        if not status_line:
            raise ConnectionLost(f"{self.host}:{self.port} closed the connection")
        version, status = status_line.split(None, 2)[:2]
        status = int(status)
        head = read_head(self.rfile)
        fields = {k.lower(): v for k, v in head}
        data = self._body(method, status, fields)
        if version != b"HTTP/1.1" or fields.get("connection", "").lower() == "close":
            self.close()
        return status, head, data

    def _body(self, method, status, fields):
        if method == "HEAD" or status in (204, 304) or status < 200:
            return b""
        if fields.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0], 16)
                if size == 0:
                    read_head(self.rfile)              # trailers, then the blank line
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        if "content-length" in fields:
            return self.rfile.read(int(fields["content-length"]))
        data = self.rfile.read()                       # delimited by the server closing
        self.close()
        return data

    def close(self):
        for part in (self.rfile, self.sock):
            if part is not None:
                try:
                    part.close()
                except OSError:
                    pass
        self.sock = self.rfile = None


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
        """The body's JSON: what one labkit service answers another, read by jsonutils."""
        return jsonutils.loads(self.body) if self.body else None


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
            conn = pool[netloc] = _Connection(host, int(port or 80), self.timeout)
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
                status, head, data = conn.request(method, path, body, hdrs)
                break
            except (OSError, ValueError):      # ConnectionError, timeouts, a garbled head
                conn.close()
                self._local.pool.pop(parts.netloc, None)
                if attempt == 2:
                    raise
        result = Response(status, {k.lower(): v for k, v in head}, data)
        if raise_exc and status >= 400:
            raise HTTPError(status, data, url)
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
