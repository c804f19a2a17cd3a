"""Helpers every placement handler uses: JSON bodies, policy, microversion gates.

Real placement: placement/util.py (extract_json, require_content),
placement/policy.py (authorize) and placement/wsgi_wrapper.py.
"""
import functools

import jsonschema

from labkit.common import schema as schema_cache

from labkit.keystonemiddleware.auth_token import request_context
from labkit.placement import microversion
from labkit.wsgi.app import loads_body
from labkit.placement.errors import PlacementError


def extract_json(req, schema):
    """The body as JSON, validated against ``schema`` (400 otherwise)."""
    if req.content_type != "application/json":
        raise PlacementError(415, f"The media type {req.content_type or 'None'} is not "
                                  "supported, use application/json")
    try:
        data = loads_body(req.body)
    except ValueError as exc:
        raise PlacementError(400, f"Malformed JSON: {exc}") from None
    try:
        schema_cache.validate(data, schema)
    except jsonschema.ValidationError as exc:
        raise PlacementError(400, f"JSON does not validate: {exc.message}") from None
    return data


def handler(policy_name, min_version="1.0"):
    """Check the microversion and ``policy_name`` (admin or service role), then run.

    Real placement's default policy for every API is ``rule:admin_api`` or
    ``rule:service_api`` (placement/policies/base.py); a route older than
    the requested microversion answers 404, as placement does.
    """
    def wrap(fn):
        @functools.wraps(fn)
        def inner(self, req, **kwargs):
            if not microversion.want(req, min_version):
                raise PlacementError(404, "The resource could not be found.")
            context = request_context(req.environ)
            if not (context.is_admin or "service" in context.roles):
                raise PlacementError(403, f"Policy does not allow {policy_name} to be "
                                          "performed.")
            req.environ["placement.context"] = context
            return fn(self, req, **kwargs)
        return inner
    return wrap


def normalize_in(value):
    """``in:a,b`` or ``a`` → ``["a", "b"]`` / ``["a"]`` (member_of and required syntax)."""
    if value.startswith("in:"):
        return [v for v in value[3:].split(",") if v]
    return [value]
