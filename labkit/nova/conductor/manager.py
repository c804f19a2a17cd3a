"""The conductor: nova's database proxy and workflow engine.

Real nova: nova/conductor/manager.py — ConductorManager (object_action: how
nova-compute saves without database access) and ComputeTaskManager
(schedule_and_build_instances, build_instances for reschedules,
unshelve_instance, rebuild_instance, migrate_server for resizes and cold
migrations, live_migrate_instance; the long ones run a task of
nova/conductor/tasks/).  Juno's conductor had ``build_instances`` do the first
build too; since Ocata the first build is ``schedule_and_build_instances``
and ``build_instances`` only reschedules.
"""
import json
import logging

from labkit.messaging import Target
from labkit.nova import availability_zones, exception, objects, rpc
from labkit.nova.compute import rpcapi as compute_rpcapi
from labkit.nova.compute import task_states, utils as compute_utils, vm_states
from labkit.nova.compute import instance_actions
from labkit.nova.conductor.tasks import live_migrate, migrate
from labkit.nova.image import glance
from labkit.nova.manager import Manager
from labkit.nova.objects.base import REGISTRY
from labkit.nova.scheduler import utils as scheduler_utils
from labkit.nova.servicegroup import API as ServiceGroupAPI
from labkit.nova.scheduler.client import query
from labkit.nova.scheduler.client.report import SchedulerReportClient


LOG = logging.getLogger(__name__)
# what LiveMigrationTask's checks raise: the server stays as it was (nova's list)
_LIVE_MIGRATE_PRE_CHECK_ERRORS = (
    exception.NoValidHost, exception.ComputeHostNotFound, exception.ComputeServiceUnavailable,
    exception.InvalidHypervisorType, exception.InvalidCPUInfo, exception.UnableToMigrateToSelf,
    exception.DestinationHypervisorTooOld, exception.HypervisorUnavailable,
    exception.InstanceInvalidState, exception.MigrationPreCheckError,
    exception.MigrationSchedulerRPCError)


class ConductorManager(Manager):
    """Runs object methods for services that have no database (nova-compute); its
    ComputeTaskManager (namespace ``compute_task``) runs the workflows."""

    target = Target("conductor", version="3.0")
    ENDPOINT_CLASSES = ("ComputeTaskManager",)

    def __init__(self, lab, host, node):
        super().__init__(lab, host, node)
        self.compute_task_mgr = ComputeTaskManager(lab, node, host)
        self.additional_endpoints.append(self.compute_task_mgr)

    def cleanup_host(self):
        self.compute_task_mgr.report_client.close()
        self.compute_task_mgr.image_api.close()

    def object_action(self, context, objinst, objmethod, args, kwargs):
        """Call ``objinst.objmethod`` here, return (changed fields, result)."""
        oldobj = objinst.obj_clone()
        result = getattr(objinst, objmethod)(*args, **kwargs)
        # nova compares every field with the clone's; an untouched field is still the
        # very same value here (obj_clone copies references), so ``is`` settles most
        new, old = objinst.__dict__, oldobj.__dict__
        updates = {name: new[name] for name in objinst.fields
                   if new[name] is not old[name] and new[name] != old[name]}
        return updates, result

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        return getattr(REGISTRY[objname], objmethod)(context, *args, **kwargs)


