"""neutron's errors and their ``NeutronError`` document.

Real neutron-lib: neutron_lib/exceptions/__init__.py and
neutron/api/v2/base.py (the fault map: ``{"NeutronError": {"type", "message",
"detail"}}``).
"""
from labkit.wsgi.app import HTTPError

_WEBOB_TYPES = {400: "HTTPBadRequest", 403: "HTTPForbidden", 404: "HTTPNotFound",
                405: "HTTPMethodNotAllowed", 409: "HTTPConflict",
                413: "HTTPRequestEntityTooLarge", 500: "HTTPInternalServerError"}


class NeutronError(HTTPError):
    """``type`` is the neutron exception's class name (NetworkNotFound, ...)."""

    def __init__(self, code, error_type, message):
        super().__init__(code, message, title=error_type)


def error_body(code, message, title):
    error_type = title if title and " " not in title else _WEBOB_TYPES.get(code, "NeutronError")
    return {"NeutronError": {"type": error_type, "message": message, "detail": ""}}


def not_found(kind, resource_id):
    return NeutronError(404, f"{kind}NotFound", f"{kind} {resource_id} could not be found.")


def policy_error(action):
    return NeutronError(403, "PolicyNotAuthorized", f"({action}) is disallowed by policy")
