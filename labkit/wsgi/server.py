"""A real, threaded WSGI server on 127.0.0.1: one per API service.

Real OpenStack runs its APIs under uWSGI or Apache mod_wsgi (or, for the
eventlet era, oslo_service/wsgi.py).  labkit serves each API with the Python
standard library's WSGI reference server (wsgiref, PEP 3333) in a thread, and
adds only what a service on a real network needs and wsgiref lacks:

- HTTP/1.1 keep-alive, so a ``requests.Session`` reuses its connection;
- TCP_NODELAY and one write per response, so a keep-alive client never waits
  ~40 ms on a delayed ACK (the trap measured for ``http.server``/``wsgiref``);
- a request body bounded by Content-Length;
- a stop that returns at once: the listening socket and every open
  connection are shut down, so no thread is left blocked in ``accept`` or
  ``recv`` (``socketserver.serve_forever`` would poll every 0.5 s instead).
"""
import socket
import threading
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler

MAX_LINE = 65537


class _LimitedInput:
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


class _Handler(ServerHandler):
    http_version = "1.1"
    server_software = "labkit"

    def log_exception(self, exc_info):  # the app's own fault wrapper reports errors
        pass

    def error_output(self, environ, start_response):
        body = b'{"computeFault": {"code": 500, "message": "Unexpected API Error."}}'
        start_response("500 Internal Server Error",
                       [("Content-Type", "application/json"),
                        ("Content-Length", str(len(body)))])
        return [body]


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
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
            self.send_error(414)
            return
        if not self.parse_request():
            return
        environ = self.get_environ()
        length = int(self.headers.get("Content-Length") or 0)
        body = _LimitedInput(self.rfile, length)
        handler = _Handler(body, self.wfile, self.get_stderr(), environ,
                           multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())
        body.drain()
        self.wfile.flush()


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
        self.server_name, self.server_port = self.host, self.port
        self.base_environ = {"SERVER_NAME": self.host, "GATEWAY_INTERFACE": "CGI/1.1",
                             "SERVER_PORT": str(self.port), "REMOTE_HOST": "",
                             "CONTENT_LENGTH": "", "SCRIPT_NAME": ""}
        self._lock = threading.Lock()
        self._connections = {}
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def get_app(self):
        return self.app

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
