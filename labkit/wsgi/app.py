"""Routing and responses shared by labkit's API services, on WebOb.

Real OpenStack: each API has its own ``routes`` mapper (nova
api/openstack/compute/routes.py:ROUTE_LIST, placement handler.py) and
WebOb requests/responses.  labkit keeps one explicit route table per service
and one place where exceptions become that service's error body.
"""
import json
import logging
import re

import webob

from labkit.common import jsonutils
from labkit.common.reflection import get_callable_name

LOG = logging.getLogger(__name__)
_PARAM = re.compile(r"\{(\w+)\}")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class HTTPError(Exception):
    """Raise from a handler to answer with an error in the service's own format."""

    def __init__(self, code, message, title=None, headers=None):
        super().__init__(message)
        self.code, self.message, self.title, self.headers = code, message, title, headers or {}


TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
          413: "Request Entity Too Large", 415: "Unsupported Media Type",
          500: "Internal Server Error", 503: "Service Unavailable"}


def json_response(status, body=None, headers=None, content_type="application/json",
                  compact=False):
    """A WebOb response with a JSON body (or none, for 202/204).

    Its header list is written out whole: setting ``content_type``, ``charset``
    and each header through WebOb's properties cost more than encoding the body.
    ``compact``: encode with jsonutils (no blanks, several times faster), for the
    responses that grow with the cloud, such as placement's candidates.
    """
    if body is None:
        raw = b""
    else:
        raw = jsonutils.dump_as_bytes(body) if compact else json.dumps(body).encode()
    headerlist = [("Content-Length", str(len(raw)))]
    if body is not None:
        headerlist.append(("Content-Type", content_type))
    for key, value in (headers or {}).items():
        lower = key.lower()
        headerlist = [h for h in headerlist if h[0].lower() != lower] + [(key, str(value))]
    return webob.Response(status=status, headerlist=headerlist, app_iter=[raw])


def loads_body(raw):
    """``json.loads`` for a request body, strict about Unicode: ValueError unless the
    bytes are UTF-8 and every string is text (no unpaired surrogate, which
    ``json.loads`` lets through from ``"\\ud800"`` and, for bytes, from the raw bytes
    ED A0 80, and which no database can store)."""
    text = raw.decode("utf-8")            # UnicodeDecodeError is a ValueError
    value = json.loads(text)
    if _SURROGATE_ESCAPE.search(text):
        json.dumps(value, ensure_ascii=False).encode("utf-8")   # UnicodeEncodeError too
    return value


def json_body(req, error=HTTPError):
    """Parse a request's JSON body as nova does (wsgi.py:JSONDeserializer)."""
    if not req.body:
        raise error(400, "The request body is empty or missing.")
    try:
        return loads_body(req.body)
    except ValueError:
        raise error(400, "Malformed request body") from None


def check_utf8(req):
    """The path and the query string must be UTF-8: WebOb decodes both so, and a
    request that is not (``/servers/%ED%A0%80``, an unpaired surrogate) is the
    client's 400, not a UnicodeDecodeError in whichever handler looks first."""
    try:
        req.path_info
        req.GET
    except UnicodeDecodeError:
        raise HTTPError(400, "The request URL is not valid UTF-8.") from None


class Router:
    """Dispatch by (method, path template) to handler functions.

    ``routes`` is a list of ``(method, template, handler)``; a template such as
    ``/servers/{server_id}/action`` binds ``server_id`` as a keyword argument.
    ``error_body(code, message, title)`` makes this service's error document.
    """

    def __init__(self, routes, error_body):
        self.error_body = error_body
        self._routes = []
        for method, template, handler in routes:
            pattern = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", template.rstrip("/") or "/") + "/?$"
            self._routes.append((method, re.compile(pattern), handler))

    def match(self, method, path):
        allowed = []
        for route_method, pattern, handler in self._routes:
            m = pattern.match(path)
            if m:
                if route_method == method:
                    return handler, m.groupdict(), None
                allowed.append(route_method)
        return None, None, allowed

    def error(self, exc, req=None):
        body = self.error_body(exc.code, exc.message, exc.title or TITLES.get(exc.code, "Error"))
        return json_response(exc.code, body, exc.headers)

    # -- what a service's router may change (nova's: microversions, its fault format) --
    def prepare(self, req):
        """Before routing (nothing here)."""

    def not_routed(self, allowed):
        """The error for a path no route matches (405 when only the method is wrong)."""
        if allowed:
            return HTTPError(405, "The method is not allowed for the requested URL.",
                             headers={"Allow": ", ".join(sorted(set(allowed)))})
        return HTTPError(404, "The resource could not be found.")

    def handler_name(self, req, handler):
        """What the trace names as the code that served the request."""
        return get_callable_name(handler)

    def unexpected(self, exc, req):
        """The error for an exception that is not an HTTPError (faultwrap)."""
        LOG.exception("unexpected error serving %s %r", req.method,
                      req.environ.get("PATH_INFO"))
        return HTTPError(500, "An unexpected error prevented the server from fulfilling "
                              "your request.")

    def finish(self, req, resp):
        """The response on its way out (nothing here)."""
        return resp

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        try:
            check_utf8(req)
            self.prepare(req)
            handler, kwargs, allowed = self.match(req.method, req.path_info or "/")
            if handler is None:
                raise self.not_routed(allowed)
            environ["labkit.handler"] = self.handler_name(req, handler)
            resp = handler(req, **kwargs)
        except HTTPError as exc:
            resp = self.error(exc, req)
        except webob.request.DisconnectionError:   # fewer bytes than its Content-Length
            resp = self.error(HTTPError(400, "The client disconnected while sending the "
                                             "body."), req)
        except Exception as exc:   # never a traceback in a response
            resp = self.error(self.unexpected(exc, req), req)
        return self.finish(req, resp)(environ, start_response)
