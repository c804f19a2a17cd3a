"""The compute API's request handling: faults, microversion echo, action dispatch.

Real nova: nova/api/openstack/wsgi.py — Fault (turns an error into
``{"<name>": {"code", "message"}}``), Resource (runs the controller method,
dispatches ``POST .../action`` bodies by their single key) and the
microversion response headers.
"""
import json
import logging

from labkit.nova import exception
from labkit.nova.api.openstack import api_version_request
from labkit.common.reflection import get_callable_name
from labkit.wsgi.app import HTTPError, Router, json_response, loads_body

LOG = logging.getLogger(__name__)
FAULT_NAMES = {400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
               405: "badMethod", 409: "conflictingRequest", 413: "overLimit",
               415: "badMediaType", 429: "overLimit", 501: "notImplemented",
               503: "serviceUnavailable"}


def fault_body(code, message, title=None):
    return {FAULT_NAMES.get(code, "computeFault"): {"code": code, "message": message}}


def translate(exc):
    """A NovaException as the HTTPError the API answers with."""
    if isinstance(exc, HTTPError):
        return exc
    code = getattr(exc, "code", 500)
    return HTTPError(code if code in FAULT_NAMES or code == 500 else 500, exc.format_message())


class ComputeRouter(Router):
    """A Router that speaks microversions and nova's fault format."""

    def __init__(self, routes, max_version):
        super().__init__(routes, fault_body)
        self.max_version = max_version

    def prepare(self, req):
        """Negotiate the microversion first (nova/api/openstack/wsgi.py:Resource)."""
        req.api_version_request = api_version_request.negotiate(req.environ, self.max_version)

    def not_routed(self, allowed):
        """nova's router answers 404 for a method it has no route for."""
        return HTTPError(404, "The resource could not be found.")

    def handler_name(self, req, handler):
        """For ``POST .../action``, the action's own handler (shelve, lock ...)."""
        if handler.__name__ == "action" and req.method == "POST":
            try:
                body = json.loads(req.body)
                return get_callable_name(handler.__self__.actions[next(iter(body))])
            except (ValueError, TypeError, KeyError, StopIteration, AttributeError):
                return get_callable_name(handler)     # a bad body: the action handler says why
        return get_callable_name(handler)

    def unexpected(self, exc, req):
        """nova's exceptions become their HTTP faults; anything else is nova's 500."""
        if isinstance(exc, exception.NovaException):
            return translate(exc)
        LOG.exception("unexpected error in nova-api")
        return HTTPError(500, "Unexpected API Error. Please report this at "
                              "http://bugs.launchpad.net/nova/ and attach the "
                              "Nova API log if possible.")

    def finish(self, req, resp):
        """Every negotiated response says its microversion."""
        version = getattr(req, "api_version_request", None)
        if version is not None:
            v = version.get_string()
            resp.headerlist.extend((       # none of them is set before this point
                ("OpenStack-API-Version", f"compute {v}"), ("X-OpenStack-Nova-API-Version", v),
                ("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version")))
        return resp


def response(status, body=None, headers=None):
    return json_response(status, body, headers)


def action_name(body, known):
    """The action a ``POST /servers/{id}/action`` body asks for (its one key).

    Real nova: wsgi.py:Resource._action_peek and get_method.
    """
    if not isinstance(body, dict) or len(body) != 1:
        raise HTTPError(400, "Malformed request body")
    name = next(iter(body))
    if name not in known:
        raise HTTPError(400, "There is no such action: %s" % name)
    return name


def loads(req):
    """The JSON body, or {} when there is none (schemas then say what is missing)."""
    if not req.body:
        return {}
    try:
        return loads_body(req.body)
    except ValueError:
        raise HTTPError(400, "Malformed request body") from None
