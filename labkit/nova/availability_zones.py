"""Availability zones: which zone each service is in, and which zones exist.

Real nova: nova/availability_zones.py.  A zone is not a thing of its own: it
is the ``availability_zone`` metadata of a host aggregate.  A compute host in
no such aggregate is in ``[DEFAULT] default_availability_zone`` ("nova"); the
other services (conductor, scheduler) are in
``internal_service_availability_zone`` ("internal"), which the zone list
hides.  A zone is available while one of its services is enabled.

NOTE(labkit): nova caches each host's zone for an hour (AZ_CACHE_SECONDS) and
reads ``CONF``; labkit asks the database each time and takes the lab's
configuration as an argument.
"""
import collections

from labkit.nova import objects


def _build_metadata_by_host(aggregates, hosts=None):
    metadata = collections.defaultdict(set)
    for aggregate in aggregates:
        for host in aggregate.hosts:
            if hosts and host not in hosts:
                continue
            metadata[host].add(aggregate.metadata["availability_zone"])
    return metadata


def set_availability_zones(context, services, conf):
    """Set each service's ``availability_zone``; returns the services."""
    hosts = {service["host"] for service in services}
    aggregates = objects.AggregateList.get_by_metadata_key(context, "availability_zone",
                                                           hosts=hosts)
    metadata = _build_metadata_by_host(aggregates, hosts=hosts)
    for service in services:
        zone = conf.internal_service_availability_zone
        if service["topic"] == "compute":
            zone = ",".join(sorted(metadata[service["host"]])) if metadata.get(
                service["host"]) else conf.default_availability_zone
        service.availability_zone = zone
    return services


def get_host_availability_zone(context, host, conf):
    """The zone of one compute host: its AZ aggregate's, or the default zone."""
    aggregates = objects.AggregateList.get_by_host(context, host, key="availability_zone")
    if aggregates:
        return aggregates[0].metadata["availability_zone"]
    return conf.default_availability_zone


def get_availability_zones(context, hostapi, get_only_available=False, with_hosts=False,
                           services=None):
    """(available zones, unavailable zones), sorted; only the available ones if asked.

    With ``with_hosts``, each zone comes as (zone, {hosts}).
    """
    if services is None:
        services = hostapi.service_get_all(context, set_zones=True)
    enabled = [s for s in services if not s.disabled]
    disabled = [s for s in services if s.disabled]
    available = collections.defaultdict(set)
    for service in enabled:
        available[service.availability_zone].add(service.host)
    unavailable = collections.defaultdict(set)
    for service in disabled:
        if service.availability_zone not in available:
            unavailable[service.availability_zone].add(service.host)
    if not with_hosts:
        available, unavailable = sorted(available), sorted(unavailable)
    else:
        available, unavailable = sorted(available.items()), sorted(unavailable.items())
    return available if get_only_available else (available, unavailable)
