"""Drive openstacksdk's rebuild and evacuate against a lab (run by the clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_rebuild_evacuate.py CLOUD rebuild
    .venv-clients/bin/python tests/clients/sdk_rebuild_evacuate.py CLOUD evacuate SERVER
    .venv-clients/bin/python tests/clients/sdk_rebuild_evacuate.py CLOUD up HOST

``rebuild``: create a server, rebuild_server it (a new name and password), wait for
ACTIVE; print its id, its host and the states.  ``evacuate``: (its host's nova-compute
already stopped) update_service_forced_down, then evacuate_server; wait for the server
to leave the host; print the host and the states.  ``up``: (the host's nova-compute
restarted, so its evacuations are completed: nova refuses it before) lift forced_down
and print it.  Any failure raises.
"""
import sys
import time

import openstack
from openstack import exceptions

IMAGE = "cirros-0.6.2-x86_64-disk"


def _states(server):
    return server.status, server.vm_state, server.task_state, server.power_state


def rebuild(conn):
    compute = conn.compute
    server = conn.create_server("sdk-rebuild", image=IMAGE, flavor="m1.nano",
                                network="private")
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    image = conn.image.find_image(IMAGE, ignore_missing=False)
    answer = compute.rebuild_server(server, image, name="sdk-rebuilt",
                                    admin_password="n3w-pass")
    print("answer", answer.name, answer.status, answer.admin_password, flush=True)
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.05, wait=30)
    print("rebuilt", server.id, server.compute_host, *_states(server), flush=True)
    try:
        compute.rebuild_server(server, "00000000-0000-4000-8000-000000000000")
    except exceptions.BadRequestException as exc:
        print("bad-image", exc.status_code, exc.details, flush=True)


def evacuate(conn, server_id):
    compute = conn.compute
    server = compute.get_server(server_id)
    source = server.compute_host
    service = next(compute.services(host=source, binary="nova-compute"))
    compute.update_service_forced_down(service, source, "nova-compute", forced=True)
    compute.evacuate_server(server)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        server = compute.get_server(server_id)
        if server.compute_host != source and server.task_state is None:
            break
        time.sleep(0.05)
    print("evacuated", server.compute_host != source, *_states(server), flush=True)


def up(conn, host):
    compute = conn.compute
    service = next(compute.services(host=host, binary="nova-compute"))
    service = compute.update_service_forced_down(service, host, "nova-compute", forced=False)
    print("forced_down", service.is_forced_down, flush=True)


def main(cloud, step, *args):
    conn = openstack.connect(cloud=cloud)
    {"rebuild": rebuild, "evacuate": evacuate, "up": up}[step](conn, *args)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
