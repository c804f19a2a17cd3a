"""From trace events to hops a learner can follow: pure functions, no drawing.

A trace event (see ``labkit/trace/core.py``) is everything the lab recorded about
one message.  A *hop* here is the compact record the pictures need: who sent
what to whom, a short label, and — for database writes — how the instance's
states changed.  Everything in this module is plain Python over plain dicts,
so it works as well on a live lab as on ``Trace.from_json(saved_text)``.

Which events are hops, their states and their order come from
``labkit.trace.query``; this module only shapes them for the pictures.
"""
import json
import re

from labkit import upstream
from labkit.trace import query
from labkit.trace.query import NOISE, state_after

BUS, DATABASE, NOTIFICATIONS = "message-bus", "database", "notifications"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}")


def short_path(path, limit=40):
    """``/v2.1/servers/1d95...-.../action`` -> ``/servers/{id}/action`` (shorter labels)."""
    path = _UUID.sub("{id}", path or "")
    path = re.sub(r"^/v[0-9.]+(?=/)", "", path)
    return path if len(path) <= limit else path[: limit - 1] + "…"


def label(event):
    """A short caption for a hop, e.g. ``POST /servers`` or ``cast build_and_run_instance``."""
    kind = event["kind"]
    if kind == "http":
        text = f"{event.get('method', '')} {short_path(event.get('path') or event['name'])}"
        if event.get("phase") == "response":
            return f"{event.get('status', '')} {text}"
        return text
    if kind in ("cast", "call", "reply"):
        return f"{kind} {event['name']}"
    if kind == "schedule":
        chosen = (event.get("payload") or {}).get("chosen")
        return f"filters+weighers → {chosen}" if chosen else "filters+weighers"
    return str(event["name"])


def route(src, dst, kind):
    """The nodes a hop passes through: RPC via the bus, DB to the database.

    RPC casts, calls and replies travel through the message bus (rabbit in a
    real cloud); notifications go through the bus too, to the notifications
    exchange; database access goes straight to the database; HTTP is direct.
    """
    if kind in ("cast", "call", "reply"):
        return [src, BUS, dst]
    if kind == "notification":
        return [src, BUS, NOTIFICATIONS]
    if kind == "db":
        return [src, DATABASE]
    if src == dst:
        return [src]
    return [src, dst]


def states_before(events):
    """``{uuid: state}`` of each instance as it was before the first write in ``events``
    (what a replay of a shelve shows before its first hop changes anything); an
    instance the request itself creates (a boot) did not exist before it."""
    created = {(e.get("instance_uuid") or "")[:8] for e in events if e["kind"] == "db"
               and e["name"] in ("build_request_create", "instance_create")}
    out = {}
    for event in events:
        state = state_after(event, "before")
        if state and state["uuid"] not in out and state["uuid"] not in created:
            out[state["uuid"]] = state
    return out


def compact(event):
    """The few fields the live widget needs (well under 2 KB per hop)."""
    hop = {"seq": event["seq"], "kind": event["kind"], "src": event["src"],
           "dst": event["dst"], "label": label(event)[:80],
           "rid": (event.get("request_id") or "")[:40],
           "route": route(event["src"], event["dst"], event["kind"])}
    if event["kind"] == "http":
        hop["phase"] = event.get("phase")
    state = state_after(event)
    if state:
        hop["state"] = state
    return hop


def hops(events, walkthrough=True, hide=None):
    """Compact hop records in order (``labkit.trace.query.hops``, in the pictures' shape).

    :param walkthrough: leave out the noise (``NOISE``: db, notifications,
        conductor ``object_action`` round trips, service-to-keystone auth).
    :param hide: an explicit tuple of ``NOISE`` categories to leave out
        (overrides ``walkthrough``).
    """
    hide = tuple(hide) if hide is not None else (NOISE if walkthrough else ())
    return [compact(e) for e in query.hops(events, hide=hide)]


def carry_states(shown, events):
    """Give each shown hop the instance state as it stands when the next shown hop begins.

    The states come from db writes, which a walkthrough view hides: a write that follows
    a shown hop (its handler, or the work it started, made the write) belongs to that
    hop's "instance after"; a hop followed by no write leaves the state as it was.
    ``shown`` are compact hops of ``events``; changed in place.
    """
    at = {hop["seq"]: hop for hop in shown}
    current, state = None, None
    for event in events:
        if event["seq"] in at:
            current = at[event["seq"]]
        state = state_after(event) or state
        if state and current is not None:
            current["state"] = state
    return shown


def mirror(handler):
    """Which upstream function a labkit handler stands in for, with a link (or None).

    ``labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances``
    -> nova 34.0.0's ``nova/conductor/manager.py``
    ``ComputeTaskManager.schedule_and_build_instances``.  The answer comes
    from the table in ``labkit/upstream/`` (checked against the released
    sources), never from labkit's own module path.
    """
    return upstream.mirror(handler)


def _handlers(events):
    """seq -> the labkit function that handled it (HTTP via the response, replies via msg_id)."""
    by_msg, out = {}, {}
    for e in events:
        if e.get("handler") and e["kind"] == "http" and e.get("request_seq"):
            out[e["request_seq"]] = e["handler"]
        if e.get("handler"):
            out.setdefault(e["seq"], e["handler"])
        if e["kind"] == "call" and e.get("msg_id"):
            by_msg[e["msg_id"]] = e.get("handler")
    for e in events:
        if e["kind"] == "reply" and by_msg.get(e.get("msg_id")):
            out[e["seq"]] = by_msg[e["msg_id"]]
    return out


PROTOCOLS = {"http": "HTTP", "cast": "RPC", "call": "RPC", "reply": "RPC", "db": "SQL",
             "notification": "notification (bus)", "schedule": "scheduler (in process)",
             "fault": "fault"}
RPC_STYLE = {"cast": "cast: one way, the sender does not wait",
             "call": "call: the sender waits for the reply",
             "reply": "reply: the answer to a call"}


def describe(event, handler=None, payload_limit=6000):
    """Everything the player shows for one hop, as plain data."""
    kind = event["kind"]
    if kind == "http":
        what = f"{event.get('method')} {event.get('path')}"
        if event.get("phase") == "response":
            what = f"{event.get('status')} for {what}"
    elif kind in RPC_STYLE:
        what = f"{event['name']}  (topic {event.get('topic') or '-'}, "\
               f"server {event.get('server') or '-'})" if kind != "reply" else event["name"]
    else:
        what = event["name"]
    payload = json.dumps(event.get("payload"), indent=2, sort_keys=True, default=str)
    if len(payload) > payload_limit:
        payload = payload[:payload_limit] + f"\n… ({len(payload) - payload_limit} more characters)"
    handler = handler or event.get("handler") or upstream.event_function(event)
    states_ = event.get("states") or {}
    return {"seq": event["seq"], "hop": f"{event['src']} → {event['dst']}",
            "protocol": PROTOCOLS.get(kind, kind), "what": what,
            "rpc": RPC_STYLE.get(kind, ""), "request_id": event.get("request_id"),
            "payload": payload, "before": states_.get("before"), "after": states_.get("after"),
            "handler": handler, "mirrors": mirror(handler) if handler else None}


def details(events, payload_limit=6000):
    """``describe`` for every event, with handlers found across the whole list."""
    handlers = _handlers(events)
    return [describe(e, handlers.get(e["seq"]), payload_limit) for e in events]
