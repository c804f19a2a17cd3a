"""neutron's errors and their ``NeutronError`` document.

Real neutron-lib: neutron_lib/exceptions/__init__.py; the document around
them is neutron's (neutron/api/api_common.py:convert_exception_to_http_exc:
``{"NeutronError": {"type", "message", "detail"}}``).
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


class NeutronException(NeutronError):
    """neutron-lib's exception base: the class name is the ``type``, ``message`` a template.

    Real neutron-lib: neutron_lib/exceptions/__init__.py (NeutronException and
    its BadRequest / NotFound / Conflict / InUse families)."""
    code = 500
    message = "An unknown exception occurred."

    def __init__(self, **kwargs):
        super().__init__(self.code, type(self).__name__, self.message % kwargs)


class BadRequest(NeutronException):
    code = 400
    message = "Bad %(resource)s request: %(msg)s."


class InvalidInput(BadRequest):
    message = "Invalid input for operation: %(error_message)s."


class InvalidCIDR(BadRequest):
    message = "Invalid CIDR %(input)s given as IP prefix."


class NotFound(NeutronException):
    code = 404


class Conflict(NeutronException):
    code = 409


class InUse(Conflict):
    message = "The resource is in use."


class OverQuota(Conflict):
    message = "Quota exceeded for resources: %(overs)s."


def bad_request(message):
    """webob's HTTPBadRequest, as neutron's API layer raises it (type HTTPBadRequest)."""
    return NeutronError(400, "HTTPBadRequest", message)
