"""A real, threaded WSGI server on 127.0.0.1: one per API service.

Real OpenStack runs its APIs under uWSGI or Apache mod_wsgi (or, for the
eventlet era, oslo_service/wsgi.py).  labkit serves each API with a small
HTTP/1.1 server built on the Python standard library's ``http.server``
request handler, speaking PEP 3333 the way ``wsgiref`` does (the same
environ, the same ``Date``/``Server`` preamble, the same 500 on an app
error), and adds only what a service on a real network needs:

- HTTP/1.1 keep-alive, so a ``requests.Session`` reuses its connection;
- TCP_NODELAY and one write per response, so a keep-alive client never waits
  ~40 ms on a delayed ACK (the trap measured for ``http.server``/``wsgiref``);
- a request body bounded by Content-Length (a Content-Length that is not a
  number is a 400);
- errors found on the wire (a bad request line, a header line too long) in
  the service's own error document, when its app says what that is
  (``app.error_body``), rather than ``http.server``'s HTML page;
- a stop that returns at once: the listening socket and every open
  connection are shut down, so no thread is left blocked in ``accept`` or
  ``recv`` (``socketserver.serve_forever`` would poll every 0.5 s instead).

The bytes on the wire are handled in labkit/wsgi/wire.py.
"""
import json
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote
from wsgiref.util import FileWrapper

from labkit.wsgi.wire import (MAX_LINE, HeadError, Headers, LimitedInput, Response,
                              read_head, version_number)

_ERROR_BODY = b'{"computeFault": {"code": 500, "message": "Unexpected API Error."}}'


