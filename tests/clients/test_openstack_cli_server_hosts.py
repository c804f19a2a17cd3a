"""The ``openstack`` CLI, unmodified: an admin puts a server on a host (and unshelves it
onto another), a user asks for too many properties, and the hypervisor list and
host_status follow the compute services.
"""
import json

from ._support import IMAGE_NAME


def _json(proc):
    return json.loads(proc.stdout)


def _create(clients, *args, cloud="labkit-admin", version=None, check=True):
    """``server create``; the CLI asks for its newest microversion unless ``version``."""
    pinned = ("--os-compute-api-version", version) if version else ()
    return clients.openstack(*pinned, "server", "create", "--flavor", "m1.nano", "--image",
                             IMAGE_NAME, *args, cloud=cloud, check=check)


def _states(clients):
    return {h["Hypervisor Hostname"]: h["State"] for h in _json(clients.openstack(
        "hypervisor", "list", "-f", "json", cloud="labkit-admin"))}


def test_server_create_on_a_host(clients):
    forced = _json(_create(clients, "--nic", "none", "--availability-zone", "nova:compute-2",
                           "--wait", "-f", "json", "on-compute-2"))
    assert (forced["OS-EXT-SRV-ATTR:host"], forced["status"]) == ("compute-2", "ACTIVE")
    assert forced["host_status"] == "UP"
    requested = _json(_create(clients, "--nic", "none", "--host", "compute-3", "--wait",
                              "-f", "json", "on-compute-3", version="2.74"))
    assert requested["OS-EXT-SRV-ATTR:host"] == "compute-3"
    unknown = _create(clients, "--nic", "none", "--host", "compute-9", "nowhere",
                      version="2.74", check=False)
    assert unknown.returncode != 0
    assert "400" in unknown.stderr and "Compute host compute-9 could not be found." in \
        unknown.stderr
    denied = _create(clients, "--network", "private", "--availability-zone", "nova:compute-1",
                     "mine", cloud="labkit", check=False)
    assert denied.returncode != 0 and "403" in denied.stderr
    assert "os_compute_api:servers:create:forced_host" in denied.stderr
    clients.openstack("server", "delete", "--wait", "on-compute-2", "on-compute-3",
                      cloud="labkit-admin")


def test_server_create_with_too_many_properties(clients):
    properties = [arg for i in range(129) for arg in ("--property", f"k{i}=v")]
    refused = _create(clients, "--network", "private", *properties, "too-many", cloud="labkit",
                      check=False)
    assert refused.returncode != 0 and "403" in refused.stderr
    assert "Maximum number of metadata items exceeds 128" in refused.stderr


def test_hypervisor_list_and_host_status_follow_the_services(clients):
    admin = "labkit-admin"
    _create(clients, "--nic", "none", "--availability-zone", "nova:compute-1", "--wait",
            "watched")
    assert _states(clients) == {"compute-1": "up", "compute-2": "up", "compute-3": "up"}
    clients.openstack("compute", "service", "set", "--disable", "--disable-reason", "fans",
                      "compute-1", "nova-compute", cloud=admin)
    shown = _json(clients.openstack("server", "show", "-f", "json", "watched", cloud=admin))
    assert shown["host_status"] == "MAINTENANCE"
    clients.openstack("compute", "service", "set", "--down", "compute-1", "nova-compute",
                      cloud=admin)
    assert _states(clients) == {"compute-1": "down", "compute-2": "up", "compute-3": "up"}
    shown = _json(clients.openstack("server", "show", "-f", "json", "watched", cloud=admin))
    assert shown["host_status"] == "DOWN"
    # up first, then enabled: the openstack CLI sends --enable before --up, and nova
    # syncs COMPUTE_STATUS_DISABLED only with a host that is up (HostAPI.service_update)
    clients.openstack("compute", "service", "set", "--up", "compute-1", "nova-compute",
                      cloud=admin)
    clients.openstack("compute", "service", "set", "--enable", "compute-1", "nova-compute",
                      cloud=admin)
    assert _states(clients)["compute-1"] == "up"
    clients.openstack("server", "delete", "--wait", "watched", cloud=admin)


def test_server_unshelve_to_a_host(clients):
    admin = "labkit-admin"
    _create(clients, "--nic", "none", "--availability-zone", "nova:compute-1", "--wait",
            "shelved")
    clients.openstack("server", "shelve", "--wait", "shelved", cloud=admin)
    unknown = clients.openstack("--os-compute-api-version", "2.91", "server", "unshelve",
                                "--host", "compute-9", "shelved", cloud=admin, check=False)
    assert unknown.returncode != 0 and "Compute host compute-9 could not be found." in \
        unknown.stderr
    clients.openstack("--os-compute-api-version", "2.91", "server", "unshelve", "--host",
                      "compute-3", "--wait", "shelved", cloud=admin)
    shown = _json(clients.openstack("server", "show", "-f", "json", "shelved", cloud=admin))
    assert (shown["status"], shown["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute-3")
    clients.openstack("server", "delete", "--wait", "shelved", cloud=admin)
