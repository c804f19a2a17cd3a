"""Request body validation with jsonschema, reported in nova's words.

Real nova: nova/api/validation/ (the ``@validation.schema`` and
``@validation.query_schema`` decorators and validators.py:_SchemaValidator,
which formats ``Invalid input for field/attribute <path>. Value: <value>.
<message>``, compares a number given as a string with ``minimum`` and
``maximum``, and for a query ``Invalid input for query parameters ...``).
"""
import base64
import binascii
import datetime
import ipaddress
import uuid

import jsonschema

from labkit.wsgi.app import HTTPError

_checker = jsonschema.FormatChecker()


@_checker.checks("uuid", raises=ValueError)
def _uuid(value):
    return not isinstance(value, str) or bool(uuid.UUID(value))


@_checker.checks("base64", raises=(binascii.Error, ValueError))
def _b64(value):
    return not isinstance(value, str) or bool(base64.b64decode(value, validate=True) or True)


@_checker.checks("ipv4", raises=ValueError)
def _ipv4(value):
    return not isinstance(value, str) or bool(ipaddress.IPv4Address(value))


@_checker.checks("ipv6", raises=ValueError)
def _ipv6(value):
    return not isinstance(value, str) or bool(ipaddress.IPv6Address(value))


@_checker.checks("date-time", raises=ValueError)
def _datetime(value):
    """ISO 8601, with or without a zone (nova: validators.py:_validate_datetime_format,
    oslo's timeutils.parse_isotime)."""
    return not isinstance(value, str) or bool(datetime.datetime.fromisoformat(value))


_VALIDATORS = {}


def _number_from_str(instance):
    for kind in (int, float):
        try:
            return kind(instance)
        except (ValueError, TypeError):
            pass
    return None


def _bound(name):
    """``minimum``/``maximum`` that also judge "10" as 10 (validators.py:_validate_minimum)."""
    def check(validator, bound, instance, schema):
        number = _number_from_str(instance) if not isinstance(instance, bool) else None
        if number is not None:
            yield from jsonschema.Draft4Validator.VALIDATORS[name](
                validator, bound, number, schema)
    return check


_Validator = jsonschema.validators.extend(
    jsonschema.Draft4Validator, {"minimum": _bound("minimum"), "maximum": _bound("maximum")})


def _first_error(instance, schema):
    validator = _VALIDATORS.get(id(schema))
    if validator is None:
        validator = _VALIDATORS[id(schema)] = _Validator(schema, format_checker=_checker)
    return jsonschema.exceptions.best_match(validator.iter_errors(instance))


def for_version(version, *choices):
    """The schema of the first ``(min_version, schema)`` that ``version`` reaches, newest
    first; ``(None, schema)`` last for every older version (nova stacks
    ``@validation.schema(schema, min_version, max_version)`` for the same choice)."""
    for minimum, schema in choices:
        if minimum is None or version.matches(minimum):
            return schema
    raise ValueError(f"no schema for {version}")


def validate_query(req, schema):
    """A 400 in nova's words for the first bad query parameter (each is a list of
    values, as ``req.GET.dict_of_lists()`` gives them)."""
    error = _first_error(req.GET.dict_of_lists(), schema)
    if error is None:
        return
    if error.path:
        raise HTTPError(400, f"Invalid input for query parameters {error.path[0]}. "
                             f"Value: {error.instance}. {error.message}")
    raise HTTPError(400, error.message)


def validate(body, schema):
    """Raise a 400 with nova's message for the first schema violation in ``body``."""
    error = _first_error(body, schema)
    if error is None:
        return
    path = list(error.path)
    if error.validator == "required" or not path:
        # nova names the object that lacks the property (validators.py: ex.path.pop())
        field = path[-1] if path else _schema_parent(error)
    else:
        field = path[-1]
    raise HTTPError(400, f"Invalid input for field/attribute {field}. "
                         f"Value: {error.instance}. {error.message}")


def _schema_parent(error):
    """For a top-level error, the property name the failing schema describes."""
    parts = [p for p in error.relative_schema_path if p not in ("properties", "required",
                                                                "type", "additionalProperties")]
    return parts[-1] if parts and isinstance(parts[-1], str) else ""
