"""The unmodified ``openstack`` CLI against the multi-process lab over RabbitMQ.

``python -m labkit up --transport rabbit://...`` prints the same exports and
writes the same clouds.yaml as the embedded lab, so the same commands work;
Ctrl-C (SIGTERM) takes every service process down with it.
"""
import json
import os
import re
import signal

from ._support import IMAGE_NAME


def _json(proc):
    return json.loads(proc.stdout)


def test_server_life_through_service_processes(up_rabbit):
    pids = {m.group(1): int(m.group(2))
            for m in re.finditer(r"^\s+(\S+)\s+pid (\d+)$", up_rabbit.output, re.M)}
    assert set(pids) == {"keystone", "glance", "neutron", "placement", "nova-api",
                         "nova-conductor", "nova-scheduler", "nova-compute@compute-1",
                         "nova-compute@compute-2"}
    assert all(os.path.exists(f"/proc/{pid}") for pid in pids.values())

    created = _json(up_rabbit.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                        IMAGE_NAME, "--network", "private", "--wait",
                                        "-f", "json", "mp"))
    assert created["status"] == "ACTIVE"          # (what --wait waited for) on a compute process:
    assert created["addresses"]["private"][0].startswith("192.168.1.")
    assert created["OS-EXT-STS:power_state"] == 1                # RUNNING
    up_rabbit.openstack("server", "shelve", "--wait", "mp")
    shown = _json(up_rabbit.openstack("server", "show", "-f", "json", "mp"))
    assert shown["status"] == "SHELVED_OFFLOADED"
    up_rabbit.openstack("server", "unshelve", "--wait", "mp")
    up_rabbit.openstack("server", "delete", "--wait", "mp")

    up_rabbit.proc.send_signal(signal.SIGTERM)
    up_rabbit.proc.communicate(timeout=30)
    assert up_rabbit.proc.returncode == 0
    assert not [n for n, pid in pids.items() if os.path.exists(f"/proc/{pid}")]
