"""Drive openstacksdk's live migration against a lab (run by the clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_live_migrate.py CLOUD

As an admin: live_migrate_server with no host (the scheduler picks), then forced
back to the first host (openstacksdk sends microversion 2.30: nova-api waits for the
conductor), then forced to the host it is on (nova's 400); migrations() and
server_migrations() list the records.  Prints one line per step; any other failure
raises.
"""
import sys
import time

import openstack
from openstack import exceptions


def _settle(compute, server, away_from=None, timeout=30):
    """The server once ACTIVE with no task (and, given ``away_from``, on another host)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = compute.get_server(server)
        if server.status == "ACTIVE" and server.task_state is None and (
                away_from is None or server.compute_host != away_from):
            return server
        time.sleep(0.05)
    raise RuntimeError(f"{server.id} did not settle: {server.status} {server.task_state}")


def main(cloud):
    conn = openstack.connect(cloud=cloud)
    compute = conn.compute
    server = conn.create_server("sdk-live", image="cirros-0.6.2-x86_64-disk",
                                flavor="m1.nano", network="private")
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    source = server.compute_host
    print("created", server.id, source, flush=True)
    compute.live_migrate_server(server, host=None, block_migration=None)
    server = _settle(compute, server, away_from=source)
    print("live", server.status, server.compute_host != source, flush=True)
    compute.live_migrate_server(server, host=source, force=True, block_migration=None)
    server = _settle(compute, server)
    print("forced", server.status, server.compute_host == source, flush=True)
    try:
        compute.live_migrate_server(server, host=source, force=True)
    except exceptions.BadRequestException as exc:
        print("same-host", exc.status_code, exc.details, flush=True)
    records = sorted(compute.migrations(instance_uuid=server.id), key=lambda m: m.id)
    print("migrations", *[f"{m.migration_type}:{m.status}" for m in records], flush=True)
    print("in-progress", len(list(compute.server_migrations(server))), flush=True)
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=0.1, wait=30)
    print("deleted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
