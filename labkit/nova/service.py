"""A nova service process: an RPC server around one manager.

Real nova: nova/service.py — ``Service.create(binary=...)`` picks the manager
class from ``SERVICE_MANAGERS``; ``start()`` calls the manager's ``init_host``,
registers the service in the services table, calls ``pre_start_hook``, starts
the RPC server on ``Target(topic, server=host)`` with the manager (and its
``additional_endpoints``) as endpoints, then reports state and runs the
manager's periodic tasks.  nova-compute has no database: nova/cmd/compute.py
makes the conductor its objects' ``indirection_api`` before it starts.  Since
nova 33 (2026.1) nova-compute runs a second RPC server, on topic ``compute-alt``, with
the same endpoints (``topic_alt``): a graceful shutdown stops the first and
keeps the second, so moves under way can finish.
"""
import importlib
import threading

from labkit import runtime
from labkit.context import get_admin_context
from labkit.messaging import Target
from labkit.common.reflection import get_callable_name
from labkit.messaging.server import dispatch_table
from labkit.nova import objects, rpc
from labkit.nova.compute import rpcapi as compute_rpcapi
from labkit.nova.conductor import rpcapi as conductor_rpcapi
# NOTE(labkit): the database connection only (DbHandle, the tables' metadata), as
# nova/config.py:parse_args configures nova/db/main/api.py's context manager at
# start; the services' own rows are read and written through objects.Service.
from labkit.nova.db import models
from labkit.nova.db.api import DbHandle

SERVICE_MANAGERS = {
    "nova-compute": "labkit.nova.compute.manager.ComputeManager",
    "nova-conductor": "labkit.nova.conductor.manager.ConductorManager",
    "nova-scheduler": "labkit.nova.scheduler.manager.SchedulerManager",
}
# NOTE(labkit): RPC worker threads per service ([conductor] workers and [scheduler]
# workers are nova's process counts; labkit runs threads, see labkit/messaging/server.py)
WORKERS = {"nova-compute": "compute_workers", "nova-conductor": "conductor_workers",
           "nova-scheduler": "scheduler_workers"}
# the second RPC server's topic (nova/cmd/compute.py: topic_alt=RPC_TOPIC_ALT)
TOPIC_ALT = {"nova-compute": compute_rpcapi.RPC_TOPIC_ALT}


def _load_manager(binary):
    module, _, cls = SERVICE_MANAGERS[binary].rpartition(".")
    return getattr(importlib.import_module(module), cls)


def register_handlers(transport):
    """Name, for every nova RPC method, the manager function that handles it.

    In one process each RPC server fills ``transport.handlers`` as it starts; a
    service process must also name the handlers of services that run in other
    processes, so that its cast and call hops say which function they reach.
    The table comes from the manager classes, as the dispatcher's does from
    the endpoint objects.
    """
    for binary in SERVICE_MANAGERS:
        manager = _load_manager(binary)
        module = importlib.import_module(manager.__module__)
        for cls in [manager] + [getattr(module, name) for name in manager.ENDPOINT_CLASSES]:
            topics = [cls.target.topic] + ([TOPIC_ALT[binary]] if binary in TOPIC_ALT else [])
            for (namespace, name), fn in dispatch_table([cls]).items():
                for topic in topics:
                    transport.handlers.setdefault((topic, namespace, name),
                                                  get_callable_name(fn))


