"""Pick a port's fixed IP: the lowest free address of the subnet's allocation pools.

Real neutron: neutron/ipam/drivers/neutrondb_ipam/driver.py
(NeutronDbSubnet._generate_ips picks at random among free addresses, to cut
contention between API workers; NeutronDbSubnet._verify_ip checks a requested
one), reading the pools and allocations through db_api.py's IpamSubnetManager
(list_pools, list_allocations).  NOTE(labkit): lowest-first, so a seed gives
the same addresses every run.
"""
import ipaddress
import itertools
import socket
import struct

from labkit.neutron.db import queries
from labkit.neutron_lib.exceptions import NeutronError


def pools(conn, subnet_id):
    """[(first, last)] of the subnet's allocation pools, as integers."""
    return [(_as_int(r.first_ip), _as_int(r.last_ip))
            for r in queries.POOLS_OF.rows(conn, {"subnet_id": subnet_id})]


def used(conn, subnet_id):
    """The subnet's allocated addresses, as a set of strings."""
    return set(queries.USED_IPS.scalars(conn, {"subnet_id": subnet_id}))


def _as_int(ip, _unpack=struct.Struct("!I").unpack, _aton=socket.inet_aton):
    return _unpack(_aton(ip))[0]


def allocate_any(conn, subnet, _pack=struct.Struct("!I").pack, _ntoa=socket.inet_ntoa):
    """The lowest free pool address of ``subnet``, or None when the pools are full.

    Like neutron's driver it reads every allocation of the subnet, so a port
    costs more as the subnet fills.  The read is prepared (``labkit.db.Prepared``),
    and the walk formats candidates with ``inet_ntoa`` inside C iterators to
    compare them with the stored strings: an ``ipaddress`` object per candidate,
    or an integer per allocation, made the 1,000th port cost milliseconds.
    labkit's subnets are IPv4 only.
    """
    taken = used(conn, subnet["id"])
    for first, last in pools(conn, subnet["id"]):
        addresses = map(_ntoa, map(_pack, range(first, last + 1)))   # lazily, in C
        free = next(itertools.filterfalse(taken.__contains__, addresses), None)
        if free is not None:
            return free
    return None


def check_specific(conn, subnet, ip_address):
    """A requested fixed IP must be inside the subnet and not taken."""
    try:
        addr = ipaddress.ip_address(ip_address)
    except ValueError:
        raise NeutronError(400, "InvalidInput",
                           f"Invalid input for operation: '{ip_address}' is not a valid IP "
                           "address.") from None
    network = ipaddress.ip_network(subnet["cidr"])
    if addr not in network or addr in (network.network_address, network.broadcast_address):
        raise NeutronError(400, "InvalidIpForSubnet",
                           f"IP address {ip_address} is not a valid IP for the specified "
                           "subnet.")
    if queries.IP_TAKEN.first(conn, {"subnet_id": subnet["id"], "ip": ip_address}):
        raise NeutronError(409, "IpAddressAlreadyAllocated",
                           f"IP address {ip_address} already allocated in subnet "
                           f"{subnet['id']}")
    return ip_address
