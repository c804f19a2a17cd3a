"""placement's error codes and its ``{"errors": [...]}`` document.

Real placement: placement/errors.py (the ``placement.*`` codes) and
placement/util.py:json_error_formatter, which prefixes webob's explanation
of the status to the detail and adds the request id.
"""
from labkit.wsgi.app import TITLES, HTTPError, Router, json_response

DEFAULT = "placement.undefined_code"
CONCURRENT_UPDATE = "placement.concurrent_update"
DUPLICATE_NAME = "placement.duplicate_name"
PROVIDER_IN_USE = "placement.resource_provider.inuse"
PROVIDER_CANNOT_DELETE_PARENT = "placement.resource_provider.cannot_delete_parent"
RESOURCE_PROVIDER_NOT_FOUND = "placement.resource_provider.not_found"
INVENTORY_INUSE = "placement.inventory.inuse"

# webob.exc's explanation of each status, which placement's formatter keeps.
EXPLANATIONS = {
    400: "The server could not comply with the request since it is either malformed or "
         "otherwise incorrect.",
    403: "Access was denied to this resource.",
    404: "The resource could not be found.",
    405: "The method is not allowed for this resource.",
    406: "The resource could not be generated that was acceptable to your user agent.",
    409: "There was a conflict when trying to complete your request.",
    415: "The request media type is not supported by this server.",
}


class PlacementError(HTTPError):
    """An error with placement's machine-readable ``code``."""

    def __init__(self, status, detail, code=DEFAULT, headers=None):
        super().__init__(status, detail, headers=headers)
        self.error_code = code


def error_body(status, detail, title, request_id=None, code=DEFAULT):
    explanation = EXPLANATIONS.get(status)
    if explanation and detail != explanation:
        detail = f"{explanation}\n\n {detail}  "
    return {"errors": [{"status": status, "title": title, "detail": detail,
                        "request_id": request_id, "code": code}]}


class PlacementRouter(Router):
    """labkit's Router, answering in placement's format with the request id."""

    def error(self, exc, req=None):
        request_id = req.environ.get("openstack.request_id") if req is not None else None
        body = error_body(exc.code, exc.message, exc.title or TITLES.get(exc.code, "Error"),
                          request_id, getattr(exc, "error_code", DEFAULT))
        return json_response(exc.code, body, exc.headers)
