"""One service in its own OS process: ``python -m labkit service <node> --config lab.json``.

Real OpenStack: each service's console script (``nova-compute``,
``nova-conductor`` ... in nova/cmd/) reads its config, builds the service and
runs until signalled.  Here the process builds the part of one ``Lab`` named
by ``node`` (``keystone``, ``nova-api``, ``nova-conductor``,
``nova-compute@compute-2`` ...) on the configured transport, forwards its hops
to the trace exchange, writes ``<node>.ready`` beside the config, and runs
until SIGTERM (or until the process that started it goes away).
"""
import os
import signal
import threading

from labkit.cluster import config as lab_config
from labkit.cluster.tracebus import TracePublisher
from labkit.lab import Lab


def ready_path(config_path, node):
    return os.path.join(os.path.dirname(os.path.abspath(config_path)), f"{node}.ready")


def run(config_path, node, parent_pid=None):
    conf = lab_config.read(config_path)
    lab = Lab(conf["computes"], conf["seed"], conf.get("data_dir"),
              transport=conf["transport_url"], only=[node],
              endpoints=conf["endpoints"], db_dir=conf["db_dir"],
              trace_epoch=conf["trace_epoch"], **conf["options"])
    publisher = TracePublisher(lab.trace, lab.transport)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with open(ready_path(config_path, node), "w") as fh:
        fh.write(str(os.getpid()))
    print(f"{node} ready (pid {os.getpid()})", flush=True)
    while not done.wait(1):
        if parent_pid and os.getppid() != parent_pid:    # the launcher is gone: so are we
            break
    publisher.close()
    lab.stop()
    try:
        os.unlink(ready_path(config_path, node))
    except OSError:
        pass
    return 0