def _error_output(environ, start_response):
    start_response("500 Internal Server Error",
                   [("Content-Type", "application/json"),
                    ("Content-Length", str(len(_ERROR_BODY)))])
    return [_ERROR_BODY]


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WSGIServer/0.2"   # what wsgiref's handler puts in SERVER_SOFTWARE
    wbufsize = -1                      # buffer the response, flushed once per request
    timeout = 120                      # an idle keep-alive connection is closed after this

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):      # no access log on the learner's screen
        pass

    def handle(self):
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection and not self.server.stopping:
            self.handle_one_request()

    def send_error(self, code, message=None, explain=None):
        """The error as the service words it (JSON, its own form) when the app says how.

        NOTE(labkit): uWSGI, mod_wsgi and eventlet answer such errors themselves, in
        text or HTML; labkit keeps each API to one error form."""
        error_body = getattr(self.server.app, "error_body", None)
        if error_body is None:
            return super().send_error(code, message, explain)
        phrase = HTTPStatus(code).phrase
        body = json.dumps(error_body(code, message or phrase, phrase)).encode()
        self.close_connection = True
        self.send_response_only(code, phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def parse_request(self):
        """http/server.py:BaseHTTPRequestHandler.parse_request, with ``_read_head``.

        The request line splits on ASCII blanks only (RFC 9112 §3): ``str.split()`` on
        its Latin-1 text would also split on the bytes 0x85 and 0xA0, which UTF-8
        characters in a path contain."""
        self.command, self.request_version = None, self.default_request_version
        self.close_connection = True
        self.requestline = requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = [w.decode("iso-8859-1") for w in self.raw_requestline.split()]
        if not words:
            return False
        if len(words) >= 3:
            number = version_number(words[-1])
            if number is None:
                self.send_error(400, f"Bad request version ({words[-1]!r})")
                return False
            self.close_connection = number < (1, 1)
            if number >= (2, 0):
                self.send_error(505, f"Invalid HTTP version ({words[-1][5:]})")
                return False
            self.request_version = words[-1]
        if not 2 <= len(words) <= 3:
            self.send_error(400, f"Bad request syntax ({requestline!r})")
            return False
        self.command, self.path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if self.command != "GET":
                self.send_error(400, f"Bad HTTP/0.9 request type ({self.command!r})")
                return False
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")
        try:
            self.headers = Headers(read_head(self.rfile))
        except HeadError as err:
            self.send_error(err.code, err.message)
            return False
        conntype = self.headers.get("Connection", "").lower()
        if conntype in ("close", "keep-alive"):
            self.close_connection = conntype == "close"
        expect = self.headers.get("Expect", "").lower()
        if expect == "100-continue" and self.request_version >= "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def get_environ(self):
        """The CGI part of the environ, as wsgiref/simple_server.py:get_environ makes it."""
        env = self.server.base_environ.copy()
        env["SERVER_PROTOCOL"] = self.request_version
        env["SERVER_SOFTWARE"] = self.server_version
        env["REQUEST_METHOD"] = self.command
        path, _, query = self.path.partition("?")
        env["PATH_INFO"] = unquote(path, "iso-8859-1")
        env["QUERY_STRING"] = query
        env["REMOTE_ADDR"] = self.client_address[0]
        headers = self.headers
        content_type = headers.get("content-type")
        env["CONTENT_TYPE"] = "text/plain" if content_type is None else content_type
        length = headers.get("content-length")
        if length:
            env["CONTENT_LENGTH"] = length
        for name, value in headers.items():
            key, value = name.replace("-", "_").upper(), value.strip()
            if key in env:
                continue                 # CONTENT_TYPE, CONTENT_LENGTH ...
            key = "HTTP_" + key
            env[key] = env[key] + "," + value if key in env else value
        return env

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(MAX_LINE)
        except OSError:
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) >= MAX_LINE:
            # as http.server does: no command or version has been read yet
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        length = self.headers.get("Content-Length") or "0"
        if not (length.strip().isascii() and length.strip().isdigit()):
            self.send_error(400, f"Invalid Content-Length: {length!r}")
            return
        environ = self.get_environ()
        body = LimitedInput(self.rfile, int(length))
        environ.update(self.server.wsgi_environ)
        environ["wsgi.input"] = body
        self._run(environ)
        body.drain()
        self.wfile.flush()

    def _run(self, environ):
        response = Response(self.wfile, self.request_version != "HTTP/0.9")
        try:
            response.run(self.server.app, environ)
        except (ConnectionAbortedError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:    # the app's own fault wrapper reports errors
            if response.sent:
                self.close_connection = True
                return
            response = Response(self.wfile, response.modern)
            response.run(_error_output, environ)


class WSGIServer:
    """Serve one WSGI app on ``host:port`` (port 0 picks a free one) in daemon threads."""

    def __init__(self, app, name, host="127.0.0.1", port=0):
        self.app, self.name = app, name
        self.stopping = False
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(128)
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_environ = {"SERVER_NAME": self.host, "GATEWAY_INTERFACE": "CGI/1.1",
                             "SERVER_PORT": str(self.port), "REMOTE_HOST": "",
                             "CONTENT_LENGTH": "", "SCRIPT_NAME": ""}
        # NOTE(labkit): wsgiref also copies the process's os.environ into every
        # request's environ (CGI style); uWSGI and mod_wsgi do not, nor does this.
        self.wsgi_environ = {"wsgi.version": (1, 0), "wsgi.url_scheme": "http",
                             "wsgi.multithread": True, "wsgi.multiprocess": False,
                             "wsgi.run_once": False, "wsgi.errors": sys.stderr,
                             "wsgi.file_wrapper": FileWrapper}
        self._lock = threading.Lock()
        self._connections = {}
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        self._thread = threading.Thread(target=self._accept_loop, daemon=True,
                                        name=f"{self.name}-http")
        self._thread.start()
        return self

    def _accept_loop(self):
        while not self.stopping:
            try:
                conn, addr = self._sock.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve_connection, args=(conn, addr),
                                      daemon=True, name=f"{self.name}-conn")
            with self._lock:
                if self.stopping:
                    conn.close()
                    return
                self._connections[conn] = thread
            thread.start()

    def _serve_connection(self, conn, addr):
        try:
            _RequestHandler(conn, addr, self)
        except Exception:
            pass
        finally:
            with self._lock:
                self._connections.pop(conn, None)
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        """Close the listening socket and every connection; join every thread."""
        self.stopping = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            connections = dict(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in connections.values():
            thread.join(timeout=5)