class Service:
    """One nova-compute host, the nova-conductor or the nova-scheduler of a lab."""

    def __init__(self, lab, host, binary, topic, manager, node):
        self.lab, self.host, self.binary, self.topic, self.node = lab, host, binary, topic, node
        self.manager = manager
        self.workers = getattr(lab.conf, WORKERS[binary])
        if binary == "nova-compute":      # nova/cmd/compute.py: no database, objects remote
            self.db, self.indirection_api = None, conductor_rpcapi.ConductorAPI(lab, node)
        else:
            self.db = DbHandle(lab.database("nova", models.metadata), lab.trace, node)
            self.indirection_api = None
        self.service_ref = None
        self.rpcserver = self.rpcserver_alt = None
        self.topic_alt = TOPIC_ALT.get(binary)
        self._stop = threading.Event()

    @classmethod
    def create(cls, lab, binary, host=None):
        """The service ``binary`` (``nova-compute`` on ``host``), with its manager."""
        topic = binary.partition("-")[2]
        host = host or topic
        node = f"{binary}@{host}" if binary == "nova-compute" else binary
        return cls(lab, host, binary, topic, _load_manager(binary)(lab, host, node), node)

    def context_factory(self):
        return rpc.make_context_factory(self.node, self.db, self.indirection_api)

    def admin_context(self):
        """A fresh admin context for this service's own work (start-up, periodic tasks).

        NOTE(labkit): the conductor's and scheduler's own registration and heartbeats
        are not recorded in the trace (a DbHandle without one), which follows requests;
        nova-compute's go through the conductor, so they are RPC hops like any other.
        """
        db = None if self.db is None else DbHandle(self.db.database, None, self.node)
        return rpc.bind_context(get_admin_context(self.lab.ids.request_id()), self.node, db,
                                self.indirection_api)

    def start(self):
        ctxt = self.admin_context()
        self.manager.init_host(ctxt, self.service_ref)
        self.service_ref = objects.Service.create_or_get(ctxt, self.host, self.binary,
                                                         self.topic)
        self.manager.pre_start_hook(ctxt, self.service_ref)
        target = Target(self.topic, server=self.host if self.binary == "nova-compute" else None)
        endpoints = [self.manager] + self.manager.additional_endpoints
        self.rpcserver = rpc.get_server(self.lab, self.node, target, endpoints,
                                        self.context_factory(), workers=self.workers)
        self.rpcserver.start()
        if self.topic_alt is not None:
            self.rpcserver_alt = rpc.get_server(
                self.lab, self.node, Target(self.topic_alt, server=self.host), endpoints,
                self.context_factory(), workers=self.workers)
            self.rpcserver_alt.start()
        self.start_periodic(self.lab.conf.report_interval, self.report_state)
        for spacing, task in self.manager.periodic_tasks():
            self.start_periodic(spacing, lambda task=task: task(self.admin_context()))
        return self

    def report_state(self):
        """The heartbeat a service is judged up by: one more report_count, saved (the
        database stamps last_seen_up).  Real nova: servicegroup/drivers/db.py:_report_state,
        on the service_ref made at start, whose context (and request id) every heartbeat
        shares."""
        self.service_ref.report_count += 1
        self.service_ref.save()

    def start_periodic(self, interval, fn):
        """Run ``fn`` every ``interval`` seconds while the service runs (nova's periodic
        tasks); an interval of 0 or less never runs it (labkit/periodic.py)."""
        def task():
            if not self._stop.is_set() and self.running:
                fn()
        self.lab.periodic.add(interval, task)

    def _rpcservers(self):
        return [s for s in (self.rpcserver, self.rpcserver_alt) if s is not None]

    def stop(self):
        self._stop.set()
        for server in self._rpcservers():
            server.stop()
        self.manager.cleanup_host()

    # -- faults a lesson can switch on ----------------------------------------------
    def pause(self, paused=True):
        """Keep running but stop answering: calls time out, messages wait."""
        for server in self._rpcservers():
            server.pause(paused)

    @property
    def running(self):
        return self.rpcserver is not None and self.rpcserver.running

    def restart(self):
        """Start consuming again after ``stop_consuming``: waiting casts are delivered."""
        with runtime.pinned(self.lab.cpu):      # on the lab's CPU, as at start
            for server in self._rpcservers():
                if not server.running:
                    server.start()

    def stop_consuming(self):
        """Take the service off the bus (a stopped process); its queues keep messages."""
        for server in self._rpcservers():
            server.stop()
