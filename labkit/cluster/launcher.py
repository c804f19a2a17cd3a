"""Start, watch, kill and restart a lab's service processes (``labkit.cluster.Cluster``).

Real OpenStack: devstack's ``stack.sh`` starts each service as a systemd unit
(``systemctl restart devstack@n-cpu`` restarts one).  A ``Cluster`` does the
same for one lab, in three waves as devstack orders them: the API services
(keystone, glance, neutron, placement, nova-api), then nova-conductor and
nova-scheduler, then the nova-compute hosts — each wave ready before the
next, because a compute host registers with placement and the conductor as
it starts.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from labkit.cluster import config as lab_config
from labkit.cluster.process import ready_path
from labkit.cluster.tracebus import TraceCollector
from labkit import deploy
from labkit.config import Config
from labkit.deploy import LabAccess
from labkit.messaging import get_transport
from labkit.trace import Trace

DEFAULT_TRANSPORT_URL = "rabbit://guest:guest@127.0.0.1:5672/"
READY_TIMEOUT = 60.0


class ServiceProcessError(RuntimeError):
    """A service process exited or never became ready; the message ends with its log."""


def _check_broker(url):
    """A clear error before anything starts: no broker URL, or nobody answering there."""
    if not isinstance(url, str) or url.split("://", 1)[0] not in ("rabbit", "amqp"):
        raise ValueError(f"separate service processes need a broker URL such as "
                         f"{DEFAULT_TRANSPORT_URL}, not {url!r} (labkit.start() without "
                         "transport= runs the lab in this process)")
    from labkit.messaging.impl_rabbit import broker_available
    if not broker_available(url):
        raise ConnectionError(f"no RabbitMQ broker answers at {url}: start one with "
                              "`tools/rabbitmq.sh start` (or give the URL of a running one)")


class Cluster(LabAccess):
    """A lab whose services are OS processes talking through a real broker.

    It offers what notebooks use of an embedded ``Lab`` — ``auth_url``,
    ``credentials()``, ``os_environ()``, ``write_clouds_yaml()``, ``trace``,
    ``hosts``, ``queue_depths()``, ``stop()`` — plus ``kill(node)`` and
    ``restart(node)``, the faults only separate processes can have.
    """

    def __init__(self, computes=3, seed=None, transport=DEFAULT_TRANSPORT_URL, run_dir=None,
                 data_dir=None, host="127.0.0.1", **options):
        t0 = time.perf_counter()
        deploy.host_names(deploy.lab_data(data_dir), computes)   # a wrong count fails here
        Config.from_options(options)                      # a wrong option fails here, once
        _check_broker(transport)
        self._own_run_dir = run_dir is None
        run_dir = tempfile.mkdtemp(prefix="labkit-") if run_dir is None else run_dir
        os.makedirs(run_dir, exist_ok=True)
        conf = lab_config.make(computes, seed, transport, run_dir, time.time(), options, host,
                               data_dir)
        self._attach(conf, lab_config.write(conf, os.path.join(run_dir, "lab.json")))
        waves = deploy.start_waves(self.hosts)
        self._start_or_stop(lambda: [self._claim_queues()] + [self._start(w) for w in waves], t0)

    @classmethod
    def connect(cls, config_path):
        """Watch a lab whose services run elsewhere (docs/multi-host.md).

        Its URLs, credentials, queues and every hop, collected from the trace
        exchange; its processes belong to whoever started them.
        """
        self = cls.__new__(cls)
        self._own_run_dir = False
        self._attach(lab_config.read(config_path), config_path)
        self.startup_seconds = 0.0
        return self

    def _attach(self, conf, config_path):
        self.conf = Config.from_options(conf["options"])
        self.data = deploy.lab_data(conf.get("data_dir"))
        self.hosts = deploy.host_names(self.data, conf["computes"])
        self.nodes = deploy.all_nodes(self.hosts)
        self.config_path = os.path.abspath(config_path)
        self.run_dir = os.path.dirname(self.config_path)
        self.endpoints = conf["endpoints"]
        self.transport_url = conf["transport_url"]
        self.transport = get_transport(self.transport_url)
        self.trace = Trace(enabled=self.conf.trace, clock=time.time, t0=conf["trace_epoch"])
        self.processes = {}
        self.stopped = False
        self.collector = TraceCollector(self.trace, self.transport)

    def _nova_queues(self):
        # since nova 33: each nova-compute also serves the compute-alt topic (RPC_TOPIC_ALT)
        return (["conductor", "scheduler", "compute"] + [f"compute.{h}" for h in self.hosts]
                + ["compute-alt"] + [f"compute-alt.{h}" for h in self.hosts])

    def _claim_queues(self):
        """One lab per broker (or vhost): refuse a broker whose nova queues are in use.

        The queues are named by topic alone (``conductor``, ``compute.compute-1``),
        as oslo.messaging names them, so two labs on one broker would take each
        other's messages; real clouds keep deployments apart with vhosts.
        Messages a stopped lab left behind belong to no instance here: purged.
        """
        stats = self.transport.queue_stats(self._nova_queues())
        busy = sorted(name for name, (_, consumers) in stats.items() if consumers)
        if busy:
            raise ServiceProcessError(
                f"another lab already consumes {', '.join(busy)} on {self.transport_url}: stop "
                "it, or give this lab its own vhost (rabbit://user:password@host:5672/<vhost>)")
        self.transport.queue_stats(list(stats), purge=True)      # a stopped lab's leftovers

    # -- processes -------------------------------------------------------------------
    def _spawn(self, node):
        try:
            os.unlink(ready_path(self.config_path, node))
        except OSError:
            pass
        log = open(os.path.join(self.run_dir, f"{node}.log"), "ab")
        cmd = [sys.executable, "-m", "labkit", "service", node, "--config", self.config_path,
               "--parent-pid", str(os.getpid())]
        self.processes[node] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL,
                                                start_new_session=True)
        log.close()

    def _start(self, nodes):
        for node in nodes:
            self._spawn(node)
        deadline = time.monotonic() + READY_TIMEOUT
        waiting = list(nodes)
        while waiting:
            for node in list(waiting):
                if os.path.exists(ready_path(self.config_path, node)):
                    waiting.remove(node)
                elif self.processes[node].poll() is not None:
                    raise ServiceProcessError(f"{node} exited with code "
                                              f"{self.processes[node].returncode}:\n"
                                              f"{self.log(node, 20)}")
            if waiting and time.monotonic() > deadline:
                raise ServiceProcessError(f"{', '.join(waiting)} not ready after "
                                          f"{READY_TIMEOUT:.0f} s:\n{self.log(waiting[0], 20)}")
            if waiting:
                time.sleep(0.02)

    def _node(self, node):
        if node not in self.nodes:
            raise ValueError(f"no service {node!r}; services: {', '.join(self.nodes)}")
        if node not in self.processes:
            raise ValueError(f"{node} runs elsewhere: this Cluster did not start it")
        return node

    def pid(self, node):
        return self.processes[self._node(node)].pid

    def alive(self, node):
        """Whether ``node``'s process is running."""
        return self.processes[self._node(node)].poll() is None

    def kill(self, node, sig=signal.SIGKILL):
        """Kill ``node``'s process (``kill -9``): its calls time out, casts wait in its queue."""
        proc = self.processes[self._node(node)]
        if proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(timeout=10)
        try:
            os.unlink(ready_path(self.config_path, node))
        except OSError:
            pass
        self.trace.record("fault", node, node, "kill_process", None,
                          payload={"pid": proc.pid, "signal": signal.Signals(sig).name})

    def restart(self, node):
        """Start ``node``'s process again (killing it first if it runs); waits until ready."""
        if self.alive(node):
            self.kill(node, signal.SIGTERM)
        self._start([node])
        self.trace.record("fault", node, node, "start_process", None,
                          payload={"pid": self.processes[node].pid})

    def log(self, node, lines=50):
        """The last ``lines`` lines of ``node``'s log file."""
        try:
            with open(os.path.join(self.run_dir, f"{node}.log"), errors="replace") as fh:
                return "".join(fh.readlines()[-lines:])
        except OSError:
            return ""

    # -- what notebooks read ---------------------------------------------------------
    def queue_depths(self):
        """Messages waiting in each nova queue on the broker (``rabbitmqctl list_queues``)."""
        return self.transport.queue_depths(self._nova_queues())

    def rabbitmqctl(self, *args):
        """Run ``rabbitmqctl ARGS`` on this machine's broker and return what it prints.

        ``rabbitmqctl`` talks to the broker's Erlang node, which only root (or the
        rabbitmq user) may do; elsewhere this raises PermissionError saying so.
        """
        ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
        if not os.path.exists(ctl):
            raise FileNotFoundError("rabbitmqctl is not installed here (tools/rabbitmq.sh start)")
        if os.geteuid() != 0:
            raise PermissionError(f"rabbitmqctl needs root: sudo rabbitmqctl {' '.join(args)}")
        proc = subprocess.run([ctl, "-q", *args], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip() or f"rabbitmqctl exited {proc.returncode}")
        return proc.stdout

    def compute(self, host):
        raise TypeError("a Cluster's compute hosts are processes: use "
                        f"kill('nova-compute@{host}') and restart(...)")

    # -- lifecycle -------------------------------------------------------------------
    def stop(self):
        """Stop every process this cluster started (SIGTERM, then SIGKILL); safe twice."""
        if self.stopped:
            return
        self.stopped = True
        procs = [p for p in reversed(list(self.processes.values())) if p.poll() is None]
        for proc in procs:
            proc.terminate()
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.collector.close()
        self.trace.close()
        self.transport.cleanup()
        if self._own_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        self._forget()

    def __repr__(self):
        state = "stopped" if self.stopped else "running"
        return (f"<Cluster {state}: {len(self.processes)} service processes, "
                f"{len(self.hosts)} compute hosts, bus {self.transport_url}>")
