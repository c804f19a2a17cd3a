"""The compute API's host side: services (HostAPI) and host aggregates (AggregateAPI).

Real nova: nova/compute/api.py:HostAPI and AggregateAPI — split out of
labkit's compute/api.py only to keep each file short (compute/api.py imports
both, so ``compute.api.HostAPI`` is where nova has it).  Aggregates are kept in
step with placement: a host added to an aggregate puts its resource provider
in the placement aggregate of the same uuid, which is what the scheduler's
availability-zone request filter asks placement for.
"""
import logging

from labkit.nova import availability_zones, exception, objects
from labkit.nova.compute import rpcapi as compute_rpcapi
from labkit.nova.db import api_services as service_db
from labkit.nova.scheduler.client.report import SchedulerReportClient
from labkit.nova.servicegroup import API as ServiceGroupAPI

LOG = logging.getLogger(__name__)
AGGREGATE_ACTION_UPDATE, AGGREGATE_ACTION_UPDATE_META = "Update", "UpdateMeta"
AGGREGATE_ACTION_DELETE, AGGREGATE_ACTION_ADD = "Delete", "Add"
_INVALID = {AGGREGATE_ACTION_ADD: exception.InvalidAggregateActionAdd,
            AGGREGATE_ACTION_UPDATE: exception.InvalidAggregateActionUpdate,
            AGGREGATE_ACTION_UPDATE_META: exception.InvalidAggregateActionUpdateMeta,
            AGGREGATE_ACTION_DELETE: exception.InvalidAggregateActionDelete}


class HostAPI:
    """Sub-set of the compute API for managing services and hosts."""

    def __init__(self, lab, node="nova-api"):
        self.lab, self.node, self.conf = lab, node, lab.conf
        self.servicegroup_api = ServiceGroupAPI(lab.conf)
        self._rpcapi = None

    @property
    def rpcapi(self):
        """The compute RPC client, made when first needed (only service updates call)."""
        if self._rpcapi is None:
            self._rpcapi = compute_rpcapi.ComputeAPI(self.lab, self.node)
        return self._rpcapi

    def service_get_all(self, context, filters=None, set_zones=False):
        """Every service, each with its zone when ``set_zones``, matching ``filters``."""
        filters = dict(filters or {})
        disabled = filters.pop("disabled", None)
        services = objects.ServiceList.get_all(context, disabled)
        if set_zones or "availability_zone" in filters:
            availability_zones.set_availability_zones(context, services, self.conf)
        return [s for s in services if all(s[k] == v for k, v in filters.items())]

    def service_get_by_id(self, context, service_id):
        """A service by id or uuid (ServiceNotFound)."""
        return objects.Service.get_by_id(context, service_id)

    def service_get_by_compute_host(self, context, host_name):
        return objects.Service.get_by_compute_host(context, host_name)

    def service_update(self, context, service):
        """Save the changed fields; if ``disabled`` changed, have the compute service set
        or clear COMPUTE_STATUS_DISABLED on its resource provider."""
        update_placement = "disabled" in service.obj_what_changed()
        service.save()
        if update_placement:
            self._update_compute_provider_status(context, service)
        return service

    def _update_compute_provider_status(self, context, service):
        """A call to the host's nova-compute, unless it is down (nova syncs the trait when
        it starts again); an error is logged, never returned to the API's caller."""
        if not self.servicegroup_api.service_is_up(service):
            LOG.info("Compute service on host %s is down. The COMPUTE_STATUS_DISABLED trait "
                     "will be synchronized when the service is restarted.", service.host)
            return
        try:
            self.rpcapi.set_host_enabled(context, service.host, not service.disabled)
        except Exception:       # noqa: BLE001 - nova: "Avoid leaking errors out of the API"
            LOG.exception("An error occurred while updating the COMPUTE_STATUS_DISABLED "
                          "trait on compute node resource providers managed by host %s.",
                          service.host)

    def service_update_by_host_and_binary(self, context, host_name, binary, params_to_update):
        service = objects.Service.get_by_args(context, host_name, binary)
        service.update(params_to_update)
        return self.service_update(context, service)

    @staticmethod
    def instance_count_by_host(context, host_name):
        return service_db.instance_count_by_host(context).get(host_name, 0)


