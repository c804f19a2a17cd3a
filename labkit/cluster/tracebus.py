"""Hop events across processes: each service publishes, the kernel collects.

Every service process records its hops into its own ``Trace`` as the embedded
lab does; a ``TracePublisher`` forwards each one (secrets already redacted) to
the fanout exchange ``labkit.trace``, and the kernel's ``TraceCollector``
appends them to the one trace the views read.  Trace clocks share a wall-clock
epoch, so times compare across processes on one machine.

NOTE(labkit): real OpenStack ships such spans to an OpenTelemetry collector
(osprofiler's ``[profiler] connection_string``, which can be ``messaging://``:
the same idea, on the same broker).
"""
import heapq
import itertools
import json
import threading
import time
import uuid

from labkit.messaging.base import Consumer, Inbox

TRACE_EXCHANGE = "labkit.trace"


class TracePublisher:
    """Forward every event of ``trace`` to the trace exchange."""

    def __init__(self, trace, transport):
        self.transport = transport
        self.subscription = trace.subscribe(self._publish)

    def _publish(self, event):
        self.transport.publish(TRACE_EXCHANGE, "", json.dumps(event, default=str),
                               fanout=True, intercept=False)

    def close(self):
        self.subscription.close()


class TraceCollector:
    """Append every event published on the trace exchange to ``trace``, in time order.

    Events of different processes reach the broker by different sockets, so
    they may arrive slightly out of order; each is held for ``hold`` seconds
    and released oldest ``t`` first, so that ``seq`` follows time.
    """

    def __init__(self, trace, transport, hold=0.05):
        self.trace, self.transport, self.hold = trace, transport, hold
        self._heap, self._tie = [], itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._release, daemon=True,
                                        name="labkit-trace-collector")
        self._thread.start()
        self.queue = f"{TRACE_EXCHANGE}.{uuid.uuid4().hex}"
        transport.declare_queue(self.queue, fanout=TRACE_EXCHANGE)
        self.consumer = Consumer(Inbox(self._on_event))
        transport.attach([self.queue], self.consumer)

    def _on_event(self, item):
        event = json.loads(item[1])
        with self._cond:
            heapq.heappush(self._heap, (event.get("t", 0.0), next(self._tie),
                                        time.monotonic() + self.hold, event))
            self._cond.notify()

    def _release(self):
        with self._cond:
            while not (self._closed and not self._heap):
                if not self._heap:
                    self._cond.wait()
                    continue
                due = self._heap[0][2] - time.monotonic()
                if due > 0 and not self._closed:
                    self._cond.wait(due)
                    continue
                self.trace.ingest(heapq.heappop(self._heap)[3])

    def close(self):
        self.transport.detach(self.consumer)
        self.transport.delete_queue(self.queue)
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=5)
