"""From trace events to hops a learner can follow: pure functions, no drawing.

A trace event (see ``labkit/trace.py``) is everything the lab recorded about
one message.  A *hop* here is the compact record the pictures need: who sent
what to whom, a short label, and — for database writes — how the instance's
states changed.  Everything in this module is plain Python over plain dicts,
so it works as well on a live lab as on ``Trace.from_json(saved_text)``.

Real OpenStack has no such view in one place; the nearest is osprofiler's
trace tree (``osprofiler/drivers/base.py``), and the status mapping below is
nova's (``nova/api/openstack/common.py:_STATE_MAP``).
"""
import json
import re

from labkit import upstream

BUS, DATABASE, NOTIFICATIONS = "message-bus", "database", "notifications"

# What the "walkthrough view" leaves out, so the picture matches the seed's
# chain client -> nova-api -> nova-conductor -> nova-scheduler -> nova-compute.
NOISE = ("db", "notification", "object_action", "auth")

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}")
_REQUEST_ID = re.compile(r"req-([0-9a-f-]{36})")

POWER_STATES = {0: "NOSTATE", 1: "RUNNING", 3: "PAUSED", 4: "SHUTDOWN", 6: "CRASHED",
                7: "SUSPENDED"}

# nova/api/openstack/common.py:_STATE_MAP — vm_state -> {task_state: status}
_STATE_MAP = {
    "active": {"default": "ACTIVE", "rebooting": "REBOOT", "reboot_pending": "REBOOT",
               "reboot_started": "REBOOT", "rebooting_hard": "HARD_REBOOT",
               "updating_password": "PASSWORD", "rebuilding": "REBUILD",
               "rebuild_block_device_mapping": "REBUILD", "rebuild_spawning": "REBUILD",
               "migrating": "MIGRATING", "resize_prep": "RESIZE",
               "resize_migrating": "RESIZE", "resize_migrated": "RESIZE",
               "resize_finish": "RESIZE"},
    "building": {"default": "BUILD"},
    "stopped": {"default": "SHUTOFF", "resize_prep": "RESIZE", "rebuilding": "REBUILD"},
    "resized": {"default": "VERIFY_RESIZE", "resize_reverting": "REVERT_RESIZE"},
    "paused": {"default": "PAUSED"}, "suspended": {"default": "SUSPENDED"},
    "rescued": {"default": "RESCUE"}, "error": {"default": "ERROR"},
    "deleted": {"default": "DELETED"}, "soft_deleted": {"default": "SOFT_DELETED"},
    "shelved": {"default": "SHELVED"}, "shelved_offloaded": {"default": "SHELVED_OFFLOADED"},
}


def status_of(vm_state, task_state=None):
    """The API ``status`` nova shows for a (vm_state, task_state) pair."""
    table = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    return table.get(task_state, table["default"])


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


def category(event):
    """Which kind of noise a hop is, if any: one of ``NOISE`` or ``None``."""
    kind = event["kind"]
    if kind in ("db", "notification"):
        return kind
    if kind in ("call", "reply", "cast") and event["name"].startswith("object_"):
        return "object_action"
    if kind == "http" and "keystone" in (event["src"], event["dst"]) \
            and "client" not in (event["src"], event["dst"]):
        return "auth"
    return None


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


def state_after(event, which="after"):
    """For a DB write that changed an instance: its states after (or ``before``) the
    write, plus ``status``."""
    states = event.get("states") or {}
    after = states.get(which)
    if not after:
        return None
    return {"uuid": (event.get("instance_uuid") or "")[:8],
            "vm_state": after.get("vm_state"), "task_state": after.get("task_state"),
            "power_state": POWER_STATES.get(after.get("power_state"), after.get("power_state")),
            "status": status_of(after.get("vm_state"), after.get("task_state")),
            "host": after.get("host")}


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
    """Compact hop records in order.

    :param walkthrough: leave out the noise (``NOISE``: db, notifications,
        conductor ``object_action`` round trips, service-to-keystone auth).
    :param hide: an explicit tuple of ``NOISE`` categories to leave out
        (overrides ``walkthrough``).
    """
    hide = tuple(hide) if hide is not None else (NOISE if walkthrough else ())
    return [compact(e) for e in events if category(e) not in hide]


def states(events, instance_uuid=None):
    """One instance's state changes, each tied to the hop (seq) that made it.

    :param instance_uuid: which instance; the first one written if omitted.
    """
    rows = []
    for event in events:
        if event["kind"] != "db" or not (event.get("states") or {}).get("after"):
            continue
        if instance_uuid is None:
            instance_uuid = event.get("instance_uuid")
        if event.get("instance_uuid") != instance_uuid:
            continue
        after = state_after(event)
        rows.append({"seq": event["seq"], "t": event["t"], "request_id": event["request_id"],
                     "cause": f"{event['src']}: {event['name']}", "src": event["src"],
                     "name": event["name"], "before": event["states"].get("before"),
                     **{k: after[k] for k in ("vm_state", "task_state", "power_state",
                                              "status", "host")}})
    return rows


def last_request(events, which="boot"):
    """The request id of the last ``"boot"``, ``"shelve"`` or ``"unshelve"`` (or None).

    A boot is the client's ``POST .../servers``; a shelve or unshelve is a
    ``POST .../servers/{id}/action`` whose body names that action.
    """
    which = which.replace("the ", "").replace("last ", "").strip()
    found = None
    for e in events:
        if e["kind"] != "http" or e.get("phase") != "request" or e.get("method") != "POST":
            continue
        path = (e.get("path") or "").split("?")[0]
        body = e.get("payload") if isinstance(e.get("payload"), dict) else {}
        if which == "boot" and path.endswith("/servers"):
            found = e["request_id"]
        elif path.endswith("/action") and which in body:
            found = e["request_id"]
    return found


def trace_id(request_id):
    """A 32-hex trace id from ``req-<uuid>`` (the uuid's hex digits)."""
    match = _REQUEST_ID.search(request_id or "")
    if match:
        return match.group(1).replace("-", "")
    import hashlib
    return hashlib.sha256(str(request_id).encode()).hexdigest()[:32]


def mirror(handler):
    """Which upstream function a labkit handler stands in for, with a link (or None).

    ``labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances``
    -> nova 34.0.0's ``nova/conductor/manager.py``
    ``ComputeTaskManager.schedule_and_build_instances``.  The answer comes
    from the table in ``labkit/upstream.py`` (checked against the released
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
