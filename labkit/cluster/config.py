"""``lab.json``: everything a service process needs to join one lab.

The launcher writes it; ``python -m labkit service <node> --config lab.json``
reads it.  It is the labkit form of the ``nova.conf`` each real service reads:
``transport_url`` ([DEFAULT]), the API endpoints (keystone's catalog and
``[placement]``/``[glance]``/``[neutron]`` sections), the database location
(``[database] connection``) and the options of ``labkit.config.Config``.
To run services on several machines, copy the file to each and change the
endpoint and transport addresses (docs/multi-host.md).
"""
import json
import os
import socket

from labkit.deploy import API_NODES


def free_port(host="127.0.0.1"):
    """A port the OS calls free now (the service binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def make(computes, seed, transport_url, run_dir, trace_epoch, options, host="127.0.0.1",
         data_dir=None):
    return {"computes": computes, "seed": seed, "transport_url": transport_url,
            "data_dir": os.path.abspath(data_dir) if data_dir else None,
            "endpoints": {node: f"http://{host}:{free_port(host)}" for node in API_NODES},
            "db_dir": os.path.abspath(run_dir), "trace_epoch": trace_epoch,
            "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}}


def write(config, path):
    with open(path, "w") as fh:
        json.dump(config, fh, indent=2)
    return path


def read(path):
    with open(path) as fh:
        return json.load(fh)
