"""The conductor's cold migration and resize: a migration record, a host, then prep_resize.

Real nova: nova/conductor/tasks/migrate.py — replace_allocation_with_migration,
revert_allocation_for_migration and MigrationTask.  The task makes (or, on a
reschedule, finds) the ``pre-migrating`` migration record and moves the
instance's source allocation to the *migration* consumer in one
``POST /allocations``, so the scheduler's claim for the instance on the
destination is a fresh one.  The first time the scheduler picks the host
(``select_destinations``, with alternates); a reschedule claims the next
alternate itself.  Then the destination is *cast* ``prep_resize`` on topic
``compute``.  If anything fails here, ``rollback`` marks the migration
``error`` and gives the source allocation back to the instance.

NOTE(labkit): nova's helpers reach placement through report_client_singleton();
a lab has no global client, so they take the report client as an argument.
Cross-cell moves (CrossCellMigrationTask), port resource requests and PCI
requests are left out.
"""
import json
import logging

from labkit.nova import exception, objects
from labkit.nova.conductor.tasks import base
from labkit.nova.scheduler import utils as scheduler_utils

LOG = logging.getLogger(__name__)


def replace_allocation_with_migration(context, instance, migration, reportclient):
    """Move what the instance holds on its source node to the migration consumer.

    Returns (source compute node, the instance's allocations before the move), or
    (None, None) when it held nothing there.  NoValidHost if placement refuses.
    """
    try:
        source_cn = objects.ComputeNode.get_first_node_by_host_for_old_compat(
            context, instance.host)
    except exception.NotFound:
        LOG.error("Unable to find record for source node %s on %s", instance.node,
                  instance.host)
        raise exception.ComputeHostNotFound(host=instance.host) from None
    orig_alloc = reportclient.get_allocs_for_consumer(context, instance.uuid)["allocations"]
    if not orig_alloc.get(source_cn["uuid"], {}).get("resources"):
        LOG.debug("Unable to find existing allocations for instance on source compute "
                  "node: %s", source_cn["uuid"])
        return None, None
    if not reportclient.move_allocations(context, instance.uuid, migration.uuid):
        raise exception.NoValidHost(reason="Unable to replace instance claim on source")
    return source_cn, orig_alloc


def revert_allocation_for_migration(context, source_cn, instance, migration, reportclient):
    """Give the allocation the migration holds back to the instance."""
    if not reportclient.move_allocations(context, migration.uuid, instance.uuid):
        LOG.error("Unable to replace resource claim on source host %s node %s for instance "
                  "%s", instance.host, instance.node, instance.uuid)


class MigrationTask(base.TaskBase):
    """A resize (new flavor) or a cold migration (same flavor) of one instance."""

    def __init__(self, context, instance, flavor, request_spec, clean_shutdown,
                 compute_rpcapi, query_client, report_client, host_list, ids, conf):
        super().__init__(context, instance)
        self.flavor, self.request_spec, self.clean_shutdown = flavor, request_spec, clean_shutdown
        self.compute_rpcapi, self.query_client = compute_rpcapi, query_client
        self.reportclient, self.host_list = report_client, host_list
        self.ids, self.conf = ids, conf
        self._migration = self._held_allocations = self._source_cn = None

    def _preallocate_migration(self):
        """The ``pre-migrating`` record: a reschedule finds the one it made before."""
        migration_type = "resize" if self.instance.flavor["id"] != self.flavor["id"] \
            else "migration"
        found = objects.MigrationList.get_by_filters(self.context, {
            "instance_uuid": self.instance.uuid, "migration_type": migration_type,
            "status": "pre-migrating"})
        if found:
            migration = found[0]
        else:
            # NOTE(labkit): nova's Migration.create makes its own uuid; labkit's comes
            # from the lab's seeded ids, so a seeded lab makes the same records
            migration = objects.Migration(
                self.context, uuid=self.ids.uuid4(),
                old_instance_type_id=self.instance.flavor["id"],
                new_instance_type_id=self.flavor["id"], status="pre-migrating",
                instance_uuid=self.instance.uuid, source_compute=self.instance.host,
                source_node=self.instance.node, migration_type=migration_type,
                user_id=self.context.user_id, project_id=self.context.project_id)
            migration.create()
        self._migration = migration
        self._source_cn, self._held_allocations = replace_allocation_with_migration(
            self.context, self.instance, migration, self.reportclient)
        return migration

    def _execute(self):
        self.request_spec.reset_forced_destinations()
        targeted = bool((self.request_spec.requested_destination or {}).get("host"))
        # nova: request_spec.to_legacy_filter_properties_dict and populate_retry
        legacy_props = {} if targeted else {"retry": dict(
            self.request_spec.retry or {"num_attempts": 0, "hosts": []})}
        if not targeted:
            legacy_props["retry"]["num_attempts"] += 1
            self.request_spec.retry = legacy_props["retry"]
        scheduler_utils.setup_instance_group(self.context, self.request_spec, self.conf)
        migration = self._preallocate_migration()
        selection = self._schedule() if self.host_list is None else self._reschedule()
        host, node = selection.service_host, selection.nodename
        if "retry" in legacy_props:      # nova: scheduler_utils.populate_filter_properties
            legacy_props["retry"]["hosts"].append([host, node])
        legacy_props["limits"] = selection.limits
        self.instance.availability_zone = selection.availability_zone
        LOG.debug("Calling prep_resize with selected host: %s; Selected node: %s; "
                  "Alternates: %s", host, node, self.host_list)
        self.compute_rpcapi.prep_resize(
            self.context, self.instance, self.request_spec.image, self.flavor, host,
            migration, request_spec=self.request_spec, filter_properties=legacy_props,
            node=node, clean_shutdown=self.clean_shutdown, host_list=self.host_list)

    def _schedule(self):
        """The scheduler's pick, and the alternates kept for a reschedule."""
        selection_lists = self.query_client.select_destinations(
            self.context, self.request_spec, [self.instance.uuid], return_objects=True,
            return_alternates=True)
        selection, self.host_list = selection_lists[0][0], selection_lists[0][1:]
        return selection

    def _reschedule(self):
        """Claim the next alternate ourselves (no scheduler); MaxRetriesExceeded when
        none is left or placement refuses them all."""
        while self.host_list:
            selection = self.host_list.pop(0)
            alloc_req = json.loads(selection.allocation_request) \
                if selection.allocation_request else None
            if not alloc_req or self.reportclient.claim_resources(
                    self.context, self.instance.uuid, alloc_req,
                    self.request_spec.project_id, self.request_spec.user_id, move=True):
                return selection
        raise exception.MaxRetriesExceeded(
            reason="Exhausted all hosts available for retrying build failures for instance "
                   f"{self.instance.uuid}.")

    def rollback(self, ex):
        """The migration in ``error``; the source allocation back to the instance."""
        if self._migration:
            self._migration.status = "error"
            self._migration.save()
        if self._held_allocations:
            revert_allocation_for_migration(self.context, self._source_cn, self.instance,
                                            self._migration, self.reportclient)
