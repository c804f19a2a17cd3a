"""Call tempest.lib's compute service clients against a lab, response schemas validated.

Run with the clients venv's python (tests/clients/test_tempest_compute.py does)::

    .venv-clients/bin/python tests/clients/tempest_compute.py AUTH_URL_V3 REGION NET_ID \
        USER PROJECT PASSWORD VERSION [VERSION ...]

CASES is the table: (name, client, call), where ``call(client, server)`` makes one
client call against a server booted for the run (ACTIVE); the client validates the
response against tempest's schema for the microversion it sends, and a call may
add its own checks.  A call that nova refuses at a microversion (the image proxy
from 2.36 on) names the error it expects.  More APIs get more rows.

Each VERSION is a microversion, or ``none`` for no header.  Prints ``cases N``, then
``ok NAME VERSION`` per case, or ``FAIL NAME VERSION: error``; the exit code counts the failures.
"""
import json
import sys
import time

from tempest.lib import auth
from tempest.lib import exceptions as lib_exc
from tempest.lib.services.compute import (base_compute_client, flavors_client,
                                          hypervisor_client, images_client,
                                          servers_client, versions_client)

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
FLAVOR = "42"
CLIENTS = {"servers": servers_client.ServersClient, "flavors": flavors_client.FlavorsClient,
           "images": images_client.ImagesClient,
           "hypervisors": hypervisor_client.HypervisorClient,
           "versions": versions_client.VersionsClient}


def _key(version):
    return (2, 1) if version in (None, "none") else tuple(map(int, version.split(".")))


def _image_proxy(call):
    """nova's image proxy: gone (404) from 2.36 on."""
    def run(client, server, version):
        if _key(version) >= (2, 36):
            try:
                call(client, server)
            except lib_exc.NotFound:
                return
            raise AssertionError("the image proxy answered at " + version)
        call(client, server)
    return run


def _any(call):
    return lambda client, server, version: call(client, server)


def _actions(client, server):
    actions = client.list_instance_actions(server["id"])["instanceActions"]
    assert actions and actions[-1]["action"] == "create", actions
    client.show_instance_action(server["id"], actions[0]["request_id"])


def _lock_cycle(client, server):
    assert client.lock_server(server["id"]).response.status == 202
    assert client.unlock_server(server["id"]).response.status == 202


def _missing_extra_spec(client, server):
    try:
        client.show_flavor_extra_spec(FLAVOR, "hw:cpu_policy")
    except lib_exc.NotFound:
        return
    raise AssertionError("m1.nano has no extra specs")


def _security_groups(client, server):
    """list (nova's old group shape), remove "default", list, add it back."""
    def names():
        return [g["name"] for g in
                client.list_security_groups_by_server(server["id"])["security_groups"]]
    groups = client.list_security_groups_by_server(server["id"])["security_groups"]
    assert [g["name"] for g in groups] == ["default"], groups
    assert {r["group"].get("name") for r in groups[0]["rules"]} == {"default"}
    assert client.remove_security_group(server["id"], name="default").response.status == 202
    assert names() == []
    assert client.add_security_group(server["id"], name="default").response.status == 202
    assert names() == ["default"]


def _wait_status(client, server_id, status):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        server = client.show_server(server_id)["server"]
        if server["status"] == status and server["OS-EXT-STS:task_state"] is None:
            return server
        time.sleep(0.02)
    raise AssertionError(f"{server_id} never became {status}")


def _short_actions(*steps):
    """Each (method, args, status): call the action (its 202 schema), wait for the status."""
    def run(client, server):
        for method, args, status in steps:
            assert getattr(client, method)(server["id"], **args).response.status == 202
            _wait_status(client, server["id"], status)
    return run


def _console_output(client, server):
    output = client.get_console_output(server["id"], length=2)["output"]
    assert output.endswith("tempest-table login:"), output
    assert client.get_console_output(server["id"])["output"].startswith("FAKE CONSOLE OUTPUT")


def _hypervisor(client, server):
    hypervisors = client.list_hypervisors()["hypervisors"]
    client.show_hypervisor(hypervisors[0]["id"])


NETWORK = {}                    # {"uuid": the net the run's servers use}, set by main


def _create_on_a_host(client, server, version):
    """An admin's zone:host (from 2.74, ``host``): created there, host_status UP from 2.16."""
    where = {"host": "compute-2"} if _key(version) >= (2, 74) else {
        "availability_zone": "nova:compute-2"}
    created = client.create_server(name="tempest-on-host", imageRef=IMAGE, flavorRef=FLAVOR,
                                   networks=[dict(NETWORK)], **where)["server"]
    try:
        shown = _wait_status(client, created["id"], "ACTIVE")
        assert shown["OS-EXT-SRV-ATTR:host"] == "compute-2", shown
        assert shown.get("host_status", "UP") == "UP", shown
    finally:
        client.delete_server(created["id"])


def _too_many_metadata(client, server):
    try:
        client.create_server(name="tempest-meta", imageRef=IMAGE, flavorRef=FLAVOR,
                             networks=[dict(NETWORK)],
                             metadata={f"k{i}": "v" for i in range(129)})
    except lib_exc.Forbidden as exc:
        assert "Maximum number of metadata items exceeds 128" in str(exc), exc
        return
    raise AssertionError("129 metadata items were accepted")


HYPERVISOR_2_88 = {"id", "hypervisor_hostname", "state", "status", "hypervisor_type",
                   "hypervisor_version", "host_ip", "service", "uptime"}


