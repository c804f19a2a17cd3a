"""JSON schemas for keystone's auth requests.

Real keystone: keystone/auth/schema.py (token_issue) and, for v2.0,
Juno's keystone/token/controllers.py checks by hand.
"""
import jsonschema

from labkit.common import schema as schema_cache

from labkit.keystone.exception import ValidationError

_NAME_OR_ID = {"type": "object",
               "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
               "anyOf": [{"required": ["id"]}, {"required": ["name"]}]}

_USER = {"type": "object",
         "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                        "password": {"type": "string"}, "domain": _NAME_OR_ID},
         "anyOf": [{"required": ["id"]}, {"required": ["name"]}]}

token_issue = {
    "type": "object",
    "properties": {
        "identity": {
            "type": "object",
            "properties": {
                "methods": {"type": "array", "items": {"type": "string"}},
                "password": {"type": "object", "properties": {"user": _USER},
                             "required": ["user"]},
                "token": {"type": "object", "properties": {"id": {"type": "string"}},
                          "required": ["id"]},
            },
            "required": ["methods"],
        },
        "scope": {
            "type": ["object", "string"],
            "properties": {
                "project": {"type": "object",
                            "properties": {"id": {"type": "string"},
                                           "name": {"type": "string"},
                                           "domain": _NAME_OR_ID},
                            "anyOf": [{"required": ["id"]}, {"required": ["name"]}]},
                "domain": _NAME_OR_ID,
                "system": {"type": "object"},
            },
        },
    },
    "required": ["identity"],
}

v2_token_issue = {
    "type": "object",
    "properties": {
        "passwordCredentials": {
            "type": "object",
            "properties": {"username": {"type": "string"}, "userId": {"type": "string"},
                           "password": {"type": "string"}},
            "required": ["password"]},
        "token": {"type": "object", "properties": {"id": {"type": "string"}},
                  "required": ["id"]},
        "tenantName": {"type": "string"},
        "tenantId": {"type": "string"},
    },
    "anyOf": [{"required": ["passwordCredentials"]}, {"required": ["token"]}],
}


def validate(instance, schema):
    """keystone/common/validation/validators.py:SchemaValidator.validate."""
    try:
        schema_cache.validate(instance, schema)
    except jsonschema.ValidationError as exc:
        path = "/".join(str(p) for p in exc.path)
        detail = (f"Invalid input for field '{path}': {exc.message}" if path else exc.message)
        raise ValidationError(detail) from None


def expecting(attribute, target):
    """keystone.exception.ValidationError's 'Expecting to find ...' message."""
    return ValidationError(
        f"Expecting to find {attribute} in {target}. The server could not comply with the "
        "request since it is either malformed or otherwise incorrect. The client is "
        "assumed to be in error.")
