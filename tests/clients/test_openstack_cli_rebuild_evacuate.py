"""Rebuild and evacuate with the unmodified ``openstack`` CLI, as an admin types them.

``server rebuild --wait`` (a new name and password, the image kept); nova's 400 for an
unknown key name (2.54+) reaches the CLI's error line.  Evacuate: refused (400) while the host is
up; then the host's nova-compute stops, ``compute service set --down`` (2.11+) forces it
down, and ``server evacuate`` (the CLI's newest microversion, so 2.95: the server ends
SHUTOFF on another host -- the CLI's ``--wait`` waits for ACTIVE, which a 2.95 evacuation
never reaches, so the test polls ``server show`` as a user would); ``--host`` names the
destination.  ``server migration list`` shows the evacuation, ``done`` until the source's
service comes back (restarted, ``--up``) and completes it.
"""
import json

from labkit.client import Client

from ._support import IMAGE_NAME

ADMIN = "labkit-admin"


def _json(proc):
    return json.loads(proc.stdout)


def _show(clients, name):
    return _json(clients.openstack("server", "show", "-f", "json", name, cloud=ADMIN))


def _wait(lab, server_id, status):
    """Poll the server over the API (a CLI call per poll would cost seconds each)."""
    return Client(lab, "admin").wait_for(server_id, status)[0]


def test_rebuild_with_the_cli(clients, lab):
    clients.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME,
                      "--network", "private", "--wait", "cli-rebuild")
    out = clients.openstack("server", "rebuild", "--image", IMAGE_NAME, "--name",
                            "cli-rebuilt", "--password", "n3w-pass", "--wait", "-f", "json",
                            "cli-rebuild").stdout
    assert out.startswith("Complete\n")                 # --wait's line, then the server
    rebuilt = json.loads(out[len("Complete\n"):])
    # the CLI prints the rebuild's answer (status REBUILD) once the server is ACTIVE again
    assert (rebuilt["name"], rebuilt["status"]) == ("cli-rebuilt", "REBUILD")
    assert Client(lab).show(rebuilt["id"])["status"] == "ACTIVE"
    events = _json(clients.openstack("server", "event", "list", "-f", "json", "cli-rebuilt"))
    assert [e["Action"] for e in events] == ["rebuild", "create"]
    # (the CLI itself refuses a server that is not ACTIVE, SHUTOFF or ERROR, before
    # nova's 409 could answer; a bad key name is nova's to refuse)
    refused = clients.openstack("server", "rebuild", "--image", IMAGE_NAME, "--key-name",
                                "no-such-key", "cli-rebuilt", check=False)
    assert refused.returncode == 1
    assert "Invalid key_name provided." in refused.stderr and "400" in refused.stderr
    clients.openstack("server", "delete", "--wait", "cli-rebuilt")


def test_evacuate_with_the_cli(clients, lab):
    created = _json(clients.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                      IMAGE_NAME, "--network", "private", "--wait", "-f",
                                      "json", "cli-evacuate", cloud=ADMIN))
    server_id, source = created["id"], created["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in lab.hosts if h != source)
    refused = clients.openstack("server", "evacuate", "cli-evacuate", cloud=ADMIN,
                                check=False)
    assert refused.returncode == 1
    assert f"Compute service of {source} is still in use." in refused.stderr
    lab.faults.stop_service(f"nova-compute@{source}")
    clients.openstack("compute", "service", "set", "--down", source, "nova-compute",
                      cloud=ADMIN)
    try:
        clients.openstack("server", "evacuate", "--host", dest, "cli-evacuate", cloud=ADMIN)
        _wait(lab, server_id, "SHUTOFF")
        shown = _show(clients, "cli-evacuate")
        assert (shown["OS-EXT-SRV-ATTR:host"], shown["OS-EXT-STS:task_state"]) == (dest, None)
        (migration,) = _json(clients.openstack("server", "migration", "list", "--server",
                                               "cli-evacuate", "-f", "json", cloud=ADMIN))
        assert (migration["Type"], migration["Status"], migration["Source Compute"],
                migration["Dest Compute"]) == ("evacuation", "done", source, dest)
    finally:
        lab.restart_compute_service(source)
        clients.openstack("compute", "service", "set", "--up", source, "nova-compute",
                          cloud=ADMIN)
    lab.wait_idle()
    (migration,) = _json(clients.openstack("server", "migration", "list", "--server",
                                           "cli-evacuate", "-f", "json", cloud=ADMIN))
    assert migration["Status"] == "completed"
    clients.openstack("server", "delete", "--wait", "cli-evacuate", cloud=ADMIN)
