"""Drive tempest.lib's compute ServersClient against a lab, schema validation on.

Run with the clients venv's python (tests/clients/test_tempest.py does)::

    .venv-clients/bin/python tests/clients/tempest_servers.py AUTH_URL_V3 REGION NET_ID \
        USER PROJECT PASSWORD VERSION [VERSION ...]

Each VERSION is a compute microversion, or ``none`` for no header at all.  For
each one it sets tempest's module global COMPUTE_MICROVERSION (which makes
ServersClient send ``X-OpenStack-Nova-API-Version``, require the same header
back and pick that version's response schema), then creates a server, waits
for ACTIVE, shows / lists / details it, lists its addresses, rebuilds it (the
rebuild's answer is checked against that version's schema too), shelves and
waits for SHELVED_OFFLOADED, unshelves and waits for ACTIVE, and deletes it
and waits for the 404.  Prints one ``ok <version>`` line per version; any
schema or status mismatch raises and the exit code is non-zero.
"""
import sys
import time

from tempest.lib import auth
from tempest.lib import exceptions as lib_exc
from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import servers_client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
FLAVOR = "42"


def wait_for(client, server_id, status, timeout=30.0):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            server = client.show_server(server_id)["server"]
        except lib_exc.NotFound:
            if status == "DELETED":
                return None
            raise
        if not seen or seen[-1] != server["status"]:
            seen.append(server["status"])
        if server["status"] == status:
            return server
        if server["status"] == "ERROR":
            raise AssertionError(f"server {server_id} went to ERROR: {server.get('fault')}")
        time.sleep(0.02)
    raise AssertionError(f"server {server_id} never reached {status}; saw {seen}")


def cycle(client, version, net_id):
    name = f"tempest-{version}"
    # always name the network: the admin project sees several (nova: NetworkAmbiguous)
    kwargs = {"name": name, "imageRef": IMAGE, "flavorRef": FLAVOR,
              "networks": [{"uuid": net_id}]}
    body = client.create_server(**kwargs)
    assert body.response.status == 202, body.response.status
    server_id = body["server"]["id"]
    assert body["server"]["adminPass"]
    server = wait_for(client, server_id, "ACTIVE")
    assert server["name"] == name
    assert any(s["id"] == server_id for s in client.list_servers()["servers"])
    assert any(s["id"] == server_id for s in client.list_servers(detail=True)["servers"])
    addresses = client.list_addresses(server_id)["addresses"]
    assert addresses, addresses
    body = client.rebuild_server(server_id, IMAGE, name=f"{name}-rebuilt")
    assert body.response.status == 202 and body["server"]["adminPass"]
    assert wait_for(client, server_id, "ACTIVE")["name"] == f"{name}-rebuilt"
    resp = client.shelve_server(server_id)
    assert resp.response.status == 202
    wait_for(client, server_id, "SHELVED_OFFLOADED")
    resp = client.unshelve_server(server_id)
    assert resp.response.status == 202
    wait_for(client, server_id, "ACTIVE")
    resp = client.delete_server(server_id)
    assert resp.response.status == 204
    wait_for(client, server_id, "DELETED")


def auth_provider(auth_url, user, project, password):
    """tempest's keystone v3 auth for ``user`` in ``project`` (domain Default)."""
    creds = auth.KeystoneV3Credentials(username=user, password=password, project_name=project,
                                       user_domain_name="Default",
                                       project_domain_name="Default")
    return auth.KeystoneV3AuthProvider(creds, auth_url)


def main(argv):
    auth_url, region, net_id, user, project, password, *versions = argv
    provider = auth_provider(auth_url, user, project, password)
    client = servers_client.ServersClient(provider, "compute", region)
    for version in versions:
        base_compute_client.COMPUTE_MICROVERSION = None if version == "none" else version
        cycle(client, version, net_id)
        print(f"ok {version}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
