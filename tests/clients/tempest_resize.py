"""Drive tempest.lib's resize, confirm, revert and migrate calls against a lab, schemas on.

Run with the clients venv's python (tests/clients/test_tempest_resize.py does)::

    .venv-clients/bin/python tests/clients/tempest_resize.py AUTH_URL_V3 REGION NET_ID \
        USER PROJECT PASSWORD VERSION [VERSION ...]

As an admin, per microversion: boot a server, ServersClient.resize_server (202, tempest's
action schema), wait for VERIFY_RESIZE, confirm_resize_server (204 and its schema),
resize again and revert_resize_server, migrate_server and confirm; then
MigrationsClient.list_migrations (tempest's list_migrations schema for that version:
2.1, 2.23 migration_type and links, 2.59 uuid and paging, 2.80 user and project), from
2.59 also the records after a marker, newest first.  (A full page, which nova answers
with ``migrations_links``, is left out: tempest 47's 2.59 schema has no such key.)
Prints ``ok <version> <type:status ...>`` for the server's records.
"""
import sys

from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import migrations_client
from tempest.lib.services.compute import servers_client

from tempest_servers import IMAGE, auth_provider, wait_for


def cycle(servers, migrations, version, net_id):
    body = servers.create_server(name=f"tempest-resize-{version}", imageRef=IMAGE,
                                 flavorRef="1", networks=[{"uuid": net_id}])
    server_id = body["server"]["id"]
    wait_for(servers, server_id, "ACTIVE")
    for flavor, finish in (("2", servers.confirm_resize_server),
                           ("3", servers.revert_resize_server)):
        assert servers.resize_server(server_id, flavor).response.status == 202
        wait_for(servers, server_id, "VERIFY_RESIZE")
        finish(server_id)
        wait_for(servers, server_id, "ACTIVE")
    assert servers.migrate_server(server_id).response.status == 202
    wait_for(servers, server_id, "VERIFY_RESIZE")
    assert servers.confirm_resize_server(server_id).response.status == 204
    wait_for(servers, server_id, "ACTIVE")
    listed = migrations.list_migrations(instance_uuid=server_id)["migrations"]
    if tuple(map(int, version.split("."))) >= (2, 59):     # newest first, after a marker
        newest = max(listed, key=lambda m: m["id"])
        rest = migrations.list_migrations(instance_uuid=server_id, marker=newest["uuid"])
        assert [m["id"] for m in rest["migrations"]] == sorted(
            (m["id"] for m in listed if m["id"] != newest["id"]), reverse=True)
    servers.delete_server(server_id)
    wait_for(servers, server_id, "DELETED")
    return sorted((m["id"], f"{m.get('migration_type', '-')}:{m['status']}") for m in listed)


def main(argv):
    auth_url, region, net_id, user, project, password, *versions = argv
    auth = auth_provider(auth_url, user, project, password)
    servers = servers_client.ServersClient(auth, "compute", region)
    migrations = migrations_client.MigrationsClient(auth, "compute", region)
    for version in versions:
        base_compute_client.COMPUTE_MICROVERSION = version
        records = cycle(servers, migrations, version, net_id)
        print("ok", version, *[r for _, r in records], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
