"""Drive openstacksdk's short server actions against a lab (run by the clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_server_actions.py CLOUD

stop_server, start_server, reboot_server (SOFT and HARD), pause_server,
unpause_server, suspend_server, resume_server and get_server_console_output
(proxy layer), and the cloud layer's get_server_console.  Prints one line per
step: the step, then status, vm_state, task_state and power_state once the wait
is over; any failure raises.
"""
import sys

import openstack
from openstack import exceptions


def _states(server):
    return server.status, server.vm_state, server.task_state, server.power_state


def main(cloud):
    conn = openstack.connect(cloud=cloud)
    compute = conn.compute
    server = conn.create_server("sdk-actions", image="cirros-0.6.2-x86_64-disk",
                                flavor="m1.nano", network="private")
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    print("created", server.id, flush=True)
    steps = (("stop", compute.stop_server, (), "SHUTOFF"),
             ("start", compute.start_server, (), "ACTIVE"),
             ("reboot-soft", compute.reboot_server, ("SOFT",), "ACTIVE"),
             ("reboot-hard", compute.reboot_server, ("HARD",), "ACTIVE"),
             ("pause", compute.pause_server, (), "PAUSED"),
             ("unpause", compute.unpause_server, (), "ACTIVE"),
             ("suspend", compute.suspend_server, (), "SUSPENDED"),
             ("resume", compute.resume_server, (), "ACTIVE"))
    for name, action, args, status in steps:
        action(server, *args)
        # a reboot's status is REBOOT/HARD_REBOOT until nova-compute is done
        server = compute.wait_for_server(server, status=status, interval=0.05, wait=30)
        print(name, *_states(server), flush=True)
    output = compute.get_server_console_output(server, length=2)["output"]
    print("console-tail", repr(output), flush=True)
    print("console-lines", len(conn.get_server_console(server.id).splitlines()), flush=True)
    try:
        compute.start_server(server)
    except exceptions.ConflictException as exc:
        print("start-active", exc.status_code, flush=True)
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=0.1, wait=30)
    print("deleted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
