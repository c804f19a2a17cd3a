"""Drive openstacksdk's resize, confirm, revert and cold migration against a lab.

    .venv-clients/bin/python tests/clients/sdk_resize.py CLOUD

As an admin: resize_server to m1.small, confirm_server_resize, resize_server to
m1.medium, revert_server_resize, migrate_server and confirm; migrations() lists the
server's records; a resize to the flavor it has is nova's 400.  Prints one line per step.
"""
import sys
import time

import openstack
from openstack import exceptions


def _wait(compute, server, status, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = compute.get_server(server)
        if server.status == status and server.task_state is None:
            return server
        time.sleep(0.05)
    raise RuntimeError(f"{server.id} never reached {status}: {server.status}")


def main(cloud):
    conn = openstack.connect(cloud=cloud)
    compute = conn.compute
    server = conn.create_server("sdk-resize", image="cirros-0.6.2-x86_64-disk",
                                flavor="m1.tiny", network="private")
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    source = server.compute_host
    compute.resize_server(server, compute.find_flavor("m1.small"))
    server = _wait(compute, server, "VERIFY_RESIZE")
    print("resized", server.flavor.name, server.compute_host != source, flush=True)
    compute.confirm_server_resize(server)
    server = _wait(compute, server, "ACTIVE")
    compute.resize_server(server, compute.find_flavor("m1.medium"))
    _wait(compute, server, "VERIFY_RESIZE")
    compute.revert_server_resize(server)
    server = _wait(compute, server, "ACTIVE")
    print("reverted", server.flavor.name, flush=True)
    try:
        compute.resize_server(server, compute.find_flavor("m1.small"))
    except exceptions.BadRequestException as exc:
        print("same-flavor", exc.status_code, exc.details, flush=True)
    here = server.compute_host
    compute.migrate_server(server)
    server = _wait(compute, server, "VERIFY_RESIZE")
    compute.confirm_server_resize(server)
    server = _wait(compute, server, "ACTIVE")
    print("migrated", server.compute_host != here, flush=True)
    records = sorted(compute.migrations(instance_uuid=server.id), key=lambda m: m.id)
    print("migrations", *[f"{m.migration_type}:{m.status}" for m in records], flush=True)
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=0.1, wait=30)
    print("deleted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
