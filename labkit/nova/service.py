"""A nova service process: an RPC server around one manager.

Real nova: nova/service.py:Service — ``Service.create(binary, topic,
manager)`` then ``start()``: register in the services table, start the RPC
server on ``Target(topic, server=host)``, and report state periodically.
"""
import threading

from labkit import runtime
from labkit.messaging import Target
from labkit.context import get_admin_context
from labkit.nova import objects, rpc
from labkit.nova.db import models
from labkit.nova.db.api import DbHandle


class Service:
    """Base for ConductorService, SchedulerService and ComputeService."""

    binary = None
    topic = None
    workers = 1
    has_db = True

    def __init__(self, lab, host, node):
        self.lab, self.host, self.node = lab, host, node
        self.db = DbHandle(lab.database("nova", models.metadata), lab.trace, node) \
            if self.has_db else None
        self.indirection_api = None
        self.manager = None
        self.rpcserver = None
        self._stop = threading.Event()

    def context_factory(self):
        return rpc.make_context_factory(self.node, self.db, self.indirection_api)

    def start(self):
        target = Target(self.topic, server=self.host if self.binary == "nova-compute" else None)
        self.rpcserver = rpc.get_server(self.lab, self.node, target, self.endpoints(),
                                        self.context_factory(), workers=self.workers)
        self.pre_start_hook()
        self.rpcserver.start()
        return self

    def endpoints(self):
        return [self.manager]

    def pre_start_hook(self):
        """Register in the services table, then report every ``report_interval`` seconds
        (nova/service.py:Service.start and servicegroup's DbDriver.join).

        nova-compute does this through the conductor (ComputeService.pre_start_hook)."""
        if self.db is None:
            return
        self.service_ref = objects.Service.create_or_get(self._untraced_context(), self.host,
                                                         self.binary, self.topic)
        self.start_periodic(self.lab.conf.report_interval, self._report_state)

    def _untraced_context(self):
        """NOTE(labkit): the conductor's and scheduler's own registration and heartbeats
        are not recorded in the trace (a DbHandle without one), which follows requests."""
        return rpc.bind_context(get_admin_context(self.lab.ids.request_id()), self.node,
                                DbHandle(self.db.database, None, self.node))

    def _report_state(self):
        if self.running:
            objects.Service.report_state(self._untraced_context(), self.service_ref.id)

    def start_periodic(self, interval, fn):
        """Run ``fn`` every ``interval`` seconds until stop (nova's periodic tasks);
        an interval of 0 or less never runs it (labkit/periodic.py)."""
        def task():
            if not self._stop.is_set():
                fn()
        self.lab.periodic.add(interval, task)

    def stop(self):
        self._stop.set()
        if self.rpcserver is not None:
            self.rpcserver.stop()

    # -- faults a lesson can switch on ----------------------------------------------
    def pause(self, paused=True):
        """Keep running but stop answering: calls time out, messages wait."""
        self.rpcserver.pause(paused)

    @property
    def running(self):
        return self.rpcserver is not None and self.rpcserver.running

    def restart(self):
        """Start consuming again after ``stop_consuming``: waiting casts are delivered."""
        if not self.running:
            with runtime.pinned(self.lab.cpu):      # on the lab's CPU, as at start
                self.rpcserver.start()

    def stop_consuming(self):
        """Take the service off the bus (a stopped process); its queue keeps messages."""
        self.rpcserver.stop()
