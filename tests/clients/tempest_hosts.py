"""tempest.lib's ServicesClient, AvailabilityZoneClient, AggregatesClient and
ServerGroupsClient against a lab, each response validated against tempest's schema.

Run with the clients venv's python (tests/clients/test_tempest_hosts.py does), with the
arguments of tempest_compute.py, whose runner it reuses with these cases::

    .venv-clients/bin/python tests/clients/tempest_hosts.py AUTH_URL_V3 REGION NET_ID \
        USER PROJECT PASSWORD VERSION [VERSION ...]

Each call runs as the admin at every VERSION; a case that changes state puts it back.
"""
import sys

from tempest.lib.services.compute import (aggregates_client, availability_zone_client,
                                          server_groups_client, services_client)

import tempest_compute as runner
from tempest_compute import _key


def _services(client, server, version):
    services = client.list_services()["services"]
    assert {s["binary"] for s in services} == {"nova-conductor", "nova-scheduler",
                                               "nova-compute"}, services
    client.list_services(binary="nova-compute", host="compute-1")
    compute = next(s for s in services if s["host"] == "compute-1")
    if _key(version) >= (2, 53):
        client.update_service(compute["id"], status="disabled", disabled_reason="tempest")
        client.update_service(compute["id"], status="enabled")
    else:
        client.disable_log_reason(host="compute-1", binary="nova-compute",
                                  disabled_reason="tempest")
        client.enable_service(host="compute-1", binary="nova-compute")
    if (2, 11) <= _key(version) < (2, 53):
        client.update_forced_down(host="compute-1", binary="nova-compute", forced_down=False)


def _zones(client, server, version):
    assert client.list_availability_zones()["availabilityZoneInfo"]
    assert client.list_availability_zones(detail=True)["availabilityZoneInfo"]


def _aggregates(client, server, version):
    name = f"tempest-{version}"
    agg = client.create_aggregate(name=name, availability_zone=f"az-{version}")["aggregate"]
    # a host that runs no server (one that does may not change zone)
    host = next(h for h in ("compute-1", "compute-2")
                if h != server["OS-EXT-SRV-ATTR:host"])
    try:
        client.add_host(agg["id"], host=host)
        client.set_metadata(agg["id"], metadata={"ssd": "true"})
        client.update_aggregate(agg["id"], name=name + "-renamed")
        client.show_aggregate(agg["id"])
        client.list_aggregates()
        client.remove_host(agg["id"], host=host)
    finally:
        client.delete_aggregate(agg["id"])


def _server_groups(client, server, version):
    if _key(version) >= (2, 64):
        group = client.create_server_group(name="tempest", policy="anti-affinity",
                                           rules={"max_server_per_host": 2})
    else:
        group = client.create_server_group(name="tempest", policies=["affinity"])
    group_id = group["server_group"]["id"]
    client.show_server_group(group_id)
    client.list_server_groups()
    client.list_server_groups(all_projects=True)
    client.delete_server_group(group_id)


runner.CLIENTS.update(services=services_client.ServicesClient,
                      zones=availability_zone_client.AvailabilityZoneClient,
                      aggregates=aggregates_client.AggregatesClient,
                      server_groups=server_groups_client.ServerGroupsClient)
runner.CASES[:] = [("services.list_update", "services", _services),
                   ("availability_zone.list_detail", "zones", _zones),
                   ("aggregates.life", "aggregates", _aggregates),
                   ("server_groups.life", "server_groups", _server_groups)]

if __name__ == "__main__":
    sys.exit(runner.main(sys.argv[1:]))
