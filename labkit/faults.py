"""Break the lab on purpose: failing hosts, stopped services, slow or lost messages.

Real OpenStack fails in these ways too, and nova's answers are what a lesson
shows: a build that fails on a host is rescheduled to an alternate
(compute/manager.py -> conductor build_instances), a call to a dead service
raises MessagingTimeout, a cast waits in its queue until the service is
back, a compute host whose heartbeat stops is skipped by ComputeFilter, a
failed shelve snapshot is rolled back, and so is a live migration whose
destination cannot get ready (compute/manager.py:_rollback_live_migration).

Faults are named (``fail_builds``, ``stop_service`` ...) and each one is
recorded in the trace as a ``fault`` event, so the player shows it.  Host
faults swap the host's fake hypervisor for a named failing subclass
(nova/virt/fake.py keeps such subclasses too), not a flag.
"""
import json
import threading

from labkit.nova.virt import fake


class Faults:
    """``lab.faults``: switch faults on and off while the lab runs."""

    def __init__(self, lab):
        self.lab = lab
        self.active = []                 # human-readable descriptions of what is on
        self._timers = set()
        self._lock = threading.Lock()
        self._interceptors = []

    # -- bookkeeping ----------------------------------------------------------------
    def _record(self, name, node, **payload):
        self.lab.trace.record("fault", node, node, name, None, payload=payload or None)

    def _note(self, text, name, node, **payload):
        with self._lock:
            self.active.append(text)
        self._record(name, node, **payload)

    def _service(self, node):
        try:
            return self.lab.services[node]
        except KeyError:
            raise ValueError(f"no service {node!r}; services: "
                             f"{', '.join(s for s in self.lab.services)}") from None

    # -- hosts ----------------------------------------------------------------------
    def _swap_driver(self, host, cls):
        manager = self.lab.compute(host).manager
        old = manager.driver
        new = cls(old.host, old.resources, old.delays, old.image_api)
        new.instances = old.instances
        manager.driver = manager.rt.driver = new
        if isinstance(old, fake.FakeLiveMigrateDriver):
            old.live_migration_force_complete(None)     # a held migration goes on now
        return new

    def fail_builds(self, host):
        """Every spawn on ``host`` fails: nova reschedules to the next alternate.  Each
        failed spawn is recorded as well, a ``spawn_failed`` fault in the build's request."""
        node = f"nova-compute@{host}"

        def failed(context, instance, error):
            self.lab.trace.record("fault", node, node, "spawn_failed", context.trace_id,
                                  payload={"instance": instance.uuid, "error": str(error)})
        self._swap_driver(host, fake.FakeBuildFailDriver).on_failure = failed
        self._note(f"builds fail on {host}", "fail_builds", node)

    def fail_snapshots(self, host):
        """Snapshots on ``host`` fail: a shelve rolls back to ACTIVE with a fault."""
        self._swap_driver(host, fake.FakeSnapshotFailDriver)
        self._note(f"snapshots fail on {host}", "fail_snapshots", f"nova-compute@{host}")

    def fail_live_migrations(self, host):
        """Live migrations *to* ``host`` fail in pre_live_migration: the source rolls
        back (allocations moved back, migration ``failed``, the server ACTIVE there)."""
        self._swap_driver(host, fake.FakeLiveMigrationFailDriver)
        self._note(f"live migrations to {host} fail", "fail_live_migrations",
                   f"nova-compute@{host}")

    def incompatible_cpu(self, host):
        """``host`` refuses live migrations in check_can_live_migrate_destination
        (InvalidCPUInfo): the conductor drops it and asks the scheduler again."""
        self._swap_driver(host, fake.FakeIncompatibleCPUDriver)
        self._note(f"{host} refuses live migrations (CPU)", "incompatible_cpu",
                   f"nova-compute@{host}")

    def hold_live_migrations(self, host, seconds=5.0):
        """Live migrations *from* ``host`` run until force_complete or abort (at most
        ``seconds``), so the API's calls on a running migration can be tried."""
        self._swap_driver(host, fake.FakeLiveMigrateDriver)
        self.lab.compute(host).manager.driver.hold = seconds
        self._note(f"live migrations from {host} wait", "hold_live_migrations",
                   f"nova-compute@{host}", seconds=seconds)

    def fail_resize_claims(self, host):
        """``host`` has filled up: a resize or cold migration that the scheduler sends
        there fails its claim in prep_resize, and nova-compute hands it back to the
        conductor for the next alternate host (_reschedule_resize_or_reraise).
        NOTE(labkit): the hypervisor reports no free memory and labkit's claim tests
        memory; nova 34's claim tests NUMA topology and PCI devices
        (nova/compute/claims.py:Claim._claim_test), so this is the lab's stand-in."""
        self._swap_driver(host, fake.FakeFullHostDriver)
        self._note(f"resize claims fail on {host}", "fail_resize_claims",
                   f"nova-compute@{host}")

    def heal(self, host):
        """Give ``host`` a working hypervisor again."""
        self._swap_driver(host, fake.FakeDriver)
        self._record("heal", f"nova-compute@{host}")

    # -- services -----------------------------------------------------------------------
    def stop_service(self, node):
        """Take a nova service off the bus, as if its process died.

        Casts to it wait in its queue; calls to it time out; a compute host
        stops sending heartbeats, so after ``service_down_time`` the scheduler
        skips it.
        """
        self._service(node).stop_consuming()
        self._note(f"{node} stopped", "stop_service", node)

    def start_service(self, node):
        """Bring a stopped service back: it consumes what waited in its queue."""
        self._service(node).restart()
        self._record("start_service", node)

    def pause_service(self, node):
        """Keep the service on the bus but make it stop answering (a hung process)."""
        self._service(node).pause(True)
        self._note(f"{node} unresponsive", "pause_service", node)

    def resume_service(self, node):
        self._service(node).pause(False)
        self._record("resume_service", node)

    # -- messages -------------------------------------------------------------------------
    def _matches(self, wire, method, topic, routing_key):
        if topic is not None and not (routing_key == topic or routing_key.startswith(topic + ".")):
            return None
        try:
            msg = json.loads(json.loads(wire)["oslo.message"])
        except (ValueError, KeyError, TypeError):
            return None
        if method is not None and msg.get("method") != method:
            return None
        return msg

    def delay(self, seconds, method=None, topic=None):
        """Hold matching RPC messages on the bus for ``seconds`` before delivering them."""
        def interceptor(exchange, routing_key, wire, fanout):
            msg = self._matches(wire, method, topic, routing_key)
            if msg is None or "method" not in msg:
                return wire
            self.lab.trace.record("fault", "message-bus", "message-bus", "delayed",
                                  msg.get("_context_global_request_id") or
                                  msg.get("_context_request_id"),
                                  payload={"method": msg["method"], "seconds": seconds,
                                           "routing_key": routing_key})
            timer = threading.Timer(seconds, self._release,
                                    (exchange, routing_key, wire, fanout))
            timer.daemon = True
            with self._lock:
                self._timers.add(timer)
            timer.start()
            return None
        self._add(interceptor)
        self._note(f"messages{' for ' + method if method else ''} delayed {seconds}s",
                   "delay", "message-bus", method=method, seconds=seconds)

    def _release(self, exchange, routing_key, wire, fanout):
        with self._lock:
            self._timers = {t for t in self._timers if t.is_alive()
                            and t is not threading.current_thread()}
        if not self.lab.stopped:
            self.lab.transport.publish(exchange, routing_key, wire, fanout, intercept=False)

    def drop(self, method, count=1, topic=None):
        """Lose the next ``count`` RPC messages for ``method`` (a broker losing messages)."""
        left = [count]

        def interceptor(exchange, routing_key, wire, fanout):
            if left[0] <= 0:
                return wire
            msg = self._matches(wire, method, topic, routing_key)
            if msg is None or "method" not in msg:
                return wire
            left[0] -= 1
            self.lab.trace.record("fault", "message-bus", "message-bus", "dropped",
                                  msg.get("_context_global_request_id") or
                                  msg.get("_context_request_id"),
                                  payload={"method": method, "routing_key": routing_key})
            return None
        self._add(interceptor)
        self._note(f"next {count} {method} message(s) dropped", "drop", "message-bus",
                   method=method, count=count)

    def _add(self, interceptor):
        self._interceptors.append(interceptor)
        self.lab.transport.interceptors.append(interceptor)

    # -- all at once ------------------------------------------------------------------------
    def clear(self):
        """Switch every fault off: hosts healed, services back, messages flowing."""
        for interceptor in self._interceptors:
            if interceptor in self.lab.transport.interceptors:
                self.lab.transport.interceptors.remove(interceptor)
        self._interceptors = []
        for node, service in self.lab.services.items():
            if node.startswith("nova-compute@"):
                if type(service.manager.driver) is not fake.FakeDriver:
                    self.heal(service.host)
            if hasattr(service, "rpcserver") and service.rpcserver is not None:
                service.pause(False)
                service.restart()
        with self._lock:
            self.active = []
        self._record("clear", "message-bus")

    def cancel_timers(self):
        """Forget held messages (``Lab.stop`` calls this, so no timer outlives the lab)."""
        with self._lock:
            timers, self._timers = self._timers, set()
        for timer in timers:
            timer.cancel()

    def __repr__(self):
        return f"<Faults: {', '.join(self.active) or 'none'}>"
