"""JSON for the bus and the databases: ``dumps`` gives a ``str``, ``loads`` takes one.

Real OpenStack: oslo_serialization/jsonutils.py, which every service imports
instead of ``json`` (nova's RPC serializer, its JSON columns and its API bodies
go through it).

NOTE(labkit): oslo's jsonutils wraps the standard library's ``json``; labkit's
wraps orjson, which encodes and decodes nova's object primitives several times
faster.  Each RPC message is JSON inside JSON (the oslo envelope), so a boot's
messages are encoded and decoded twice.  What goes over the wire is still plain JSON, only
without the blanks after ``:`` and ``,``.  Dict keys that are not strings
become strings, as ``json.dumps`` makes them.  An integer beyond 64 bits, which
JSON holds but orjson will not, goes through ``json`` as oslo's does (a console
length of 2**64 is a valid request); orjson reads it back as a float, or (beyond
a double) hands it to ``json``, which reads it exactly.
"""
import json

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def _orjson_refused(exc, obj):
    """``obj`` through the standard library when orjson refused only its integer size."""
    if str(exc) != "Integer exceeds 64-bit range":
        raise exc
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def dumps(obj):
    """``obj`` as a JSON string (TypeError for what JSON can't hold)."""
    try:
        return orjson.dumps(obj, option=_OPTIONS).decode()
    except TypeError as exc:
        return _orjson_refused(exc, obj)


def dump_as_bytes(obj):
    """``obj`` as UTF-8 JSON bytes, for a message body.

    orjson returns its bytes inside the buffer it wrote them to, which it does not
    shrink: 40 KB of JSON can hold half a megabyte for as long as the bytes live
    (the trace keeps response bodies).  One copy gives them their own size.
    """
    try:
        return bytes(memoryview(orjson.dumps(obj, option=_OPTIONS)))
    except TypeError as exc:
        return _orjson_refused(exc, obj).encode()


def loads(text):
    """The value of a JSON ``str`` or ``bytes`` (ValueError when it is not JSON)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:      # a number beyond a double, or not JSON at all
        return json.loads(text)
