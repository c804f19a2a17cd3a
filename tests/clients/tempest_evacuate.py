"""Drive tempest.lib's evacuate against a lab whose host is down (schema validation on).

Run with the clients venv's python (tests/clients/test_tempest_evacuate.py does)::

    .venv-clients/bin/python tests/clients/tempest_evacuate.py AUTH_URL_V3 REGION \
        USER PROJECT PASSWORD SOURCE DEST VERSION=SERVER [VERSION=SERVER ...]

First ServicesClient.update_forced_down (2.11) forces SOURCE's nova-compute down.  Then
for each pair it sets tempest's COMPUTE_MICROVERSION and evacuates SERVER with that
version's body: before 2.14 ``onSharedStorage`` false (the answer's adminPass checked
against tempest's evacuate_server_with_admin_pass), at 2.29 ``host`` DEST with
``force``, else an empty body; it waits for the server to leave SOURCE (SHUTOFF from
2.95, ACTIVE before) and prints ``ok <version> <status>``.  Any schema or status
mismatch raises.
"""
import sys
import time

from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import servers_client, services_client

from tempest_servers import auth_provider


def _key(version):
    return tuple(map(int, version.split(".")))


def evacuate(client, version, server_id, source, dest):
    base_compute_client.COMPUTE_MICROVERSION = version
    kwargs = {}
    if _key(version) < (2, 14):
        kwargs["onSharedStorage"] = False
    elif (2, 29) <= _key(version) < (2, 68):
        kwargs.update(host=dest, force=True)
    body = client.evacuate_server(server_id, **kwargs)
    assert body.response.status == 200, body.response.status
    assert (_key(version) < (2, 14)) == bool(body.get("adminPass")), dict(body)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        server = client.show_server(server_id)["server"]
        if server["OS-EXT-SRV-ATTR:host"] != source and server["OS-EXT-STS:task_state"] is None:
            return server["status"]
        time.sleep(0.02)
    raise AssertionError(f"{server_id} never left {source}")


def main(argv):
    auth_url, region, user, project, password, source, dest, *pairs = argv
    provider = auth_provider(auth_url, user, project, password)
    base_compute_client.COMPUTE_MICROVERSION = "2.11"
    services_client.ServicesClient(provider, "compute", region).update_forced_down(
        host=source, binary="nova-compute", forced_down=True)
    client = servers_client.ServersClient(provider, "compute", region)
    for pair in pairs:
        version, server_id = pair.split("=")
        print("ok", version, evacuate(client, version, server_id, source, dest), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
