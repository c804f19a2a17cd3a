"""HTTP/1.1 on the wire for labkit's WSGI server: request heads in, PEP 3333 responses out.

Real servers (uWSGI, mod_wsgi, eventlet.wsgi) parse requests in their own
code.  NOTE(labkit): this replaces ``http.client.parse_headers`` (the ``email``
package) and ``wsgiref.handlers`` with the few lines a JSON API needs: in a
profile of the lab those two were a third of the CPU of every request.  What
the app sees and what the client receives stay the same as with wsgiref.
"""
import time
from email.utils import formatdate

MAX_LINE = 65537
MAX_HEADERS = 100                      # http.client._MAXHEADERS
_HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-authenticate",
                         "proxy-authorization", "te", "trailers", "transfer-encoding",
                         "upgrade"))


class HeadError(Exception):
    """A request head the server refuses: ``code`` and a reason for send_error."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


class LimitedInput:
    """``wsgi.input`` that never reads past Content-Length (as a real server's does)."""

    def __init__(self, rfile, length):
        self._rfile, self._left = rfile, length

    def read(self, size=-1):
        if self._left <= 0:
            return b""
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._rfile.read(size)
        self._left -= len(data)
        return data

    def readline(self, size=-1):
        data = self._rfile.readline(min(size if size and size > 0 else MAX_LINE, self._left))
        self._left -= len(data)
        return data

    def drain(self):
        while self._left > 0 and self.read(65536):
            pass


def read_head(rfile):
    """The header lines of a request as ``[(name, value)]``, in order (RFC 9112 §5).

    Values keep what ``http.client.parse_headers`` keeps: leading blanks
    dropped, obsolete line folding joined onto the previous header.
    """
    headers = []
    while True:
        line = rfile.readline(MAX_LINE)
        if len(line) >= MAX_LINE:
            raise HeadError(431, "Line too long")
        if line in (b"\r\n", b"\n", b""):
            return headers
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and headers:           # obs-fold
            name, value = headers[-1]
            headers[-1] = (name, value + text)
            continue
        name, sep, value = text.partition(":")
        if sep:
            headers.append((name.strip(), value.lstrip(" \t")))
        if len(headers) > MAX_HEADERS:
            raise HeadError(431, "Too many headers")


class Headers:
    """The part of ``http.client.HTTPMessage`` that ``http.server`` and labkit read."""

    __slots__ = ("_items", "_map")

    def __init__(self, items):
        self._items = items
        self._map = {}
        for name, value in items:
            self._map.setdefault(name.lower(), value)

    def get(self, name, default=None):
        return self._map.get(name.lower(), default)

    def __getitem__(self, name):
        return self._map.get(name.lower())

    def __contains__(self, name):
        return name.lower() in self._map

    def items(self):
        return list(self._items)


_date_cache = [0, ""]


def _date_header():
    """``Date:`` as wsgiref writes it, formatted once per second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


class Response:
    """PEP 3333's ``start_response``/``write`` and the bytes on the wire.

    Follows wsgiref/handlers.py:BaseHandler: the same checks on status and
    headers, ``Date`` and ``Server`` in the preamble, Content-Length added for
    a one-block body, headers sent with the first block.
    """

    __slots__ = ("wfile", "modern", "status", "headers", "sent", "_blocks")

    def __init__(self, wfile, modern):
        self.wfile, self.modern = wfile, modern
        self.status = self.headers = self._blocks = None
        self.sent = False

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("Headers already set!")
        if type(status) is not str or len(status) < 4 or not status[:3].isdigit() \
                or status[3] != " ":
            raise AssertionError(f"Bad status {status!r}")
        for name, value in headers:
            if type(name) is not str or type(value) is not str:
                raise AssertionError(f"Header {name!r}: {value!r} is not a string")
            if name.lower() in _HOP_BY_HOP:
                raise AssertionError(f"Hop-by-hop header, '{name}: {value}', not allowed")
        self.status, self.headers = status, headers
        return self.write

    def _head(self, length):
        names = {name.lower() for name, _ in self.headers}
        if length is not None and "content-length" not in names:
            self.headers.append(("Content-Length", str(length)))
        if not self.modern:                      # HTTP/0.9: no status line, no headers
            return b""
        lines = [f"HTTP/1.1 {self.status}\r\n"]
        if "date" not in names:
            lines.append(f"Date: {_date_header()}\r\n")
        if "server" not in names:
            lines.append("Server: labkit\r\n")
        lines.extend(f"{name}: {value}\r\n" for name, value in self.headers)
        lines.append("\r\n")
        return "".join(lines).encode("iso-8859-1")

    def write(self, data):
        if self.status is None:
            raise AssertionError("write() before start_response()")
        if not self.sent:
            self.sent = True
            self.wfile.write(self._head(len(data) if self._blocks == 1 else None))
        self.wfile.write(data)

    def run(self, app, environ):
        """Call the app and send what it returns (wsgiref's run and finish_response)."""
        result = app(environ, self.start_response)
        try:
            try:
                self._blocks = len(result)
            except TypeError:
                self._blocks = None
            if self._blocks == 1 and not self.sent:      # the usual case: one write
                data = result[0]
                if self.status is None:
                    raise AssertionError("write() before start_response()")
                self.sent = True
                self.wfile.write(self._head(len(data)) + data)
                return
            for data in result:
                self.write(data)
            if not self.sent:                            # an empty body
                self.sent = True
                self.wfile.write(self._head(0))
        finally:
            if hasattr(result, "close"):
                result.close()


def version_number(version):
    """``HTTP/1.1`` -> ``(1, 1)``; None when malformed (http.server's own checks)."""
    if not version.startswith("HTTP/"):
        return None
    number = version.split("/", 1)[1].split(".")
    if len(number) != 2 or any(not n.isdigit() or len(n) > 10 for n in number):
        return None
    return int(number[0]), int(number[1])
