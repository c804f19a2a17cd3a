"""The trace: every hop of the lab, recorded as plain data.

Real OpenStack has no single trace; the nearest thing is osprofiler
(osprofiler/profiler.py), which records spans at the WSGI, RPC and DB seams.
labkit records its hops at the same three seams: the WSGI middleware
(labkit/wsgi/middleware.py), the message bus (labkit/messaging/: casts, calls,
replies, notifications, and the exception or timeout a call ended in) and nova's
database API (``DbHandle.record`` in labkit/nova/db/api.py, for the db functions
and the objects that write their own tables).  Two more kinds are labkit's own:
the scheduler's decision (``schedule``, labkit/nova/scheduler/manager.py) and the
faults a lesson switches on or a process kill (``fault``, labkit/faults.py,
labkit/cluster/launcher.py).  A multi-process lab's services send their events to
the lab's trace (``Trace.ingest``).  Nothing here draws anything: labkit/viz only
reads what is recorded here, asking its questions through ``labkit.trace.query``.

An event is a dict with at least::

    seq          1, 2, 3 ... in the order hops happened
    t            seconds since the lab started
    kind         'http' | 'cast' | 'call' | 'reply' | 'db' | 'notification' | 'schedule'
                 | 'fault'
    src, dst     node names: 'client', 'keystone', 'nova-api', 'glance', 'neutron',
                 'placement', 'nova-conductor', 'nova-scheduler',
                 'nova-compute@<host>', 'database', 'notifications', 'message-bus'
    name         'POST /v2.1/servers', an RPC method, a DB API function ...
    request_id   nova's 'req-<uuid>' carried through every RPC context
    payload      the body / RPC args, tokens and passwords redacted

plus kind-specific keys (``phase`` and ``status`` for HTTP, ``topic``,
``server`` and ``msg_id`` for RPC, ``instance_uuid`` and ``states`` for DB
writes that change an instance, ``handler`` / ``mirrors`` naming the labkit
function and the nova function it stands in for).
"""
from __future__ import annotations

import copy
import itertools
import json
import queue
import threading
import time

from labkit.common import jsonutils
from labkit.trace import otel, query

REDACTED = "***"
# (admin_password: the adminPass as the boot's RPC arguments name it, in
# schedule_and_build_instances and build_and_run_instance)
_SECRET_KEYS = frozenset({
    "password", "adminpass", "admin_password", "auth_token", "_context_auth_token",
    "x-auth-token", "x-subject-token", "x-service-token", "token_id", "secret",
})

KINDS = ("http", "cast", "call", "reply", "db", "notification", "schedule", "fault")
_NESTED = ("headers", "states")          # kind-specific keys that hold dicts
_CONTAINERS = frozenset({dict, list})


def _pack(value):
    """A dict or list as JSON text (as it would cross the wire), else ``value``.

    A recorded event keeps only strings, numbers and bytes, and so Python's
    garbage collector never has to walk it: a lab that boots 1,000 servers keeps
    ~200,000 events, and walking their nested payloads made each full collection
    cost ~0.15 s with the whole lab paused.  ``_public`` decodes them when read.
    """
    if type(value) in _CONTAINERS:
        try:
            return jsonutils.dumps(value)
        except TypeError:                       # not JSON: kept as it is
            return value
    return value


def _pack_nested(fields):
    """``_pack`` each kind-specific key of ``fields`` that holds a dict, in place."""
    for key in _NESTED:
        if key in fields:
            fields[key] = _pack(fields[key])


def _unpack(value):
    """What ``_pack`` kept (or a captured HTTP body), as a fresh object a reader may
    change: JSON text decoded, other bytes as text, anything else a deep copy."""
    if isinstance(value, (str, bytes)):
        try:
            return jsonutils.loads(value)
        except ValueError:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return copy.deepcopy(value)


