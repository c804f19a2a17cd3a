"""OpenTelemetry-shaped export of a trace (OTLP/JSON ``resourceSpans``).

The mapping, hop by hop (``Trace.to_otel`` calls ``to_otel`` here):

- **trace id**: the request id's uuid as 32 hex digits (``req-<uuid>``); one
  OTel trace per request id.  Events without one share an id derived from
  a hash of ``"none"``.
- **one span per hop**: an HTTP request and its response make one span
  (kind CLIENT, from the request's ``t`` to the response's ``t``, status code
  from the response); an RPC call and its reply (same ``msg_id``) make one
  span (kind CLIENT); a cast is a PRODUCER span of zero length; db, schedule
  and notification events are INTERNAL/PRODUCER spans of zero length.
- **parent/child**: a hop that *arrives* at a service (HTTP request, cast,
  call) opens that service's current context; later hops *sent* by that
  service in the same request are its children, until the service answers
  (HTTP response, reply).  So ``build_and_run_instance`` (cast to compute) is
  the parent of the compute host's ``object_action`` calls and port requests.
  Hops with no such context are roots.
- **span ids**: the first 16 hex digits of sha256(trace id, seq): stable for a
  seeded lab.
- **times**: ``t`` is seconds since the lab started; ``epoch_ns`` (default 0)
  is added to every timestamp, since labkit records no wall-clock time.
- **resource**: spans are grouped by the sending node as ``service.name``.

Attributes use OTel semantic-convention names where one exists
(``http.request.method``, ``url.path``, ``http.response.status_code``,
``rpc.system``, ``rpc.method``, ``messaging.destination.name``, ``db.operation.name``)
and ``labkit.*`` otherwise.
"""
import hashlib

from labkit.trace.query import trace_id

KIND = {"client": 3, "producer": 4, "internal": 1}   # OTLP SpanKind numbers


def _span_id(tid, seq):
    return hashlib.sha256(f"{tid}:{seq}".encode()).hexdigest()[:16]


def _attr(key, value):
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": str(value)}}


def _attributes(event):
    kind = event["kind"]
    out = {"labkit.kind": kind, "labkit.seq": event["seq"],
                                "labkit.src": event["src"], "labkit.dst": event["dst"]}
    if kind == "http":
        out.update({"http.request.method": event.get("method"), "url.path": event.get("path")})
    elif kind in ("cast", "call"):
        out.update({"rpc.system": "oslo_messaging", "rpc.method": event["name"],
                    "messaging.destination.name": event.get("routing_key") or event.get("exchange")})
    elif kind == "db":
        out["db.operation.name"] = event["name"]
    if event.get("handler"):
        out["code.function.name"] = event["handler"]
    return [_attr(k, v) for k, v in out.items() if v is not None]


def spans(events, epoch_ns=0):
    """The flat list of spans (dicts in OTLP/JSON field names), oldest first."""
    ns = lambda t: str(epoch_ns + int(round(t * 1e9)))     # noqa: E731
    open_http, open_call, context, out = {}, {}, {}, []
    for e in events:
        tid = trace_id(e.get("request_id") or "none")
        kind, rid = e["kind"], e.get("request_id")
        if kind == "http" and e.get("phase") == "response":
            span = open_http.pop(e.get("request_seq"), None)
            if span:
                span["endTimeUnixNano"] = ns(e["t"])
                span["attributes"].append(_attr("http.response.status_code", e.get("status")))
                if e.get("handler"):
                    span["attributes"].append(_attr("code.function.name", e["handler"]))
                span["status"] = {"code": 2 if (e.get("status") or 0) >= 500 else 0}
            context.pop((rid, e["src"]), None)
            continue
        if kind == "reply":
            span = open_call.pop(e.get("msg_id"), None)
            if span:
                span["endTimeUnixNano"] = ns(e["t"])
            context.pop((rid, e["src"]), None)
            continue
        span = {"traceId": tid, "spanId": _span_id(tid, e["seq"]),
                "parentSpanId": context.get((rid, e["src"]), ""),
                "name": f"{e['kind']} {e['name']}" if kind != "http" else e["name"],
                "kind": KIND["producer" if kind in ("cast", "notification") else
                             "internal" if kind in ("db", "schedule") else "client"],
                "startTimeUnixNano": ns(e["t"]), "endTimeUnixNano": ns(e["t"]),
                "attributes": _attributes(e), "status": {"code": 0},
                "resource": e["src"]}
        out.append(span)
        if kind == "http":
            open_http[e["seq"]] = span
        elif kind == "call":
            open_call[e.get("msg_id")] = span
        if kind in ("http", "call", "cast"):
            context[(rid, e["dst"])] = span["spanId"]
    return out


def to_otel(events, epoch_ns=0):
    """``{"resourceSpans": [...]}``: OTLP/JSON, one resource per sending service."""
    by_service = {}
    for span in spans(events, epoch_ns):
        by_service.setdefault(span.pop("resource"), []).append(span)
    return {"resourceSpans": [
        {"resource": {"attributes": [_attr("service.name", service)]},
         "scopeSpans": [{"scope": {"name": "labkit.trace", "version": "1"}, "spans": items}]}
        for service, items in by_service.items()]}
