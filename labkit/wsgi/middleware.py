"""WSGI middleware every labkit API shares: request ids, the HTTP trace seam, a body limit.

Real OpenStack: oslo_middleware/request_id.py (RequestId),
oslo_middleware/sizelimit.py (RequestBodySizeLimiter) and, for the trace,
osprofiler/web.py (WsgiMiddleware), which wraps each request in a span.
"""
import io
import json
import re

_REQ_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# (environ key, the header's name as the trace shows it)
_TRACE_HEADERS = tuple((key, key.removeprefix("HTTP_").replace("_", "-").title()) for key in (
    "HTTP_OPENSTACK_API_VERSION", "HTTP_X_OPENSTACK_NOVA_API_VERSION", "CONTENT_TYPE",
    "HTTP_USER_AGENT"))
MAX_REQUEST_BODY = 114688   # oslo_middleware sizelimit max_request_body_size default


def caller_of(environ, services):
    """Which node sent a request: labkit's services name themselves in User-Agent."""
    agent = environ.get("HTTP_USER_AGENT", "")
    first = agent.split(" ", 1)[0]
    if first in services or first.startswith("nova-compute@"):
        return first
    return "client"


class RequestIdMiddleware:
    """Give each request a ``req-<uuid>``; adopt a valid inbound one as the global id."""

    def __init__(self, app, ids, compute_header=False):
        self.app, self.ids, self.compute_header = app, ids, compute_header

    def __call__(self, environ, start_response):
        req_id = self.ids.request_id()
        environ["openstack.request_id"] = req_id
        inbound = environ.get("HTTP_X_OPENSTACK_REQUEST_ID")
        if inbound and _REQ_ID.match(inbound):
            environ["openstack.global_request_id"] = inbound
        extra = [("x-openstack-request-id", req_id)]
        if self.compute_header:
            extra.append(("x-compute-request-id", req_id))

        def _start(status, headers, exc_info=None):
            return start_response(status, headers + extra, exc_info)
        return self.app(environ, _start)


class SizeLimitMiddleware:
    """Refuse request bodies over the limit with 413 before the app reads them."""

    def __init__(self, app, error_body, limit=MAX_REQUEST_BODY):
        self.app, self.error_body, self.limit = app, error_body, limit

    def __call__(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            body = json.dumps(self.error_body(413, "Request is too large.")).encode()
            start_response("413 Request Entity Too Large",
                           [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)


class TraceMiddleware:
    """Record each request and its response as two ``http`` trace events."""

    def __init__(self, app, node, trace, services):
        self.app, self.node, self.trace, self.services = app, node, trace, services

    def __call__(self, environ, start_response):
        trace = self.trace
        if trace is None or not trace.enabled:
            return self.app(environ, start_response)
        body = b""
        length = environ.get("CONTENT_LENGTH")
        if length and length != "0":
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING")
        name = f"{environ['REQUEST_METHOD']} {path}" + (f"?{query}" if query else "")
        src = caller_of(environ, self.services)
        rid = environ.get("openstack.global_request_id") or environ.get("openstack.request_id")
        headers = {title: environ[key] for key, title in _TRACE_HEADERS if key in environ}
        request = trace.record("http", src, self.node, name, rid, payload=body or None,
                               phase="request", method=environ["REQUEST_METHOD"], path=path,
                               headers=headers, local_request_id=environ.get("openstack.request_id"))
        captured = {}

        def _start(status, response_headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = response_headers
            return start_response(status, response_headers, exc_info)

        chunks = self.app(environ, _start)
        if not isinstance(chunks, list):
            chunks = list(chunks)
        trace.record("http", self.node, src, name, rid,
                     payload=b"".join(chunks) or None, phase="response",
                     status=captured.get("status"), method=environ["REQUEST_METHOD"],
                     path=path, request_seq=request["seq"] if request else None,
                     handler=environ.get("labkit.handler"))
        return chunks
