"""RPC servers: consume a topic's queues and dispatch each message to a manager method.

Real OpenStack: oslo_messaging/rpc/server.py (get_rpc_server) and
rpc/dispatcher.py (RPCDispatcher._dispatch: the method named in the message is
looked up on the endpoints, matching the namespace).

NOTE(labkit): oslo runs each message on an executor (threading or eventlet);
labkit keeps a fixed set of long-lived worker threads per server, which is
cheaper than a pool that grows (the trap nova's threading mode fell into).
"""
import logging
import queue
import threading
import traceback
import uuid

from labkit.common import jsonutils
from labkit.common.reflection import get_callable_name
from labkit.messaging.base import Consumer
from labkit.messaging.rpc import deserialize_msg, unpack_context


LOG = logging.getLogger(__name__)
_STOP = object()


def _failure(exc):
    return jsonutils.dumps({"class": type(exc).__name__, "module": type(exc).__module__,
                       "message": str(exc), "kwargs": getattr(exc, "kwargs", {}),
                       "tb": traceback.format_exc(limit=8)})


def dispatch_table(endpoints):
    """``{(namespace, method): function}`` for endpoint objects (or classes), as oslo's
    RPCDispatcher looks methods up: public callables, the first endpoint wins."""
    table = {}
    for endpoint in endpoints:
        namespace = getattr(getattr(endpoint, "target", None), "namespace", None)
        for name in dir(endpoint):
            fn = getattr(endpoint, name)
            if not name.startswith("_") and callable(fn) and not isinstance(fn, type):
                table.setdefault((namespace, name), fn)
    return table


class RPCServer:
    """Serves one Target: queues ``<topic>``, ``<topic>.<server>`` and a fanout queue."""

    def __init__(self, transport, target, endpoints, serializer, node, context_factory,
                 trace=None, workers=1):
        self.transport, self.target, self.endpoints = transport, target, endpoints
        self.serializer, self.node, self.context_factory = serializer, node, context_factory
        self.trace, self.workers = trace, workers
        self._inbox = queue.SimpleQueue()
        self._threads = []
        self._consumer = None
        self._fanout_q = f"{target.topic}_fanout_{uuid.uuid4().hex}"
        self._dispatch_table = self._build_dispatch_table()
        self.running = False

    def _build_dispatch_table(self):
        return dispatch_table(self.endpoints)

    def handler_for(self, namespace, method):
        fn = self._dispatch_table.get((namespace, method))
        return None if fn is None else get_callable_name(fn)

    # -- lifecycle ------------------------------------------------------------
    def start(self):
        t, tr = self.target, self.transport
        names = [t.topic]
        tr.declare_queue(t.topic, exchange=t.exchange, routing_key=t.topic)
        if t.server:
            key = f"{t.topic}.{t.server}"
            tr.declare_queue(key, exchange=t.exchange, routing_key=key)
            names.append(key)
        tr.declare_queue(self._fanout_q, fanout=f"{t.topic}_fanout")
        names.append(self._fanout_q)
        self._consumer = Consumer(self._inbox, prefetch=self.workers)
        self._threads = [threading.Thread(target=self._work, daemon=True,
                                          name=f"{self.node}-rpc-{i}")
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()
        for (namespace, method), fn in self._dispatch_table.items():
            tr.handlers[(t.topic, namespace, method)] = get_callable_name(fn)
        tr.attach(names, self._consumer)
        self.running = True

    def stop(self):
        """Stop consuming; messages not yet handled go back on their queues."""
        if not self.running:
            return
        self.running = False
        undelivered = []
        while True:
            try:
                undelivered.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        self.transport.detach(self._consumer, undelivered)
        self.transport.delete_queue(self._fanout_q)
        for _ in self._threads:
            self._inbox.put(_STOP)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=10)
        self._threads = []

    def pause(self, paused=True):
        """Stop answering without going away: messages wait, calls time out."""
        self.transport.pause(self._consumer, paused)

    # -- dispatch -------------------------------------------------------------
    def _work(self):
        while True:
            item = self._inbox.get()
            if item is _STOP:
                return
            _queue_name, wire, *acknowledge = item
            try:
                for ack in acknowledge:        # taken by a worker: the broker may forget it
                    ack()
                self._dispatch(deserialize_msg(wire))
            except Exception:  # never let one bad message kill a worker
                LOG.exception("%s: dispatch failed", self.node)

    def _dispatch(self, msg):
        ctxt = self.context_factory(unpack_context(msg))
        method = msg["method"]
        fn = self._dispatch_table.get((msg.get("namespace"), method))
        result, failure = None, None
        try:
            if fn is None:
                raise AttributeError(f"Endpoint does not support RPC method {method}")
            args = {k: self.serializer.deserialize_entity(ctxt, v) for k, v in msg["args"].items()}
            result = self.serializer.serialize_entity(ctxt, fn(ctxt, **args))
        except Exception as exc:
            failure = exc
            if "_msg_id" not in msg:
                LOG.warning("%s: %s failed: %s", self.node, method, exc)
                if self.trace is not None:
                    self.trace.record("fault", self.node, self.node, type(exc).__name__,
                                      ctxt.trace_id, payload={"method": method, "error": str(exc)})
        if "_msg_id" in msg:
            self._reply(ctxt, msg, method, result, failure)

    def _reply(self, ctxt, msg, method, result, failure):
        reply = {"result": result, "failure": _failure(failure) if failure else None,
                 "ending": True, "_msg_id": msg["_msg_id"]}
        if self.trace is not None and self.trace.enabled:
            caller = self.transport.reply_node(msg["_msg_id"]) or "unknown"
            self.trace.record("reply", self.node, caller, method,
                              ctxt.trace_id, payload={"result": result} if failure is None
                              else {"failure": type(failure).__name__, "message": str(failure)},
                              msg_id=msg["_msg_id"], reply_q=msg["_reply_q"])
        self.transport.send_reply(msg["_reply_q"], msg["_msg_id"], jsonutils.dumps(reply))
