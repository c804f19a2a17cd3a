"""keystone's errors, each answering with keystone's own error document.

Real keystone: keystone/exception.py.  Every error is
``{"error": {"code": N, "title": "...", "message": "..."}}``; security errors
(401, most 403s) show only their generic message unless insecure_debug is on.
"""
from labkit.wsgi.app import HTTPError


def error_body(code, message, title):
    """keystone/server/flask/application.py:_handle_keystone_exception's body."""
    return {"error": {"code": code, "title": title, "message": message}}


class ValidationError(HTTPError):
    def __init__(self, message):
        super().__init__(400, message, "Bad Request")


class Unauthorized(HTTPError):
    """keystone.exception.Unauthorized: never says which part was wrong."""

    def __init__(self, message="The request you have made requires authentication."):
        super().__init__(401, message, "Unauthorized")


class Forbidden(HTTPError):
    def __init__(self, action=None, message=None):
        if message is None:
            message = (f"You are not authorized to perform the requested action: {action}."
                       if action else "You are not authorized to perform the requested action.")
        super().__init__(403, message, "Forbidden")


class NotFound(HTTPError):
    def __init__(self, kind, target):
        super().__init__(404, f"Could not find {kind}: {target}.", "Not Found")
