"""A whole control plane in one process: ``labkit.start()`` builds and wires it.

Real OpenStack runs each service as its own process (devstack starts them as
systemd units): keystone, glance, neutron and placement behind HTTP, nova-api
as a WSGI app, and nova-conductor, nova-scheduler and nova-compute as RPC
servers on a message bus.  A Lab starts the same components as threads of the
kernel, each with its own socket, bus queues and database, wired only by URLs
and topics — so every hop between them is a real HTTP request or RPC message.
"""
import importlib
import os
import threading
import time
from urllib.parse import urlsplit

from labkit import runtime
from labkit.config import Config, load_data
from labkit.ids import IdGenerator
from labkit.messaging import get_transport
from labkit.trace import Trace
from labkit.wsgi.server import WSGIServer

# (node, "module:Class") in start order; each class takes the Lab.
API_SERVICES = (
    ("keystone", "labkit.keystone.service:KeystoneService"),
    ("glance", "labkit.glance.service:GlanceService"),
    ("neutron", "labkit.neutron.service:NeutronService"),
    ("placement", "labkit.placement.service:PlacementService"),
    ("nova-api", "labkit.nova.api.openstack.compute.service:NovaAPIService"),
)
NODES = tuple(name for name, _ in API_SERVICES) + ("nova-conductor", "nova-scheduler")

_RUNNING = []   # labs started and not yet stopped (so a re-run cell can clean up)
_RUNNING_LOCK = threading.Lock()


def _host_port(url):
    """``("127.0.0.1", 0)`` (any free port) unless a URL gives both."""
    if not url:
        return "127.0.0.1", 0
    parts = urlsplit(url)
    return parts.hostname, parts.port


def _load(path):
    module, _, cls = path.partition(":")
    return getattr(importlib.import_module(module), cls)