def _hypervisor_detail(call):
    """tempest's hypervisor schemas stop at 2.53, and nova 2.88 dropped the usage
    figures they require: from 2.88 on, check nova's own key set unvalidated."""
    def run(client, server, version):
        if _key(version) < (2, 88):
            return call(client, server)
        resp, body = client.get("os-hypervisors/detail")
        for hypervisor in json.loads(body)["hypervisors"]:
            assert set(hypervisor) == HYPERVISOR_2_88, sorted(hypervisor)
    return run


CASES = [
    ("versions.list_versions", "versions", _any(lambda c, s: c.list_versions())),
    ("flavors.list_flavors", "flavors", _any(lambda c, s: c.list_flavors())),
    ("flavors.list_flavors_detail", "flavors",
     _any(lambda c, s: c.list_flavors(detail=True))),
    ("flavors.list_flavors_paged", "flavors",
     _any(lambda c, s: c.list_flavors(detail=True, minRam=1, minDisk=0))),
    ("flavors.show_flavor", "flavors", _any(lambda c, s: c.show_flavor(FLAVOR))),
    ("flavors.list_flavor_extra_specs", "flavors",
     _any(lambda c, s: c.list_flavor_extra_specs(FLAVOR))),
    ("flavors.show_flavor_extra_spec_missing", "flavors", _any(_missing_extra_spec)),
    ("images.list_images", "images", _image_proxy(lambda c, s: c.list_images())),
    ("images.list_images_detail", "images",
     _image_proxy(lambda c, s: c.list_images(detail=True))),
    ("images.show_image", "images", _image_proxy(lambda c, s: c.show_image(IMAGE))),
    ("hypervisors.list_hypervisors", "hypervisors",
     _any(lambda c, s: c.list_hypervisors())),
    ("hypervisors.list_hypervisors_detail", "hypervisors",
     _hypervisor_detail(lambda c, s: c.list_hypervisors(detail=True))),
    ("hypervisors.show_hypervisor", "hypervisors", _hypervisor_detail(_hypervisor)),
    ("servers.show_server", "servers", _any(lambda c, s: c.show_server(s["id"]))),
    ("servers.list_servers", "servers", _any(lambda c, s: c.list_servers())),
    ("servers.list_servers_detail", "servers",
     _any(lambda c, s: c.list_servers(detail=True))),
    ("servers.list_servers_filtered", "servers",
     _any(lambda c, s: c.list_servers(detail=True, name=s["name"], limit=1))),
    ("servers.list_addresses", "servers", _any(lambda c, s: c.list_addresses(s["id"]))),
    ("servers.list_addresses_by_network", "servers",
     _any(lambda c, s: c.list_addresses_by_network(s["id"], "private"))),
    ("servers.instance_actions", "servers", _any(_actions)),
    ("servers.lock_unlock", "servers", _any(_lock_cycle)),
    ("servers.security_groups", "servers", _any(_security_groups)),
    ("servers.stop_start", "servers", _any(_short_actions(
        ("stop_server", {}, "SHUTOFF"), ("start_server", {}, "ACTIVE")))),
    ("servers.reboot_soft_hard", "servers", _any(_short_actions(
        ("reboot_server", {"type": "SOFT"}, "ACTIVE"),
        ("reboot_server", {"type": "HARD"}, "ACTIVE")))),
    ("servers.pause_unpause", "servers", _any(_short_actions(
        ("pause_server", {}, "PAUSED"), ("unpause_server", {}, "ACTIVE")))),
    ("servers.suspend_resume", "servers", _any(_short_actions(
        ("suspend_server", {}, "SUSPENDED"), ("resume_server", {}, "ACTIVE")))),
    ("servers.get_console_output", "servers", _any(_console_output)),
    ("servers.create_server_on_a_host", "servers", _create_on_a_host),
    ("servers.create_server_too_many_metadata", "servers", _any(_too_many_metadata)),
]


def boot(client, net_id):
    body = client.create_server(name="tempest-table", imageRef=IMAGE, flavorRef=FLAVOR,
                                networks=[{"uuid": net_id}])
    server_id = body["server"]["id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        server = client.show_server(server_id)["server"]
        if server["status"] == "ACTIVE":
            return server
        time.sleep(0.02)
    raise AssertionError(f"{server_id} never became ACTIVE")


def main(argv):
    auth_url, region, net_id, user, project, password, *versions = argv
    creds = auth.KeystoneV3Credentials(username=user, password=password, project_name=project,
                                       user_domain_name="Default",
                                       project_domain_name="Default")
    provider = auth.KeystoneV3AuthProvider(creds, auth_url)
    clients = {name: cls(provider, "compute", region) for name, cls in CLIENTS.items()}
    base_compute_client.COMPUTE_MICROVERSION = None
    NETWORK["uuid"] = net_id
    server = boot(clients["servers"], net_id)
    failures = 0
    print(f"cases {len(CASES)}", flush=True)
    for version in versions:
        base_compute_client.COMPUTE_MICROVERSION = None if version == "none" else version
        for name, client, call in CASES:
            try:
                call(clients[client], server, version)
                print(f"ok {name} {version}", flush=True)
            except Exception as exc:        # report every case, then fail
                failures += 1
                print(f"FAIL {name} {version}: {type(exc).__name__}: {exc}", flush=True)
    base_compute_client.COMPUTE_MICROVERSION = None
    clients["servers"].delete_server(server["id"])
    return min(failures, 100)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