class ComputeTaskManager:
    """Build, reschedule and unshelve workflows (namespace ``compute_task``)."""

    target = Target("conductor", namespace="compute_task", version="1.26")

    def __init__(self, lab, node, host):
        self.lab, self.node, self.conf = lab, node, lab.conf
        self.host = host            # nova: CONF.host, "to record host in EventReporter"
        self.query_client = query.SchedulerQueryClient(lab, node)
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(lab, node)
        self.report_client = SchedulerReportClient(lab, node)
        self.image_api = glance.API(lab, node)
        self.servicegroup_api = ServiceGroupAPI(lab.conf)
        self.notifier = rpc.get_notifier(lab, node, f"nova-conductor:{host}")

    def _schedule_instances(self, context, request_spec, instance_uuids, return_alternates):
        scheduler_utils.setup_instance_group(context, request_spec, self.conf)
        return self.query_client.select_destinations(
            context, request_spec, instance_uuids, return_objects=True,
            return_alternates=return_alternates)

    def schedule_and_build_instances(self, context, build_requests, request_specs, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        """Schedule, create the instance records, then cast each build to its host."""
        instance_uuids = [br.instance_uuid for br in build_requests]
        try:
            host_lists = self._schedule_instances(context, request_specs[0], instance_uuids,
                                                  return_alternates=True)
        except Exception as exc:
            for build_request, spec in zip(build_requests, request_specs):
                self._bury_in_cell0(context, spec, exc, build_request)
            return
        for build_request, spec, host_list in zip(build_requests, request_specs, host_lists):
            host = host_list[0]
            instance = build_request.instance
            try:
                objects.BuildRequest.get_by_instance_uuid(context, instance.uuid)
            except exception.BuildRequestNotFound:
                # the user deleted the server while it was being scheduled: nothing to
                # build, and the room the scheduler claimed goes back
                self.report_client.delete_allocation_for_instance(context, instance.uuid)
                continue
            instance.availability_zone = host.availability_zone
            instance.create()
            objects.InstanceAction.action_start(context, instance.uuid, instance_actions.CREATE)
            # map the instance to its cell before the build request goes, so that a
            # GET /servers/{id} always finds one or the other
            self._map_instance_to_cell(context, instance, cell_id=1)
            if not self._delete_build_request(context, instance):
                continue
            filter_properties = {"retry": {"num_attempts": 1,
                                           "hosts": [[host.service_host, host.nodename]]},
                                 "limits": host.limits}
            self.compute_rpcapi.build_and_run_instance(
                context, instance=instance, host=host.service_host, image=image,
                request_spec=spec, filter_properties=filter_properties,
                admin_password=admin_password, injected_files=injected_files,
                requested_networks=requested_networks,
                security_groups=spec.security_groups,
                block_device_mapping=block_device_mapping, node=host.nodename,
                limits=host.limits, host_list=host_list[1:])   # the alternates

    def _delete_build_request(self, context, instance):
        """Delete the build request now the instance exists; False (and the instance
        destroyed, its claim released) when a delete took the build request first.

        Real nova: ComputeTaskManager._delete_build_request.  NOTE(labkit): nova releases
        the claim only where it finds the build request gone before creating the
        instance (above); labkit's API delete returns once the build request is gone,
        so the claim is released here too.  nova also destroys the server's block device
        mappings and tags, which labkit's servers do not have.
        """
        try:
            objects.BuildRequest(context, instance_uuid=instance.uuid).destroy()
            return True
        except exception.BuildRequestNotFound:
            pass
        instance.destroy()
        self.report_client.delete_allocation_for_instance(context, instance.uuid)
        return False

    @staticmethod
    def _map_instance_to_cell(context, instance, cell_id):
        """Point the instance's mapping at its cell (1) or cell0 (0).

        Real nova: ComputeTaskManager._map_instance_to_cell (and _bury_in_cell0's own
        update).  NOTE(labkit): nova reads the mapping first
        (InstanceMapping.get_by_instance_uuid); labkit saves it by the instance's uuid.
        """
        mapping = objects.InstanceMapping(context, instance_uuid=instance.uuid)
        mapping.obj_reset_changes()
        mapping.cell_id = cell_id
        mapping.save()

    def _bury_in_cell0(self, context, request_spec, exc, build_request):
        """No host: keep the instance in cell0, in ERROR, with the reason as its fault.

        Real nova: ComputeTaskManager._bury_in_cell0, in its order: create the instance
        in cell0 and point its instance mapping there (so GET /servers/{id} finds it),
        record the failed ``create`` action (_create_instance_action_for_cell0), set
        ERROR and write the fault (scheduler_utils.set_vm_state_and_notify), and delete
        the build request last.  NOTE(labkit): the mapping's update is not a trace hop,
        and nova's error notification (compute_task.build_instances) is not sent.
        """
        instance = build_request.instance
        instance.create()
        self._map_instance_to_cell(context, instance, cell_id=0)
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.CREATE)
        try:
            with compute_utils.EventReporter(context, "conductor_schedule_and_build_instances",
                                             self.host, instance.uuid):
                raise exc
        except Exception:
            pass
        instance.vm_state, instance.task_state = vm_states.ERROR, None
        instance.save()
        compute_utils.add_instance_fault_from_exc(context, instance, exc)
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            pass

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping=None, legacy_bdm=True, request_spec=None,
                        host_lists=None):
        """Reschedule to the next alternate — claimed here, without asking the scheduler.

        As nova's build_instances: first count the attempt (populate_retry: past
        ``max_attempts`` the build ends with "Exceeded max scheduling attempts N ...
        Last exception: <why compute failed>"), then, with attempts left, an empty
        alternate list ends it with "Exhausted all hosts available ...".
        """
        try:
            scheduler_utils.populate_retry(filter_properties, instances[0].uuid, self.conf)
        except exception.MaxRetriesExceeded as exc:
            for instance in instances:
                self._set_build_error(context, instance, exc)
            return
        retry = filter_properties.setdefault("retry", {"num_attempts": 1, "hosts": []})
        for instance, host_list in zip(instances, host_lists or [[]]):
            host = None
            while host_list:
                candidate = host_list.pop(0)
                if self.report_client.claim_resources(
                        context, instance.uuid, json.loads(candidate.allocation_request),
                        instance.project_id, instance.user_id):
                    host = candidate
                    break
            if host is None:
                self._set_build_error(context, instance, exception.MaxRetriesExceeded(
                    reason="Exhausted all hosts available for retrying build failures for "
                           f"instance {instance.uuid}."))
                continue
            retry["hosts"].append([host.service_host, host.nodename])
            self.compute_rpcapi.build_and_run_instance(
                context, instance=instance, host=host.service_host, image=image,
                request_spec=request_spec, filter_properties=filter_properties,
                admin_password=admin_password, injected_files=injected_files,
                requested_networks=requested_networks, security_groups=security_groups,
                block_device_mapping=block_device_mapping, node=host.nodename,
                limits=host.limits, host_list=host_list)

    @staticmethod
    def _set_build_error(context, instance, exc):
        compute_utils.add_instance_fault_from_exc(context, instance, exc)
        instance.vm_state, instance.task_state = vm_states.ERROR, None
        instance.save()

    def unshelve_instance(self, context, instance, request_spec=None):
        """SHELVED: power on in place.  SHELVED_OFFLOADED: schedule, then unshelve there."""
        if instance.vm_state == vm_states.SHELVED:
            instance.task_state = task_states.POWERING_ON
            instance.save(expected_task_state=task_states.UNSHELVING)
            self.compute_rpcapi.start_instance(context, instance)
            return
        # NOTE(labkit): nova's branch below is ``elif vm_state == SHELVED_OFFLOADED``, and
        # an ``else`` sets ERROR (UnshelveException); API.unshelve lets only these two
        # vm_states through, so labkit takes every other one for SHELVED_OFFLOADED
        image_id = (instance.system_metadata or {}).get("shelved_image_id")
        try:
            with compute_utils.EventReporter(context, "get_image_info", self.host,
                                             instance.uuid):
                image = self.image_api.get(context, image_id) if image_id else None
        except exception.ImageNotFound as exc:
            # NOTE(labkit): nova saves vm_state ERROR (leaving task_state as it is), records
            # the fault with the message "Unshelve attempted but the image <id> cannot be
            # found." and raises UnshelveException, which only the conductor's log sees
            # (this is a cast); labkit records the fault, clears task_state and returns.
            compute_utils.add_instance_fault_from_exc(context, instance, exc)
            instance.vm_state, instance.task_state = vm_states.ERROR, None
            instance.save()
            return
        try:
            with compute_utils.EventReporter(context, "schedule_instances", self.host,
                                             instance.uuid):
                request_spec.reset_forced_destinations()
                selection = self._schedule_instances(context, request_spec, [instance.uuid],
                                                     return_alternates=False)[0][0]
        except exception.NoValidHost:
            LOG.warning("No valid host found for unshelve instance %s", instance.uuid)
            instance.task_state = None
            instance.save()
            return
        # NOTE(labkit): nova also asks neutron and cyborg for the resources the ports and
        # devices need, and sets instance.availability_zone to the chosen host's zone
        # before it casts
        filter_properties = {"limits": selection.limits}
        self.compute_rpcapi.unshelve_instance(
            context, instance, selection.service_host, request_spec, image=image,
            filter_properties=filter_properties, node=selection.nodename)

    # -- rebuild and evacuate -------------------------------------------------------------
    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, orig_sys_metadata, bdms, recreate, on_shared_storage,
                         preserve_ephemeral=False, host=None, request_spec=None,
                         reimage_boot_volume=False, target_state=None):
        """Rebuild on the server's own host, or evacuate it (``recreate``) to a host the
        scheduler picks or the admin forced; then cast ``rebuild_instance`` to that host.

        Real nova: nova/conductor/manager.py:ComputeTaskManager.rebuild_instance.  An
        evacuation's destination is claimed on top of the source allocation: the
        instance holds both hosts until the source host comes back and cleans up.
        NOTE(labkit): nova's conductor also sends instance.rebuild_scheduled (and the
        legacy rebuild.scheduled) before the cast; labkit's conductor sends none.
        """
        evacuate = recreate
        with compute_utils.EventReporter(context, "rebuild_server", self.host, instance.uuid):
            node = limits = None
            try:
                migration = objects.Migration.get_by_instance_and_status(
                    context, instance.uuid, "accepted")
            except exception.MigrationNotFoundByStatus:
                migration = None
            if host:
                if host != instance.host:    # a forced evacuation: no scheduler
                    self._allocate_for_evacuate_dest_host(context, instance, host,
                                                          migration)
            else:
                host, node, limits = self._schedule_rebuild(
                    context, instance, request_spec, evacuate, migration, orig_image_ref,
                    image_ref)
            instance.availability_zone = availability_zones.get_host_availability_zone(
                context, host, self.conf)
            self.compute_rpcapi.rebuild_instance(
                context, instance=instance, new_pass=new_pass, injected_files=injected_files,
                image_ref=image_ref, orig_image_ref=orig_image_ref,
                orig_sys_metadata=orig_sys_metadata, bdms=bdms, recreate=evacuate,
                on_shared_storage=on_shared_storage, preserve_ephemeral=preserve_ephemeral,
                migration=migration, host=host, node=node, limits=limits,
                request_spec=request_spec, accel_uuids=[],
                reimage_boot_volume=reimage_boot_volume, target_state=target_state)

    def _schedule_rebuild(self, context, instance, request_spec, evacuate, migration,
                          orig_image_ref, image_ref):
        """(host, node, limits) from the scheduler: for an evacuation any host but the
        source; for a rebuild with a new image, the server's own host if it suits it.
        NoValidHost: the migration ``error``, the old image back, the server ERROR.
        NOTE(labkit): for a new image nova first checks the traits it requires against
        the providers the server holds (_validate_image_traits_for_rebuild); labkit's
        images require none."""
        if evacuate:
            request_spec.ignore_hosts = [instance.host]
            request_spec.reset_forced_destinations()
        try:
            selection = self._schedule_instances(context, request_spec, [instance.uuid],
                                                 return_alternates=False)[0][0]
        except (exception.NoValidHost, exception.UnsupportedPolicyException) as exc:
            if migration:
                migration.status = "error"
                migration.save()
            if orig_image_ref and orig_image_ref != image_ref:
                instance.image_ref = orig_image_ref
                instance.save()
            LOG.warning("Rebuild failed: %s", exc)
            self._set_build_error(context, instance, exc)
            raise
        return selection.service_host, selection.nodename, selection.limits

    def _allocate_for_evacuate_dest_host(self, context, instance, host, migration):
        """A forced destination: copy the source node's allocation to it (what the
        scheduler's claim would have done).  NoValidHost if placement refuses.

        Real nova: ComputeTaskManager._allocate_for_evacuate_dest_host over
        scheduler/utils.py:claim_resources_on_destination."""
        source = objects.ComputeNode.get_first_node_by_host_for_old_compat(context,
                                                                          instance.host)
        dest = objects.ComputeNode.get_first_node_by_host_for_old_compat(context, host)
        held = self.report_client.get_allocs_for_consumer(context, instance.uuid)
        resources = held["allocations"].get(source["uuid"], {}).get("resources")
        if resources and not self.report_client.claim_resources(
                context, instance.uuid, {"allocations": {dest["uuid"]: {
                    "resources": resources}}}, instance.project_id, instance.user_id,
                move=True):
            if migration:
                migration.status = "error"
                migration.save()
            exc = exception.NoValidHost(reason=f"Unable to move instance {instance.uuid} "
                                               f"to host {host}. There is not enough "
                                               "capacity on the host for the instance.")
            compute_utils.add_instance_fault_from_exc(context, instance, exc)
            instance.task_state = None
            instance.save()
            raise exc

    # -- resize and cold migration (and, before 2.34, live migration) -----------------------
    def migrate_server(self, context, instance, scheduler_hint, live, rebuild, flavor,
                       block_migration, disk_over_commit, reservations=None,
                       clean_shutdown=True, request_spec=None, host_list=None):
        """A live migration (``live``) or, with a ``flavor``, a resize or cold migration.

        Real nova: ComputeTaskManager.migrate_server; the cold path runs under the
        instance action event ``cold_migrate``."""
        if live and not rebuild and not flavor:
            self._live_migrate(context, instance, scheduler_hint, block_migration,
                               disk_over_commit, request_spec)
        elif not live and not rebuild and flavor:
            with compute_utils.EventReporter(context, "cold_migrate", self.host,
                                             instance.uuid):
                self._cold_migrate(context, instance, flavor,
                                   scheduler_hint["filter_properties"], clean_shutdown,
                                   request_spec, host_list)
        else:
            raise NotImplementedError()

    def _cold_migrate(self, context, instance, flavor, filter_properties, clean_shutdown,
                      request_spec, host_list):
        """Run MigrationTask; NoValidHost puts the server back as it was (task cleared,
        the reason its fault), anything else too, then re-raises for the event."""
        request_spec.flavor = flavor        # a resize schedules for the new flavor
        task = migrate.MigrationTask(context, instance, flavor, request_spec, clean_shutdown,
                                     self.compute_rpcapi, self.query_client,
                                     self.report_client, host_list, self.lab.ids, self.conf)
        try:
            task.execute()
        except exception.NoValidHost as ex:
            scheduler_utils.set_vm_state_and_notify(
                context, instance, "migrate_server",
                {"vm_state": instance.vm_state or vm_states.ACTIVE, "task_state": None}, ex)
            kind = "cold migrate" if flavor["id"] == instance.instance_type_id else "resize"
            raise exception.NoValidHost(reason=f"No valid host found for {kind}") from ex
        except Exception as ex:
            instance.refresh()
            scheduler_utils.set_vm_state_and_notify(
                context, instance, "migrate_server",
                {"vm_state": instance.vm_state, "task_state": None}, ex)
            raise
        request_spec.save_to_db(context)      # the new flavor, once the move is under way

    # -- live migration --------------------------------------------------------------------
    def live_migrate_instance(self, context, instance, scheduler_hint, block_migration,
                              disk_over_commit, request_spec):
        """A live migration from 2.34 (a cast): its errors stay here, on the instance."""
        with compute_utils.EventReporter(context, "conductor_live_migrate_instance",
                                         self.host, instance.uuid):
            self._live_migrate(context, instance, scheduler_hint, block_migration,
                               disk_over_commit, request_spec)

    def _live_migrate(self, context, instance, scheduler_hint, block_migration,
                      disk_over_commit, request_spec):
        """Create the ``live-migration`` record (accepted), then run the task.  A check
        that fails leaves the server as it was (task state cleared) and the record in
        ``error``; anything unexpected puts the server in ERROR."""
        destination = scheduler_hint.get("host")
        migration = objects.Migration(
            context, uuid=self.lab.ids.uuid4(), dest_compute=destination, status="accepted",
            instance_uuid=instance.uuid, source_compute=instance.host,
            migration_type="live-migration", old_instance_type_id=instance.flavor["id"],
            new_instance_type_id=instance.flavor["id"], user_id=context.user_id,
            project_id=context.project_id)
        migration.create()
        task = live_migrate.LiveMigrationTask(
            context, instance, destination, block_migration, disk_over_commit, migration,
            self.compute_rpcapi, self.servicegroup_api, self.query_client,
            self.report_client, request_spec, self.conf)
        try:
            task.execute()
        except _LIVE_MIGRATE_PRE_CHECK_ERRORS as ex:
            self._live_migrate_failed(context, instance, migration, ex, instance.vm_state)
            raise
        except Exception as ex:
            LOG.error("Migration of instance %s to host %s unexpectedly failed.",
                      instance.uuid, destination, exc_info=True)
            self._live_migrate_failed(context, instance, migration, ex, vm_states.ERROR)
            raise exception.MigrationError(reason=str(ex)) from ex

    def _live_migrate_failed(self, context, instance, migration, ex, vm_state):
        """The server in ``vm_state`` with no task and ``ex`` as its fault; the record
        in ``error`` (nova's _live_migrate: _set_vm_state, then migration.save)."""
        scheduler_utils.set_vm_state_and_notify(
            context, instance, "migrate_server",
            {"vm_state": vm_state, "task_state": None,
             "expected_task_state": task_states.MIGRATING}, ex, self.notifier)
        migration.status = "error"
        migration.save()
