"""The conductor's live migration: checks, a destination, then the cast to the source.

Real nova: nova/conductor/tasks/live_migrate.py:LiveMigrationTask.  The server must be
running or paused (``power_state``) and its host's compute service up.  Its source
allocation moves to the *migration* consumer first (``POST /allocations``), so the
scheduler's claim for the instance on the destination is a fresh one.  With no forced
host the scheduler picks (``select_destinations``, the source host ignored) and each
candidate is asked, by a *call*, whether it can take the guest
(``check_can_live_migrate_destination``, which itself calls the source:
``check_can_live_migrate_source``); a host that says no is dropped (its claim removed)
and the scheduler asked again.  A forced host (2.30-2.67 ``force``) skips the
scheduler: a few checks here and a claim copied from the source.  Then the migration
record gets its destination and the source host is *cast* ``live_migration`` on topic
``compute-alt``.  If anything here fails, ``rollback`` gives the source allocation
back to the instance.
"""
import logging

from labkit.messaging import MessagingTimeout, RemoteError
from labkit.nova import availability_zones, exception, objects
from labkit.nova.compute import power_state
from labkit.nova.conductor.tasks import base, migrate
from labkit.nova.scheduler import utils as scheduler_utils

LOG = logging.getLogger(__name__)


class LiveMigrationTask(base.TaskBase):
    def __init__(self, context, instance, destination, block_migration, disk_over_commit,
                 migration, compute_rpcapi, servicegroup_api, query_client, report_client,
                 request_spec=None, conf=None):
        super().__init__(context, instance)
        self.destination = destination
        self.block_migration = block_migration
        self.disk_over_commit = disk_over_commit
        self.migration = migration
        self.source = instance.host
        self.migrate_data = None
        self.limits = None
        self.compute_rpcapi = compute_rpcapi
        self.servicegroup_api = servicegroup_api
        self.query_client = query_client
        self.report_client = report_client
        self.request_spec = request_spec
        self.conf = conf
        self._source_cn = None
        self._held_allocations = None

    def _execute(self):
        self._check_instance_is_active()
        self._check_host_is_up(self.source)
        self._source_cn, self._held_allocations = migrate.replace_allocation_with_migration(
            self.context, self.instance, self.migration, self.report_client)
        if not self.destination:
            # no host, or one the scheduler's filters must still accept
            self.destination, dest_node, self.limits = self._find_destination()
        else:
            dest_node = self._check_forced_destination()
        self.instance.availability_zone = availability_zones.get_host_availability_zone(
            self.context, self.destination, self.conf)
        self.migration.source_node = self.instance.node
        self.migration.dest_node = dest_node
        self.migration.dest_compute = self.destination
        self.migration.save()
        return self.compute_rpcapi.live_migration(
            self.context, host=self.source, instance=self.instance, dest=self.destination,
            block_migration=self.block_migration, migration=self.migration,
            migrate_data=self.migrate_data)

    def _check_forced_destination(self):
        """The forced host: not the source, up, room for the memory, the same kind of
        hypervisor; claim on it what the instance held on the source, then ask it.
        Returns the destination's node name."""
        self._check_destination_is_not_source()
        self._check_host_is_up(self.destination)
        self._check_destination_has_enough_memory()
        source_node, dest_node = self._check_compatible_with_source_hypervisor(
            self.destination)
        scheduler_utils.claim_resources_on_destination(
            self.context, self.report_client, self.instance, source_node, dest_node,
            source_allocations=self._held_allocations, consumer_generation=None)
        try:
            self._check_requested_destination()
        except Exception:
            self._remove_host_allocations(dest_node["uuid"])
            raise
        return dest_node["hypervisor_hostname"]

    def rollback(self, ex):
        """Give the allocation the migration holds on the source back to the instance."""
        if self._held_allocations:
            migrate.revert_allocation_for_migration(self.context, self._source_cn,
                                                    self.instance, self.migration,
                                                    self.report_client)

    def _check_instance_is_active(self):
        if self.instance.power_state not in (power_state.RUNNING, power_state.PAUSED):
            raise exception.InstanceInvalidState(
                instance_uuid=self.instance.uuid, attr="power_state",
                state=power_state.STATE_MAP[self.instance.power_state],
                method="live migrate")

    def _check_host_is_up(self, host):
        service = objects.Service.get_by_compute_host(self.context, host)
        if not self.servicegroup_api.service_is_up(service):
            raise exception.ComputeServiceUnavailable(host=host)

    def _check_requested_destination(self):
        """Ask the forced host (and, through it, the source) whether the move can work.

        NOTE(labkit): nova also checks the host is in the instance's cell; labkit has
        one cell."""
        self._call_livem_checks_on_host(self.destination)

    def _check_destination_is_not_source(self):
        if self.destination == self.source:
            raise exception.UnableToMigrateToSelf(instance_id=self.instance.uuid,
                                                  host=self.destination)

    def _check_destination_has_enough_memory(self):
        """The RAMFilter's sum, as nova still does it for a forced host."""
        compute = self._get_compute_info(self.destination)
        total_ram_mb = compute["memory_mb"]
        free_ram_mb = total_ram_mb - (compute["memory_mb_used"] or 0)
        mem_inst = self.instance.flavor["memory_mb"]
        avail = total_ram_mb * compute["ram_allocation_ratio"] - (total_ram_mb - free_ram_mb)
        if not mem_inst or avail <= mem_inst:
            raise exception.MigrationPreCheckError(
                reason=f"Unable to migrate {self.instance.uuid} to {self.destination}: "
                       f"Lack of memory(host:{avail} <= instance:{mem_inst})")

    def _get_compute_info(self, host):
        return objects.ComputeNode.get_first_node_by_host_for_old_compat(self.context, host)

    def _check_compatible_with_source_hypervisor(self, destination):
        source_info = self._get_compute_info(self.source)
        destination_info = self._get_compute_info(destination)
        if source_info["hypervisor_type"] != destination_info["hypervisor_type"]:
            raise exception.InvalidHypervisorType()
        if source_info["hypervisor_version"] > destination_info["hypervisor_version"]:
            raise exception.DestinationHypervisorTooOld()
        return source_info, destination_info

    def _call_livem_checks_on_host(self, destination):
        """The destination's check (a call), which calls the source's in turn.

        NOTE(labkit): nova then binds the ports on the destination (inactive bindings,
        neutron's binding-extended API); labkit's ports keep one binding, moved when the
        guest runs on the destination (post_live_migration_at_destination)."""
        try:
            self.migrate_data = self.compute_rpcapi.check_can_live_migrate_destination(
                self.context, self.instance, destination, self.block_migration,
                self.disk_over_commit, self.migration, self.limits)
        except MessagingTimeout:
            raise exception.MigrationPreCheckError(
                reason=f"Timeout while checking if we can live migrate to host: "
                       f"{destination}") from None

    def _get_request_spec_for_select_destinations(self):
        """The saved request spec, for this move: no forced hosts, the group's hosts.

        NOTE(labkit): nova also asks neutron for the ports' resource requests, pins the
        request to the instance's cell and heals ``is_bfv``; labkit has neither port
        resources nor cells."""
        request_spec = self.request_spec
        request_spec.reset_forced_destinations()
        scheduler_utils.setup_instance_group(self.context, request_spec, self.conf)
        return request_spec

    def _find_destination(self):
        """Ask the scheduler, then the host it picked; a host that says no is left out
        next time (``ignore_hosts``) and its claim removed."""
        attempted_hosts = [self.source]
        request_spec = self._get_request_spec_for_select_destinations()
        host = None
        while host is None:
            self._check_not_over_max_retries(attempted_hosts)
            request_spec.ignore_hosts = attempted_hosts
            try:
                selection = self.query_client.select_destinations(
                    self.context, request_spec, [self.instance.uuid], return_objects=True,
                    return_alternates=False)[0][0]
                host = selection.service_host
            except RemoteError as ex:
                raise exception.MigrationSchedulerRPCError(reason=str(ex)) from None
            try:
                self.limits = selection.limits
                self._check_compatible_with_source_hypervisor(host)
                self._call_livem_checks_on_host(host)
            except (exception.Invalid, exception.MigrationPreCheckError) as e:
                LOG.debug("Skipping host: %s because: %s", host, e)
                attempted_hosts.append(host)
                self._remove_host_allocations(selection.compute_node_uuid)
                host = None
                self.limits = None
        return selection.service_host, selection.nodename, selection.limits

    def _remove_host_allocations(self, compute_node_uuid):
        """Drop the instance's claim on one host (a destination that said no)."""
        self.report_client.remove_provider_tree_from_instance_allocation(
            self.context, self.instance.uuid, compute_node_uuid)

    def _check_not_over_max_retries(self, attempted_hosts):
        """MaxRetriesExceeded after ``migrate_max_retries`` hosts said no (-1: never)."""
        if self.conf.migrate_max_retries == -1:
            return
        retries = len(attempted_hosts) - 1
        if retries > self.conf.migrate_max_retries:
            if self.migration:
                self.migration.status = "failed"
                self.migration.save()
            raise exception.MaxRetriesExceeded(
                reason=f"Exceeded max scheduling retries {retries} for instance "
                       f"{self.instance.uuid} during live migration")
