"""Drive tempest.lib's live migration calls against a lab, schema validation on.

Run with the clients venv's python (tests/clients/test_tempest_live_migrate.py does)::

    .venv-clients/bin/python tests/clients/tempest_live_migrate.py AUTH_URL_V3 REGION \
        NET_ID USER PROJECT PASSWORD VERSION [VERSION ...]

For each microversion: boot a server, ServersClient.live_migrate_server (202 and
tempest's server_actions_common_schema), poll list_in_progress_live_migration (tempest's
list_live_migrations schema for that version) until it shows the migration running (the
lab holds live migrations a moment: lab.faults.hold_live_migrations), wait until the
server rests on another host, and delete it.  Prints ``ok <version> <status seen>``.
"""
import sys
import time

from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import servers_client

from tempest_servers import FLAVOR, IMAGE, auth_provider, wait_for


def settle(client, server_id, away_from, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = client.show_server(server_id)["server"]
        if server["status"] == "ACTIVE" and server["OS-EXT-STS:task_state"] is None and \
                server["OS-EXT-SRV-ATTR:host"] != away_from:
            return server
        time.sleep(0.02)
    raise AssertionError(f"server {server_id} did not leave {away_from}")


def cycle(client, version, net_id):
    body = client.create_server(name=f"tempest-live-{version}", imageRef=IMAGE,
                                flavorRef=FLAVOR, networks=[{"uuid": net_id}])
    server_id = body["server"]["id"]
    source = wait_for(client, server_id, "ACTIVE")["OS-EXT-SRV-ATTR:host"]
    resp = client.live_migrate_server(server_id, host=None, block_migration="auto")
    assert resp.response.status == 202, resp.response.status
    seen = []
    deadline = time.monotonic() + 30
    while "running" not in seen and time.monotonic() < deadline:
        migrations = client.list_in_progress_live_migration(server_id)["migrations"]
        seen = [m["status"] for m in migrations]
        time.sleep(0.01)
    settle(client, server_id, source)
    assert client.list_in_progress_live_migration(server_id)["migrations"] == []
    client.delete_server(server_id)
    wait_for(client, server_id, "DELETED")
    return seen


def main(argv):
    auth_url, region, net_id, user, project, password, *versions = argv
    client = servers_client.ServersClient(auth_provider(auth_url, user, project, password),
                                          "compute", region)
    for version in versions:
        base_compute_client.COMPUTE_MICROVERSION = version
        print(f"ok {version} {','.join(cycle(client, version, net_id))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