class AggregateAPI:
    """Sub-set of the compute API for managing host aggregates.

    NOTE(labkit): nova also casts each change to the schedulers
    (query_client.update_aggregates), whose HostManager caches aggregates; labkit's
    scheduler reads them when it needs them, so there is nothing to tell it.
    """

    def __init__(self, lab, node):
        self.lab, self.conf = lab, lab.conf
        self.placement_client = SchedulerReportClient(lab, node)

    def create_aggregate(self, context, aggregate_name, availability_zone):
        aggregate = objects.Aggregate(context, uuid=self.lab.ids.uuid4(), name=aggregate_name,
                                      metadata={"availability_zone": availability_zone}
                                      if availability_zone else {})
        aggregate.create()
        return aggregate

    @staticmethod
    def get_aggregate(context, aggregate_id):
        return objects.Aggregate.get_by_id(context, aggregate_id)

    @staticmethod
    def get_aggregate_list(context):
        return objects.AggregateList.get_all(context)

    @staticmethod
    def get_aggregates_by_host(context, compute_host):
        return objects.AggregateList.get_by_host(context, compute_host)

    def update_aggregate(self, context, aggregate_id, values):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        values = dict(values)
        if "name" in values:
            aggregate.name = values.pop("name")
            aggregate.save()
        self.is_safe_to_update_az(context, values, aggregate, AGGREGATE_ACTION_UPDATE,
                                  check_no_instances_in_az=True)
        if values:
            aggregate.update_metadata(values)
        return aggregate

    def update_aggregate_metadata(self, context, aggregate_id, metadata):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        self.is_safe_to_update_az(context, metadata, aggregate, AGGREGATE_ACTION_UPDATE_META,
                                  check_no_instances_in_az=True)
        aggregate.update_metadata(metadata)
        return aggregate

    def delete_aggregate(self, context, aggregate_id):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        if aggregate.hosts:
            raise exception.InvalidAggregateActionDelete(aggregate_id=aggregate_id,
                                                         reason="Host aggregate is not empty")
        aggregate.destroy()

    def is_safe_to_update_az(self, context, metadata, aggregate, action_name,
                             hosts=None, check_no_instances_in_az=False):
        """Refuse an empty zone name, a host in two zones, or moving servers' zone."""
        if "availability_zone" not in metadata:
            return
        zone = metadata["availability_zone"]
        if not zone:
            self._raise(action_name, aggregate.id, "Aggregate %s does not support empty "
                                                   "named availability zone" % aggregate.name)
        hosts = hosts or aggregate.hosts
        conflicting = [a.availability_zone for a in objects.AggregateList.get_by_metadata_key(
            context, "availability_zone", hosts=hosts)
            if a.availability_zone != zone and a.id != aggregate.id]
        if conflicting:
            self._raise(action_name, aggregate.id,
                        "One or more hosts already in availability zone(s) %s" % conflicting)
        if check_no_instances_in_az and aggregate.availability_zone != zone and any(
                HostAPI.instance_count_by_host(context, h) for h in hosts):
            self._raise(action_name, aggregate.id,
                        "One or more hosts contain instances in this zone")

    @staticmethod
    def _raise(action_name, aggregate_id, reason):
        raise _INVALID[action_name](aggregate_id=aggregate_id, reason=reason)

    def _ensure_zone_kept(self, context, aggregate, host_name, action_name):
        """A host with servers may not change zone (nova's ensure_no_instances_need_to_
        move_az_when_host_added / _removed)."""
        count = HostAPI.instance_count_by_host(context, host_name)
        zone = aggregate.availability_zone
        if not count or not zone:
            return
        others = {a.availability_zone for a in objects.AggregateList.get_by_host(
            context, host_name, key="availability_zone") if a.id != aggregate.id}
        old_az = next(iter(others), None)
        if old_az == zone:
            return
        before, after = (old_az, zone) if action_name == AGGREGATE_ACTION_ADD else (zone, old_az)
        verb = "added to" if action_name == AGGREGATE_ACTION_ADD else "removed from"
        self._raise(action_name, aggregate.id, (
            f"The host cannot be {verb} the aggregate as the availability zone of the host "
            f"would change from '{before}' to '{after}' but the host already has {count} "
            "instance(s). Changing the AZ of an existing instance is not supported by this "
            "action. Move the instances away from this host then try again. If you need to "
            "move the instances between AZs then you can use shelve_offload and unshelve "
            "to achieve this."))

    def add_host_to_aggregate(self, context, aggregate_id, host_name):
        """Add the host, then put its resource provider in the placement aggregate."""
        service = objects.Service.get_by_compute_host(context, host_name)
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        self.is_safe_to_update_az(context, aggregate.metadata, aggregate, AGGREGATE_ACTION_ADD,
                                  hosts=[host_name])
        self._ensure_zone_kept(context, aggregate, host_name, AGGREGATE_ACTION_ADD)
        aggregate.add_host(service.host)
        node = service_db.compute_node_get_by_host(context, host_name)
        try:
            self.placement_client.aggregate_add_host(context, aggregate.uuid,
                                                     node["hypervisor_hostname"])
        except (exception.ResourceProviderNotFound, exception.ResourceProviderUpdateFailed,
                exception.ResourceProviderUpdateConflict) as err:
            # nova logs and goes on: ``nova-manage placement sync_aggregates`` mends it
            LOG.warning("Failed to associate %s with a placement aggregate: %s.",
                        host_name, err)
        return aggregate

    def remove_host_from_aggregate(self, context, aggregate_id, host_name):
        """Take the provider out of the placement aggregate first, then the host."""
        objects.Service.get_by_compute_host(context, host_name)
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        self._ensure_zone_kept(context, aggregate, host_name, AGGREGATE_ACTION_DELETE)
        node = service_db.compute_node_get_by_host(context, host_name)
        try:
            self.placement_client.aggregate_remove_host(context, aggregate.uuid,
                                                        node["hypervisor_hostname"])
        except exception.ResourceProviderNotFound as err:
            LOG.warning("Failed to remove association of %s with a placement "
                        "aggregate: %s.", host_name, err)
        aggregate.delete_host(host_name)
        return aggregate

    def close(self):
        self.placement_client.close()


