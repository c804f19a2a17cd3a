"""Questions asked of a trace: which hops, which state changes, which reply answers which call.

One set of functions over plain event dicts (``Trace.events()`` or a saved
``Trace.from_json``), used by the course (``labkit.course``), the pictures
(``labkit.viz``) and the tests alike, so every view of a run agrees on what a
hop is.  Nothing here draws or prints.

Real OpenStack has no such view in one place; the nearest is osprofiler's
trace tree (``osprofiler/drivers/base.py``), and the status mapping is nova's
(``nova/api/openstack/common.py:_STATE_MAP``).
"""
import hashlib
import re

RPC = ("cast", "call", "reply")
WALKTHROUGH = ("http",) + RPC
# What the "walkthrough view" leaves out, so the picture matches the seed's
# chain client -> nova-api -> nova-conductor -> nova-scheduler -> nova-compute.
NOISE = ("db", "notification", "object_action", "auth")
OBJECT_CALLS = ("object_action", "object_class_action_versions")

POWER_STATES = {0: "NOSTATE", 1: "RUNNING", 3: "PAUSED", 4: "SHUTDOWN", 6: "CRASHED",
                7: "SUSPENDED"}

# nova/api/openstack/common.py:_STATE_MAP — vm_state -> {task_state: status}
_STATE_MAP = {
    "active": {"default": "ACTIVE", "rebooting": "REBOOT", "reboot_pending": "REBOOT",
               "reboot_started": "REBOOT", "rebooting_hard": "HARD_REBOOT",
               "reboot_pending_hard": "HARD_REBOOT", "reboot_started_hard": "HARD_REBOOT",
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
_REQUEST_ID = re.compile(r"req-([0-9a-f-]{36})")


def status_of(vm_state, task_state=None):
    """The API ``status`` nova shows for a (vm_state, task_state) pair."""
    by_task = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    return by_task.get(task_state, by_task["default"])


def category(event):
    """Which kind of noise a hop is, if any: one of ``NOISE`` or ``None``."""
    kind = event["kind"]
    if kind in ("db", "notification"):
        return kind
    if kind in RPC and event["name"].startswith("object_"):
        return "object_action"
    if kind == "http" and "keystone" in (event["src"], event["dst"]) \
            and "client" not in (event["src"], event["dst"]):
        return "auth"
    return None


def first(events, kind=None, name=None, **match):
    """The first event with this kind / name / other fields (None if none)."""
    for e in events:
        if kind and e["kind"] != kind:
            continue
        if name and e["name"] != name:
            continue
        if all(e.get(k) == v for k, v in match.items()):
            return e
    return None


def hops(events, kinds=None, hide=NOISE):
    """The events that are hops of the chosen kinds, in order, without the ``hide`` noise.

    :param kinds: e.g. ``RPC`` for casts, calls and replies (default: every kind).
    :param hide: ``NOISE`` categories to leave out (``()`` keeps everything).
    """
    return [e for e in events if (kinds is None or e["kind"] in kinds)
            and category(e) not in hide]


def state_after(event, which="after"):
    """For a DB write that changed an instance: its states after (or ``before``) the
    write, plus ``status``."""
    after = (event.get("states") or {}).get(which)
    if not after:
        return None
    return {"uuid": (event.get("instance_uuid") or "")[:8],
            "vm_state": after.get("vm_state"), "task_state": after.get("task_state"),
            "power_state": POWER_STATES.get(after.get("power_state"), after.get("power_state")),
            "status": status_of(after.get("vm_state"), after.get("task_state")),
            "host": after.get("host")}


def states(events, instance_uuid=None, changes_only=False):
    """One instance's state writes, each tied to the hop (seq) that made it.

    :param instance_uuid: which instance; the first one written if omitted.
    :param changes_only: keep a write only when (vm_state, task_state,
        power_state, host) differ from the previous row's.
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
        row = {"seq": event["seq"], "t": event["t"], "request_id": event.get("request_id"),
               "cause": f"{event['src']}: {event['name']}", "src": event["src"],
               "name": event["name"], "before": event["states"].get("before"),
               **{k: after[k] for k in ("vm_state", "task_state", "power_state", "status",
                                        "host")}}
        if changes_only and rows and all(rows[-1][k] == row[k] for k in _STATE_KEYS):
            continue
        rows.append(row)
    return rows


_STATE_KEYS = ("vm_state", "task_state", "power_state", "host")


def pairs(events):
    """``{seq of a call or HTTP request: seq of its reply or response}``.

    A reply names its call's ``msg_id``; an HTTP response names its request's
    seq (``request_seq``).  A call with no reply (a timeout) has no entry.
    """
    calls, out = {}, {}
    for e in events:
        if e["kind"] == "call" and e.get("msg_id"):
            calls[e["msg_id"]] = e["seq"]
        elif e["kind"] == "reply" and e.get("msg_id") in calls:
            out[calls.pop(e["msg_id"])] = e["seq"]
        elif e["kind"] == "http" and e.get("phase") == "response" and e.get("request_seq"):
            out[e["request_seq"]] = e["seq"]
    return out


def last_request(events, which="boot"):
    """The request id of the last ``"boot"`` or server action (``"shelve"``, ``"unshelve"``...).

    A boot is the client's ``POST .../servers``; an action is a
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
    return hashlib.sha256(str(request_id).encode()).hexdigest()[:32]


ARROWS = {"cast": "-->", "call": "==>", "reply": "..>", "http": "->"}


def summary(events, kinds=WALKTHROUGH, skip=OBJECT_CALLS):
    """The hops as text, one line each: ``kind  src -> dst  name``.

    Arrows point from sender to receiver: ``-->`` cast, ``==>`` call, ``..>``
    its reply, ``->`` HTTP.  By default the walkthrough's view (HTTP and RPC,
    without the conductor's object-proxy calls); ``kinds=None, skip=()`` for all.
    """
    lines = []
    for e in events:
        if (kinds is not None and e["kind"] not in kinds) or e["name"] in skip:
            continue
        name = e["name"]
        if e["kind"] == "http":
            name = name.split("?")[0] + (f"  [{e['status']}]" if e.get("status") else "")
        lines.append(f"{e['kind']:<12} {e['src']:>22} {ARROWS.get(e['kind'], '..')} "
                     f"{e['dst']:<22} {name}")
    return "\n".join(lines)
