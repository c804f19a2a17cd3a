"""One compiled validator per JSON schema, shared by every labkit service.

``jsonschema.validate(instance, schema)`` checks the schema itself against its
meta-schema and builds a new validator on every call — about 10 ms for
placement's allocation schema, more than the rest of the request.  The real
services build their validators once (nova/api/validation/validators.py,
keystone/common/validation); so does this.
"""
import threading

import jsonschema

_CACHE = {}
_LOCK = threading.Lock()


def validator(schema):
    """The cached validator for ``schema`` (the same draft ``jsonschema.validate`` picks)."""
    key = id(schema)
    entry = _CACHE.get(key)
    if entry is None or entry[0] is not schema:
        with _LOCK:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = _CACHE[key] = (schema, cls(schema))
    return entry[1]


def validate(instance, schema):
    """Like ``jsonschema.validate`` (raises ValidationError), without rebuilding anything."""
    error = jsonschema.exceptions.best_match(validator(schema).iter_errors(instance))
    if error is not None:
        raise error