class LabAccess:
    """What a learner reaches a lab by: URLs and credentials (embedded or multi-process)."""

    @property
    def auth_url(self):
        """The keystone v3 URL (``OS_AUTH_URL``)."""
        return self.endpoints["keystone"] + "/v3"

    @property
    def compute_url(self):
        return self.endpoints["nova-api"] + "/v2.1"

    def url(self, node):
        """The base URL of an API service node."""
        return self.endpoints[node]

    def credentials(self, user="demo"):
        """Keyword arguments for the labkit client or ``openstack.connect``."""
        users = {u["name"]: u for u in self.data["identities"]["users"]}
        return {"auth_url": self.auth_url, "username": user,
                "password": users[user]["password"], "project_name": users[user]["project"],
                "user_domain_name": "Default", "project_domain_name": "Default"}

    def os_environ(self, user="demo"):
        """The ``OS_*`` variables a shell needs to point the ``openstack`` CLI here."""
        c = self.credentials(user)
        return {"OS_AUTH_URL": c["auth_url"], "OS_AUTH_TYPE": "password",
                "OS_IDENTITY_API_VERSION": "3", "OS_USERNAME": c["username"],
                "OS_PASSWORD": c["password"], "OS_PROJECT_NAME": c["project_name"],
                "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
                "OS_REGION_NAME": self.data["identities"]["region"], "OS_INTERFACE": "public"}

    def write_clouds_yaml(self, path):
        """Write a clouds.yaml with clouds ``labkit`` (demo) and ``labkit-admin`` (admin)."""
        from labkit.cli import clouds_yaml
        text = clouds_yaml(self)
        with open(path, "w") as fh:
            fh.write(text)
        return path

    def wait_idle(self, quiet=0.1, timeout=10):
        """Wait until no new hop arrived for ``quiet`` seconds and no message waits in a
        queue (at most ``timeout`` seconds); True when the lab went quiet.

        A client sees ACTIVE as soon as the database says so, while nova-compute may
        still send its last messages; waiting first makes a printed trace complete.
        """
        deadline = time.monotonic() + timeout
        last, since = self.trace.last_seq(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.01)
            seq = self.trace.last_seq()
            if seq != last:
                last, since = seq, time.monotonic()
            elif time.monotonic() - since >= quiet and not any(self.queue_depths().values()):
                return True
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _start_or_stop(self, start, t0):
        """Run ``start()``; on any failure stop what started.  Then count as running."""
        try:
            start()
        except BaseException:
            self.stop()
            raise
        with _RUNNING_LOCK:
            _RUNNING.append(self)
        self.startup_seconds = time.perf_counter() - t0

    def _forget(self):
        with _RUNNING_LOCK:
            if self in _RUNNING:
                _RUNNING.remove(self)


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
        if not isinstance(computes, int) or computes < 1:
            raise ValueError("computes must be a whole number >= 1")
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
        self.data = {name: load_data(name, data_dir)
                     for name in ("identities", "flavors", "images", "networks", "hosts")}
        fmt = self.data["hosts"]["name_format"]
        self.hosts = [fmt.format(n=n) for n in range(1, computes + 1)]
        self.nodes = NODES + tuple(f"nova-compute@{h}" for h in self.hosts)
        unknown = sorted((self.only or set()) - set(self.nodes))
        if unknown:
            raise ValueError(f"no service {', '.join(unknown)}; services: {', '.join(self.nodes)}")
        self.stopped = False
        self._servers = {}
        self.services = {}
        self.databases = {}
        from labkit.faults import Faults
        from labkit.periodic import PeriodicRunner
        self.faults = Faults(self)
        # a service process of labkit.cluster is one service: the OS spreads those
        self.cpu = runtime.lab_cpu() if self.conf.pin_threads and self.only is None else None
        self._service_auths = {}
        if self.only is not None:
            from labkit.nova.rpc import register_handlers
            register_handlers(self.transport)
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
        for node, _ in API_SERVICES:           # bind every socket first: URLs are known
            if self.runs(node):
                host, port = _host_port(endpoints.get(node))
                self._servers[node] = WSGIServer(None, node, host, port)
        self.endpoints = dict(endpoints)
        self.endpoints.update({node: srv.url for node, srv in self._servers.items()})
        for node, path in API_SERVICES:
            if self.runs(node):
                service = self.services[node] = _load(path)(self)
                self._servers[node].app = service.app
                self._servers[node].start()

    def _start_rpc_services(self):
        from labkit.nova.compute.manager import ComputeService
        from labkit.nova.conductor.manager import ConductorService
        from labkit.nova.scheduler.manager import SchedulerService
        if self.runs("nova-conductor"):
            self.services["nova-conductor"] = ConductorService(self).start()
        if self.runs("nova-scheduler"):
            self.services["nova-scheduler"] = SchedulerService(self).start()
        for host in self.hosts:
            if self.runs(f"nova-compute@{host}"):
                self.services[f"nova-compute@{host}"] = ComputeService(self, host).start()

    # -- what a learner uses ---------------------------------------------------
    def compute(self, host):
        """The ComputeService of one host (for faults and inspection)."""
        return self.services[f"nova-compute@{host}"]

    def database(self, name, metadata):
        """The service database ``name`` (created on first use, shared after)."""
        from labkit.db import Database
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
        from labkit.keystone.auth import ServiceAuth
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


def start(computes=3, seed=None, exclusive=True, transport=None, **options):
    """Start a lab and return it.

    :param computes: how many nova-compute hosts (``compute-1`` ...).
    :param seed: make ids and choices repeatable (same seed, same hops).
    :param exclusive: first stop every lab this process started before, so
        re-running the notebook cell that starts a lab leaks nothing.  Pass
        ``False`` to run several labs side by side.
    :param transport: ``None`` runs the lab in this process on the in-memory
        bus; a broker URL (``rabbit://guest:guest@127.0.0.1:5672/``) runs each
        service as its own process on it (``labkit.cluster.Cluster``, which
        also takes ``run_dir=``).
    :param options: any ``labkit.config.Config`` option, e.g.
        ``shelved_offload_time=-1`` or ``virt_delays={"spawn": 1.0}``.
    """
    if exclusive:
        stop_all()
    if transport is not None and transport != "memory://":
        from labkit.cluster import Cluster
        return Cluster(computes=computes, seed=seed, transport=transport, **options)
    return Lab(computes=computes, seed=seed, **options)


def stop_all():
    """Stop every lab this process started (what a re-run notebook cell needs)."""
    with _RUNNING_LOCK:
        labs = list(_RUNNING)
    for lab in labs:
        lab.stop()