class InstanceHostsMixin:
    """The server API's questions about hosts: a forced ``zone:host:node``, a requested
    host or node (2.74), and the state of the host a server runs on (2.16).

    Real nova: nova/compute/api.py:API.parse_availability_zone, _validate_host_or_node,
    get_instance_host_status and get_instances_host_statuses (labkit's API inherits
    them from here, next to HostAPI, to keep compute/api.py short).
    """

    @staticmethod
    def parse_availability_zone(context, availability_zone):
        """(zone, forced_host, forced_node) from nova's legacy ``zone:host:node``
        (``zone::node`` names only the node); InvalidInput for more colons."""
        forced_host = forced_node = None
        if availability_zone and ":" in availability_zone:
            count = availability_zone.count(":")
            if count == 1:
                availability_zone, forced_host = availability_zone.split(":")
            elif count == 2 and "::" in availability_zone:
                availability_zone, forced_node = availability_zone.split("::")
            elif count == 2:
                availability_zone, forced_host, forced_node = availability_zone.split(":")
            else:
                raise exception.InvalidInput(reason="Unable to parse availability_zone")
        # NOTE(labkit): an empty zone becomes [DEFAULT] default_schedule_zone, unset in labkit
        return availability_zone or None, forced_host, forced_node

    @staticmethod
    def _validate_host_or_node(context, host, hypervisor_hostname):
        """ComputeHostNotFound unless a compute node has this host and/or node name.

        NOTE(labkit): nova looks the host up in the API database's host mappings and a
        lone node in placement; labkit's single cell reads its compute nodes."""
        nodes = [node for node in service_db.compute_node_get_all(context)
                 if host in (None, node["host"])
                 and hypervisor_hostname in (None, node["hypervisor_hostname"])]
        if not nodes:
            raise exception.ComputeHostNotFound(host=host or hypervisor_hostname)

    def get_instance_host_status(self, instance, services=None):
        """UP, DOWN (forced down), MAINTENANCE (disabled), UNKNOWN (no recent
        heartbeat) from the instance's compute service; "" with no host or service.

        ``services``: {host: nova-compute service}, read by the caller for many servers.
        """
        if not instance.host:
            return ""
        if services is None:
            services = {s["host"]: s for s in service_db.service_get_all(
                instance._context, "nova-compute") if s["host"] == instance.host}
        service = services.get(instance.host)
        if service is None:
            return ""
        if service["forced_down"]:
            return "DOWN"
        if service["disabled"]:
            return "MAINTENANCE"
        return "UP" if ServiceGroupAPI(self.conf).service_is_up(service) else "UNKNOWN"

    def get_instances_host_statuses(self, context, instance_list):
        """{instance uuid: host status}, reading the compute services once."""
        services = {s["host"]: s for s in service_db.service_get_all(context, "nova-compute")}
        return {instance.uuid: self.get_instance_host_status(instance, services)
                for instance in instance_list}