def redact(value):
    """Return a copy of ``value`` with every secret-looking field replaced."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in _SECRET_KEYS and item is not None:
                out[key] = REDACTED
            elif key == "token" and isinstance(item, dict) and "id" in item:
                out[key] = dict(redact(item), id=REDACTED)
            elif key == "message" and isinstance(item, str) and \
                    item.startswith("Could not find token: "):
                out[key] = f"Could not find token: {REDACTED}."   # keystone's 404 names it
            else:
                out[key] = redact(item)
        return out
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


class Subscription:
    """A live feed of events, delivered on its own thread.

    The control plane never waits for a listener: events are put on a queue
    and a daemon thread hands them to ``callback`` in order.
    """

    def __init__(self, trace, callback):
        self._trace = trace
        self._callback = callback
        self._queue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="labkit-trace-listener",
                                        daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            event = self._queue.get()
            if event is None:
                return
            try:
                self._callback(event)
            except Exception:  # a broken listener must never break the lab
                pass

    def close(self):
        """Stop delivering; safe to call twice."""
        if self._trace is not None:
            self._trace._unsubscribe(self)
            self._trace = None
            self._queue.put(None)
            if self._thread is not threading.current_thread():
                self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Trace:
    """An append-only list of hop events, safe to record into from any thread."""

    def __init__(self, enabled=True, clock=time.perf_counter, t0=None, retain=True):
        self.enabled, self.retain = enabled, retain     # retain=False: subscribers only
        self._clock = clock
        self._t0 = clock() if t0 is None else t0
        self._events = []
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._subscriptions = []

    # -- recording (called by the seams and recorders named in the module docstring) --
    def record(self, kind, src, dst, name, request_id=None, payload=None, **extra):
        """Append one event and hand it to live subscribers; returns it."""
        if not self.enabled:
            return None
        if extra:
            _pack_nested(extra)        # before the event exists: it is never GC-tracked
        # one dict literal: a lab records a couple of hundred events a boot
        return self._append({"seq": 0, "t": 0.0, "kind": kind, "src": src, "dst": dst,
                             "name": name, "request_id": request_id, "payload": _pack(payload),
                             **extra}, stamp=True)

    def _append(self, event, stamp):
        """Number (and, when ``stamp``, time) the event, keep it, hand it to subscribers."""
        with self._lock:
            event["seq"] = next(self._seq)
            if stamp:
                event["t"] = self._clock() - self._t0
            if self.retain:
                self._events.append(event)
            subscriptions = self._subscriptions
        for sub in subscriptions:
            sub._queue.put(self._public(event))
        return event

    def ingest(self, event):
        """Append an event recorded by another process (it keeps its ``t``, gets a ``seq``).

        ``labkit.cluster`` collects the hops of service processes this way; their
        clocks share one epoch, so ``t`` stays comparable across processes.
        """
        event = dict(event, payload=_pack(event.get("payload")))
        _pack_nested(event)
        return self._append(event, stamp=False)

    # -- reading ---------------------------------------------------------------
    @staticmethod
    def _public(event):
        out = dict(event)
        out["t"] = round(out.get("t", 0.0), 6)     # to the microsecond when read, not recorded
        payload = out.get("payload")
        out["payload"] = redact(_unpack(payload)) if payload is not None else None
        for key in _NESTED:
            if out.get(key) is not None:
                out[key] = redact(_unpack(out[key]))
        return out

    def events(self, request_id=None, kind=None, since=0):
        """The recorded hops in order, as plain dicts (secrets redacted).

        :param request_id: keep only the hops of one request (``req-<uuid>``).
        :param kind: keep only one kind ('http', 'cast', ...), or a tuple of kinds.
        :param since: keep only events with ``seq`` greater than this.
        """
        with self._lock:
            snapshot = list(self._events)
        kinds = (kind,) if isinstance(kind, str) else kind
        return [self._public(e) for e in snapshot
                if e["seq"] > since
                and (request_id is None or e["request_id"] == request_id)
                and (kinds is None or e["kind"] in kinds)]

    def __len__(self):
        return len(self._events)

    def last_seq(self):
        """The ``seq`` of the newest event (0 when empty): a bookmark for ``since=``."""
        with self._lock:
            return self._events[-1]["seq"] if self._events else 0

    def request_ids(self):
        """Request ids in the order they first appeared."""
        seen = {}
        with self._lock:
            for event in self._events:
                if event["request_id"]:
                    seen.setdefault(event["request_id"], None)
        return list(seen)

    def clear(self):
        """Forget every recorded event (the lab keeps running)."""
        with self._lock:
            self._events = []

    def subscribe(self, callback):
        """Call ``callback(event)`` for every new event, on a listener thread."""
        sub = Subscription(self, callback)
        with self._lock:
            self._subscriptions = self._subscriptions + [sub]
        return sub

    def _unsubscribe(self, sub):
        with self._lock:
            self._subscriptions = [s for s in self._subscriptions if s is not sub]

    def close(self):
        """Close every live subscription (called by ``Lab.stop``)."""
        for sub in list(self._subscriptions):
            sub.close()

    def summary(self, request_id=None, kinds=query.WALKTHROUGH, skip=query.OBJECT_CALLS):
        """The hops of one request (or all) as text: ``labkit.trace.query.summary``."""
        return query.summary(self.events(request_id), kinds, skip)

    def to_json(self, request_id=None, indent=None):
        """The events as a JSON document that ``Trace.from_json`` reads back."""
        return json.dumps({"format": "labkit-trace", "version": 1,
                           "events": self.events(request_id)}, indent=indent, default=str)

    @classmethod
    def from_json(cls, text):
        """A read-only trace rebuilt from ``to_json`` output (no lab needed)."""
        doc = json.loads(text)
        if doc.get("format") != "labkit-trace":
            raise ValueError("not a labkit trace document")
        trace = cls()
        trace._events = list(doc["events"])
        if trace._events:
            trace._seq = itertools.count(trace._events[-1]["seq"] + 1)
        return trace

    def to_otel(self, request_id=None, epoch_ns=0):
        """The hops as OpenTelemetry spans (OTLP/JSON ``{"resourceSpans": [...]}``).

        One trace per request id (its uuid is the trace id), one span per hop
        (an HTTP request+response or RPC call+reply is one span), and the hops
        a service sends while handling an incoming hop are that hop's children.
        The full mapping is documented in ``labkit/trace/otel.py``.
        """
        return otel.to_otel(self.events(request_id), epoch_ns=epoch_ns)
