"""``python -m labkit up``: the same control plane in the foreground, for any client.

Prints the endpoints and ``export OS_*`` lines, writes a clouds.yaml with
clouds ``labkit`` (user demo) and ``labkit-admin`` (user admin), and runs
until Ctrl-C or SIGTERM.
"""
import argparse
import json
import os
import signal
import sys
import threading

import labkit
from labkit.cluster.process import run as run_service
from labkit.config import Config


def _option(text):
    """``NAME=VALUE`` from ``--set``: a text option's value as it is
    (``max_api_version=2.95``), any other's as JSON (``-1``, ``true``,
    ``{"spawn": 1.0}``), or as text when it is not JSON."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    field = Config.__dataclass_fields__.get(name)
    if field is not None and field.type in (str, "str"):
        return name, value
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def _up(args):
    options = dict(args.options)
    if args.run_dir:
        options["run_dir"] = args.run_dir
    try:
        lab = labkit.start(computes=args.computes, seed=args.seed, transport=args.transport,
                           **options)
    except (TypeError, ValueError) as exc:      # an unknown option, or a value it refuses
        print(f"python -m labkit up: error: {exc}", file=sys.stderr)
        return 2
    path = lab.write_clouds_yaml(args.clouds_yaml)
    print(f"labkit is up ({len(lab.hosts)} compute hosts, started in "
          f"{lab.startup_seconds * 1000:.0f} ms)")
    if args.transport:
        print(f"  one process per service, RPC over {args.transport}; "
              f"config and logs in {lab.run_dir}")
        for node, proc in lab.processes.items():
            print(f"  {node:<24} pid {proc.pid}")
    for node in ("keystone", "nova-api", "glance", "neutron", "placement"):
        print(f"  {node:<10} {lab.url(node)}")
    print(f"clouds.yaml written to {os.path.abspath(path)} (clouds: labkit, labkit-admin)")
    print("\n# paste into a shell to use the openstack CLI as user demo:")
    for key, value in lab.os_environ().items():
        print(f"export {key}={value}")
    print(f"# or: export OS_CLIENT_CONFIG_FILE={os.path.abspath(path)} OS_CLOUD=labkit")
    print("\nPress Ctrl-C to stop.", flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(1):
        pass
    lab.stop()
    print("labkit stopped.", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m labkit",
                                     description="Run a labkit OpenStack control plane.")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="run the control plane in the foreground")
    up.add_argument("--computes", type=int, default=3, help="compute hosts (default 3)")
    up.add_argument("--clouds-yaml", default="clouds.yaml",
                    help="where to write clouds.yaml (default ./clouds.yaml)")
    up.add_argument("--seed", type=int, default=None, help="repeatable ids")
    up.add_argument("--transport", default=None, metavar="URL",
                    help="run each service as its own process, RPC over this broker, e.g. "
                         "rabbit://guest:guest@127.0.0.1:5672/ (default: one process, "
                         "in-memory bus)")
    up.add_argument("--set", dest="options", type=_option, action="append", default=[],
                    metavar="NAME=VALUE",
                    help="a lab option, as labkit.start() takes it (nova's names, see "
                         "labkit/config.py), e.g. --set shelved_offload_time=-1 "
                         "--set 'virt_delays={\"spawn\": 1.0}'; repeatable")
    up.add_argument("--run-dir", default=None,
                    help="with --transport: where lab.json, databases and logs go "
                         "(default: a new temporary folder)")
    svc = sub.add_parser("service", help="run one service of a multi-process lab "
                                         "(see docs/multi-host.md)")
    svc.add_argument("node", help="keystone, glance, neutron, placement, nova-api, "
                                  "nova-conductor, nova-scheduler or nova-compute@<host>")
    svc.add_argument("--config", required=True, help="the lab.json the launcher wrote")
    svc.add_argument("--parent-pid", type=int, default=None,
                     help="exit when this process is gone (set by the launcher)")
    args = parser.parse_args(argv)
    if args.command == "service":
        return run_service(args.config, args.node, args.parent_pid)
    if args.computes < 1:
        parser.error("--computes must be at least 1")
    if args.run_dir and not args.transport:
        parser.error("--run-dir needs --transport")
    return _up(args)


if __name__ == "__main__":
    sys.exit(main())
