"""Drive openstacksdk's compute services, availability zones, aggregates and server
groups against a lab (run by the clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_hosts.py ADMIN_CLOUD USER_CLOUD

Prints one line per step; any failure raises.
"""
import sys

import openstack


def operator(conn):
    """As the admin: services, one disabled with a reason and back; an aggregate in a zone."""
    compute = conn.compute
    services = {s.host: s for s in compute.services() if s.binary == "nova-compute"}
    print("services", *sorted(services), flush=True)
    svc = compute.disable_service(services["compute-2"], "compute-2", "nova-compute",
                                  disabled_reason="sdk")
    print("disabled", svc.status, svc.disabled_reason, flush=True)
    svc = compute.enable_service(services["compute-2"], "compute-2", "nova-compute")
    print("enabled", svc.status, flush=True)
    agg = compute.create_aggregate(name="sdk-rack", availability_zone="sdk-az")
    agg = compute.add_host_to_aggregate(agg, "compute-2")
    print("aggregate", agg.name, agg.availability_zone, *agg.hosts, flush=True)
    zones = sorted(z.name for z in compute.availability_zones(details=True))
    print("zones", *zones, flush=True)
    return agg


def user(conn):
    """As a user: an anti-affinity group, two servers in it, then everything deleted."""
    compute = conn.compute
    group = compute.create_server_group(name="sdk-group", policy="anti-affinity")
    image = compute.find_image("cirros-0.6.2-x86_64-disk")
    flavor = compute.find_flavor("m1.nano")
    network = conn.network.find_network("private")
    servers = [compute.create_server(name=f"sdk-{n}", image_id=image.id, flavor_id=flavor.id,
                                     networks=[{"uuid": network.id}],
                                     scheduler_hints={"group": group.id}) for n in (1, 2)]
    servers = [compute.wait_for_server(s, status="ACTIVE", interval=0.1, wait=30)
               for s in servers]
    group = compute.get_server_group(group.id)
    print("group", group.policy, len(group.member_ids),
          sorted(group.member_ids) == sorted(s.id for s in servers), flush=True)
    for server in servers:
        compute.delete_server(server)
        compute.wait_for_delete(server, interval=0.1, wait=30)
    compute.delete_server_group(group)
    print("deleted", [g.name for g in compute.server_groups()], flush=True)


def main(admin_cloud, user_cloud):
    admin = openstack.connect(cloud=admin_cloud)
    agg = operator(admin)
    user(openstack.connect(cloud=user_cloud))
    admin.compute.remove_host_from_aggregate(agg, "compute-2")
    admin.compute.delete_aggregate(agg)
    print("aggregates", [a.name for a in admin.compute.aggregates()], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
