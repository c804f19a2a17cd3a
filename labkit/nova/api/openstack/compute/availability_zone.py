"""os-availability-zone: the zones, and (admin) which services run in each.

Real nova: nova/api/openstack/compute/availability_zone.py:
AvailabilityZoneController.  A zone is listed as available while one of its
services is enabled; the internal zone of the conductor and scheduler is
hidden from the short list and shown in the detailed one.
"""
from labkit.nova import availability_zones, policy
from labkit.nova.api.openstack import wsgi


class AvailabilityZoneController:
    def __init__(self, host_api):
        self.host_api = host_api
        self.servicegroup_api = host_api.servicegroup_api

    def _get_filtered_availability_zones(self, zones, is_available):
        internal = self.host_api.conf.internal_service_availability_zone
        return [{"zoneName": zone, "zoneState": {"available": is_available}, "hosts": None}
                for zone in zones if zone != internal]

    def index(self, req):
        """GET /os-availability-zone: each zone and whether it is available."""
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-availability-zone:list")
        available, unavailable = availability_zones.get_availability_zones(
            context, self.host_api)
        return wsgi.response(200, {"availabilityZoneInfo":
                                   self._get_filtered_availability_zones(available, True) +
                                   self._get_filtered_availability_zones(unavailable, False)})

    def detail(self, req):
        """GET /os-availability-zone/detail: each zone's hosts and their services."""
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-availability-zone:detail")
        services = self.host_api.service_get_all(context, set_zones=True)
        available, unavailable = availability_zones.get_availability_zones(
            context, self.host_api, services=services)
        hosts = {}
        for service in services:
            if service.disabled:
                continue
            hosts.setdefault(service.availability_zone, {}).setdefault(service.host, {})[
                service.binary] = {"available": self.servicegroup_api.service_is_up(service),
                                   "active": not service.disabled,
                                   "updated_at": service.updated_at}
        result = [{"zoneName": zone, "zoneState": {"available": True},
                   "hosts": hosts.get(zone, {})} for zone in available]
        result += [{"zoneName": zone, "zoneState": {"available": False}, "hosts": None}
                   for zone in unavailable]
        return wsgi.response(200, {"availabilityZoneInfo": result})
