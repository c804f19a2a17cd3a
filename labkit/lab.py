"""A whole control plane in one process: ``labkit.start()`` builds and wires it.

Real OpenStack runs each service as its own process (devstack starts them as
systemd units): keystone, glance, neutron and placement behind HTTP, nova-api
as a WSGI app, and nova-conductor, nova-scheduler and nova-compute as RPC
servers on a message bus.  A Lab starts the same components as threads of the
kernel, each with its own socket, bus queues and database, wired only by URLs
and topics — so every hop between them is a real HTTP request or RPC message.
"""
import os
import time
from urllib.parse import urlsplit

from labkit import deploy, runtime
from labkit.config import Config
from labkit.db import Database
from labkit.deploy import LabAccess
from labkit.faults import Faults
from labkit.ids import IdGenerator
from labkit.keystone.auth import ServiceAuth
from labkit.messaging import get_transport
from labkit.nova import service as nova_service
from labkit.periodic import PeriodicRunner
from labkit.trace import Trace
from labkit.wsgi.server import WSGIServer


def _host_port(url):
    """``("127.0.0.1", 0)`` (any free port) unless a URL gives both."""
    if not url:
        return "127.0.0.1", 0
    parts = urlsplit(url)
    return parts.hostname, parts.port


class Lab(LabAccess):
    """A running mini OpenStack.  Use ``labkit.start()`` to make one.

    The keyword-only arguments serve ``labkit.cluster``, where each OS process
    runs a part of one lab: ``only`` names the services this process runs,
    ``endpoints`` gives every API service's URL, ``transport`` is the bus URL,
    ``db_dir`` holds the SQLite files the processes share, and ``trace_epoch``
    is the wall-clock zero of every process's trace.
    """

    def __init__(self, computes=3, seed=None, data_dir=None, *, transport=None, only=None,
                 endpoints=None, db_dir=None, trace_epoch=None, **options):
        t0 = time.perf_counter()
        self.conf = Config.from_options(options)
        self.seed = seed
        self.only = frozenset(only) if only else None
        self.db_dir = db_dir
        self.ids = IdGenerator(seed if seed is None or self.only is None
                               else f"{seed}/{'+'.join(sorted(self.only))}")
        self.trace = Trace(enabled=self.conf.trace) if trace_epoch is None else \
            Trace(enabled=self.conf.trace, clock=time.time, t0=trace_epoch, retain=False)
        self.transport = get_transport(transport)
        self.data = deploy.lab_data(data_dir)
        self.hosts = deploy.host_names(self.data, computes)
        self.nodes = deploy.all_nodes(self.hosts)
        unknown = sorted((self.only or set()) - set(self.nodes))
        if unknown:
            raise ValueError(f"no service {', '.join(unknown)}; services: {', '.join(self.nodes)}")
        self.stopped = False
        self._servers = {}
        self.services = {}
        self.databases = {}
        self.faults = Faults(self)
        # a service process of labkit.cluster is one service: the OS spreads those
        self.cpu = runtime.lab_cpu() if self.conf.pin_threads and self.only is None else None
        self._service_auths = {}
        if self.only is not None:
            nova_service.register_handlers(self.transport)
        with runtime.pinned(self.cpu):        # every thread the lab starts stays on one CPU
            self.periodic = PeriodicRunner()
            self._start_or_stop(lambda: (self._start_api_services(endpoints or {}),
                                         self._start_rpc_services()), t0)
        if self.conf.gc_freeze:              # what lives now lives as long as the lab
            runtime.freeze_heap()

    def runs(self, node):
        """Whether this process runs ``node`` (always, for an embedded lab)."""
        return self.only is None or node in self.only

    def _start_api_services(self, endpoints):
        for node in deploy.API_NODES:          # bind every socket first: URLs are known
            if self.runs(node):
                host, port = _host_port(endpoints.get(node))
                self._servers[node] = WSGIServer(None, node, host, port)
        self.endpoints = dict(endpoints)
        self.endpoints.update({node: srv.url for node, srv in self._servers.items()})
        for node, path in deploy.API_SERVICES:
            if self.runs(node):
                service = self.services[node] = deploy.load(path)(self)
                self._servers[node].app = service.app
                self._servers[node].start()

    def _start_rpc_services(self):
        for binary in deploy.RPC_SERVICES:
            if self.runs(binary):
                self.services[binary] = nova_service.Service.create(self, binary).start()
        for host in self.hosts:
            node = deploy.compute_node(host)
            if self.runs(node):
                self.services[node] = nova_service.Service.create(self, "nova-compute",
                                                                  host).start()

    # -- what a learner uses ---------------------------------------------------
    def compute(self, host):
        """The nova-compute service of one host (for faults and inspection)."""
        return self.services[deploy.compute_node(host)]

    def restart_compute_service(self, host, keep_hypervisor_state=True):
        """Stop one host's nova-compute and start a new one in its place, which runs
        init_host (guests evacuated away meanwhile are destroyed and their allocations
        here dropped; unfinished work is taken up) and reports its node again.

        ``keep_hypervisor_state``: the new service finds the guests the old one's
        hypervisor ran (the service restarted, not the machine).  The node keeps its
        uuid, as nova-compute keeps it on disk (the ``compute_id`` file).
        Real nova: nova/test.py:TestCase.restart_compute_service.
        """
        node = deploy.compute_node(host)
        old = self.services[node]
        old.stop()
        new = nova_service.Service.create(self, "nova-compute", host)
        new.manager.node_uuid = old.manager.node_uuid
        if keep_hypervisor_state:
            new.manager.driver.instances = old.manager.driver.instances
            new.manager.driver.console_logs = old.manager.driver.console_logs
        new.service_ref = old.service_ref          # a known service: init_host has work
        self.trace.record("fault", node, node, "restart_compute_service", None,
                          payload={"keep_hypervisor_state": keep_hypervisor_state})
        with runtime.pinned(self.cpu):
            self.services[node] = new.start()
        return new

    def database(self, name, metadata):
        """The service database ``name`` (created on first use, shared after)."""
        if name not in self.databases:
            path = None if self.db_dir is None else os.path.join(self.db_dir, f"{name}.sqlite")
            self.databases[name] = Database(metadata, name, path)
        return self.databases[name]

    def service_auth(self, username, node):
        """The shared token of a service user (nova's [placement]/[neutron] credentials).

        Every nova service of the lab shares one ``nova`` token, as the processes of
        one host share a keystoneauth cache would not — but a thousand compute hosts
        asking keystone for a thousand tokens at start-up teaches nothing.
        """
        if username not in self._service_auths:
            self._service_auths[username] = ServiceAuth(self, node, username)
        return self._service_auths[username]

    def queue_depths(self):
        """Messages waiting per bus queue (``rabbitmqctl list_queues`` for this bus)."""
        return self.transport.queue_depths()

    # -- lifecycle ---------------------------------------------------------------
    def stop(self):
        """Stop every service thread and close every socket; safe to call twice."""
        if self.stopped:
            return
        self.stopped = True
        self.faults.cancel_timers()
        self.periodic.stop()
        for node in reversed(list(self.services)):
            service = self.services[node]
            if hasattr(service, "stop"):
                try:
                    service.stop()
                except Exception:
                    pass
        for server in self._servers.values():
            server.stop()
        for auth in self._service_auths.values():
            auth.close()
        self.trace.close()
        self.transport.cleanup()
        for database in self.databases.values():
            database.close()
        if self.conf.gc_freeze:
            runtime.thaw_heap()
        self._forget()

    def __repr__(self):
        state = "stopped" if self.stopped else "running"
        return (f"<Lab {state}: {len(self.hosts)} compute hosts, "
                f"keystone at {self.auth_url}>")

