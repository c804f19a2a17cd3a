"""Drive openstacksdk against a lab (run by the clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_servers.py CLOUD

Uses the cloud ``CLOUD`` of the clouds.yaml in OS_CLIENT_CONFIG_FILE:
create_server (cloud layer, by image, flavor and network name, and with
wait=True once, the way most scripts call it), wait_for_server, shelve_server,
unshelve_server and delete_server (proxy layer and cloud layer).  Prints one
line per step; any failure raises.
"""
import sys

import openstack


def _states(server):
    """What wait_for_server does not check: vm_state, task_state and power_state."""
    return server.status, server.vm_state, server.task_state, server.power_state


def main(cloud):
    conn = openstack.connect(cloud=cloud)
    server = conn.create_server("sdk-1", image="cirros-0.6.2-x86_64-disk", flavor="m1.nano",
                                network="private")
    print("created", server.id, server.status, flush=True)
    compute = conn.compute
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    assert server.addresses["private"][0]["addr"].startswith("192.168.1."), server.addresses
    print("active", *_states(server), flush=True)
    compute.shelve_server(server)
    server = compute.wait_for_server(server, status="SHELVED_OFFLOADED", interval=0.1, wait=30)
    print("shelved", *_states(server), flush=True)
    compute.unshelve_server(server)
    server = compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=30)
    print("unshelved", *_states(server), flush=True)
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=0.1, wait=30)
    print("deleted", flush=True)

    # the cloud layer end to end: create_server(wait=True) polls every 5 s, once
    server = conn.create_server("sdk-2", image="cirros-0.6.2-x86_64-disk", flavor="m1.nano",
                                network="private", wait=True, timeout=60)
    assert server.status == "ACTIVE", server.status
    print("created and waited", server.status, flush=True)
    assert conn.delete_server(server.id, wait=True, timeout=60) is True
    assert conn.get_server("sdk-2") is None
    print("deleted and waited", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
