"""nova-compute: builds, rebuilds, shelves, unshelves, starts, moves and deletes instances on
one host (and, back from a failure, cleans up what was evacuated from it).

Real nova: nova/compute/manager.py:ComputeManager.  Most methods the bus delivers
here were *cast* (nobody waits for them); a few are *calls*: the console log,
set_host_enabled, and a live migration's checks and its pre/post steps on the
destination.  Every ``instance.save()`` here is an RPC *call* to the conductor,
because nova-compute has no database.  Its periodic task (_poll_shelved_instances)
and the service's heartbeat run on the lab's one timer thread (labkit/periodic.py),
with a fresh admin context each time.
NOTE(labkit): nova's legacy (unversioned) notifications are not sent, only the versioned ones.
"""
import contextlib
import functools
import inspect
import logging
import threading

from labkit.messaging import Target
from labkit.nova import exception, objects, rpc
from labkit.nova.compute import power_state, task_states, vm_states
from labkit.nova.compute import utils as compute_utils
from labkit.nova.compute import rpcapi as compute_rpcapi
from labkit.nova.compute.resource_tracker import ResourceTracker
from labkit.nova.conductor import rpcapi as conductor_rpcapi
from labkit.nova.image import glance
from labkit.nova.network import neutron
from labkit.nova.scheduler import rpcapi as scheduler_rpcapi
from labkit.nova.scheduler.client.report import SchedulerReportClient
from labkit.nova.manager import Manager, periodic_task
from labkit.nova.utils import is_older_than, utcnow_str
from labkit.nova.virt import fake

LOG = logging.getLogger(__name__)
EventReporter = compute_utils.EventReporter


def reverts_task_state(fn):
    """If the action fails, clear the task state so the server can be acted on again.

    Real nova: nova/compute/manager.py:reverts_task_state."""
    @functools.wraps(fn)
    def inner(self, context, instance, *args, **kwargs):
        try:
            return fn(self, context, instance, *args, **kwargs)
        except Exception:
            instance.task_state = None
            instance.save()
            raise
    return inner


def _instance_arg(fn, args, kwargs):
    """The ``instance`` argument of a call to ``fn``, wherever it was passed."""
    return inspect.signature(fn).bind(*args, **kwargs).arguments["instance"]


def wrap_instance_event(prefix):
    """Record the method as the instance action event ``<prefix>_<method>`` (Success or
    Error).  Real nova: nova/compute/manager.py:wrap_instance_event."""
    def helper(fn):
        @functools.wraps(fn)
        def inner(self, context, *args, **kwargs):
            instance = _instance_arg(fn, (self, context) + args, kwargs)
            with EventReporter(context, f"{prefix}_{fn.__name__}", self.host, instance.uuid):
                return fn(self, context, *args, **kwargs)
        return inner
    return helper


def wrap_instance_fault(fn):
    """Record what the method raises as the instance's fault (the server's ``fault``).
    Real nova: nova/compute/manager.py:wrap_instance_fault."""
    @functools.wraps(fn)
    def inner(self, context, *args, **kwargs):
        try:
            return fn(self, context, *args, **kwargs)
        except exception.InstanceNotFound:
            raise
        except Exception as exc:
            compute_utils.add_instance_fault_from_exc(
                context, _instance_arg(fn, (self, context) + args, kwargs), exc, self.host)
            raise
    return inner


class ComputeManager(Manager):
    target = Target("compute", version="6.5")

    def __init__(self, lab, host, node):
        super().__init__(lab, host, node)
        self.nodename = host
        self.image_api = glance.API(lab, node)
        self.network_api = neutron.API(lab, node)
        self.reportclient = SchedulerReportClient(lab, node)
        self.compute_task_api = conductor_rpcapi.ComputeTaskAPI(lab, node)
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(lab, node)
        self._waiting_live_migrations = {}       # instance uuid -> its queued live migration
        self.scheduler_client = scheduler_rpcapi.SchedulerAPI(lab, node)
        self.notifier = rpc.get_notifier(lab, node, f"nova-compute:{host}")
        hypervisor = lab.data["hosts"]["hypervisor"]
        self.driver = fake.FakeDriver(host, hypervisor, lab.conf.virt_delays, self.image_api)
        self.rt = ResourceTracker(host, self.driver, self.reportclient, hypervisor)
        # 0: no limit (nova: compute_utils.UnlimitedSemaphore)
        self._build_semaphore = threading.Semaphore(lab.conf.max_concurrent_builds) \
            if lab.conf.max_concurrent_builds > 0 else contextlib.nullcontext()
        self.node_uuid = lab.ids.uuid4()      # this host's compute node (and its provider)

    def _notify(self, context, instance, action, phase, exc=None):
        compute_utils.notify_about_instance_action(context, instance, self.host, action, phase,
                                                   self.notifier, exception=exc)

    # -- build ------------------------------------------------------------------------
    def build_and_run_instance(self, context, instance, image, request_spec, filter_properties,
                               admin_password=None, injected_files=None,
                               requested_networks=None, security_groups=None,
                               block_device_mapping=None, node=None, limits=None,
                               host_list=None, accel_uuids=None):
        """NOTE(labkit): nova hands this to a new green thread (utils.spawn_n) and
        returns; labkit runs it on one of this host's RPC worker threads."""
        with self._build_semaphore:
            self._do_build_and_run_instance(
                context, instance, image, request_spec, filter_properties, admin_password,
                injected_files, requested_networks, security_groups, block_device_mapping,
                node, limits, host_list)

    def _do_build_and_run_instance(self, context, instance, image, request_spec,
                                   filter_properties, admin_password, injected_files,
                                   requested_networks, security_groups, block_device_mapping,
                                   node, limits, host_list):
        with EventReporter(context, "compute__do_build_and_run_instance", self.host,
                           instance.uuid):
            instance.vm_state, instance.task_state = vm_states.BUILDING, None
            instance.save(expected_task_state=[task_states.SCHEDULING, None])
            try:
                # NOTE(labkit): nova's _build_and_run_instance first reads the instance's
                # allocations (GET /allocations/{instance}) for rt.instance_claim;
                # labkit's claim does not need them and sends no such request.
                self._build_and_run_instance(context, instance, image, request_spec,
                                             admin_password, requested_networks, node)
            except exception.RescheduledException as exc:
                self._reschedule(context, instance, image, request_spec, filter_properties,
                                 admin_password, injected_files, requested_networks,
                                 security_groups, block_device_mapping, host_list, exc)
                self.rt.build_failed(context)
            except Exception as exc:  # BuildAbortException and the unexpected
                self._cleanup_allocated_networks(context, instance)
                self._set_instance_obj_error_state(context, instance, exc)
                # nova: build_and_run_instance's _locked_do_build_and_run_instance, once
                # the build returned FAILED
                self.reportclient.delete_allocation_for_instance(context, instance.uuid)
                self.rt.build_failed(context)

    def _reschedule(self, context, instance, image, request_spec, filter_properties,
                    admin_password, injected_files, requested_networks, security_groups,
                    block_device_mapping, host_list, exc):
        """Give the build back to the conductor, which tries the next alternate.

        Real nova: nova/compute/manager.py:_do_build_and_run_instance, its
        RescheduledException branch, in its order: free the ports, clear host and node,
        save task_state scheduling, give the allocation back (so that the conductor can
        claim an alternate), cast build_instances.  The failed build is counted after
        (_build_failed, in build_and_run_instance)."""
        LOG.info("%s: rescheduling %s: %s", self.host, instance.uuid, exc)
        # what the conductor's populate_retry names in the fault when no attempt is left
        filter_properties.setdefault("retry", {"num_attempts": 1, "hosts": []})[
            "exc_reason"] = exc.kwargs.get("reason")
        self._cleanup_allocated_networks(context, instance)
        instance.host = instance.node = None
        instance.task_state = task_states.SCHEDULING
        instance.save()
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        self.compute_task_api.build_instances(
            context, [instance], image, filter_properties, admin_password, injected_files,
            requested_networks, security_groups, block_device_mapping,
            request_spec=request_spec, host_lists=[host_list or []])

    def _build_and_run_instance(self, context, instance, image, request_spec,
                                admin_password, requested_networks, node):
        self._notify(context, instance, "create", "start")
        try:
            with self.rt.instance_claim(context, instance, node or self.nodename):
                network_info = self._build_resources(context, instance, requested_networks)
                instance.task_state = task_states.SPAWNING
                instance.save(expected_task_state=task_states.BLOCK_DEVICE_MAPPING)
                self.driver.spawn(context, instance, image, None, admin_password, None,
                                  network_info)
        except exception.BuildAbortException as exc:
            self._notify(context, instance, "create", "error", exc)
            raise
        except Exception as exc:
            self._notify(context, instance, "create", "error", exc)
            raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                 reason=str(exc)) from exc
        self._update_instance_after_spawn(instance)
        instance.save(expected_task_state=task_states.SPAWNING)
        self.rt.build_succeeded(context)
        self.scheduler_client.update_instance_info(context, self.host, {"uuid": instance.uuid})
        self._notify(context, instance, "create", "end")

    def _build_resources(self, context, instance, requested_networks):
        """Networking (a neutron port per network), then block devices.

        NOTE(labkit): nova's _build_resources then prepares the block devices
        (_prep_block_device: the instance's block device mappings become the driver's
        block_device_info; for a boot from an image there is no volume to attach, only
        the image-backed root disk, plus swap or ephemeral disks if the flavor has
        them); labkit sets the task_state and skips the work."""
        instance.task_state = task_states.NETWORKING
        instance.save(expected_task_state=None)
        try:
            network_info = self.network_api.allocate_for_instance(
                context, instance, requested_networks or [], self.host)
        except Exception as exc:
            raise exception.BuildAbortException(instance_uuid=instance.uuid,
                                                reason=f"Failed to allocate the network(s): {exc}")
        instance.info_cache = {"network_info": network_info}
        instance.task_state = task_states.BLOCK_DEVICE_MAPPING
        instance.save(expected_task_state=task_states.NETWORKING)
        return network_info

    def _update_instance_after_spawn(self, instance):
        instance.power_state = self.driver.get_info(instance)
        instance.vm_state, instance.task_state = vm_states.ACTIVE, None
        instance.launched_at = utcnow_str()

    def _cleanup_allocated_networks(self, context, instance):
        try:
            self.network_api.deallocate_for_instance(context, instance)
        except Exception:
            LOG.warning("failed to clean up ports of %s", instance.uuid)
        instance.info_cache = {"network_info": []}

    def _set_instance_obj_error_state(self, context, instance, exc):
        compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
        instance.vm_state, instance.task_state = vm_states.ERROR, None
        instance.save()

    # -- shelve ----------------------------------------------------------------------------
    def shelve_instance(self, context, instance, image_id, clean_shutdown=True,
                        accel_uuids=None):
        with EventReporter(context, "compute_shelve_instance", self.host, instance.uuid):
            self._shelve_instance(context, instance, image_id, clean_shutdown)

    def _shelve_instance(self, context, instance, image_id, clean_shutdown):
        self._notify(context, instance, "shelve", "start")
        self.driver.power_off(instance)
        state_map = {task_states.SHELVING: task_states.SHELVING,
                     task_states.IMAGE_PENDING_UPLOAD: task_states.SHELVING_IMAGE_PENDING_UPLOAD,
                     task_states.IMAGE_UPLOADING: task_states.SHELVING_IMAGE_UPLOADING}

        def update_task_state(task_state, expected_state=task_states.SHELVING):
            instance.task_state = state_map[task_state]
            instance.save(expected_task_state=state_map[expected_state])
        try:
            self.driver.snapshot(context, instance, image_id, update_task_state)
        except Exception as exc:
            self._shelve_rollback(context, instance, image_id, exc)
            raise
        sysmeta = dict(instance.system_metadata or {})
        sysmeta.update(shelved_at=utcnow_str(), shelved_image_id=image_id,
                       shelved_host=self.host)
        instance.system_metadata = sysmeta
        instance.vm_state, instance.task_state = vm_states.SHELVED, None
        offload = self.conf.shelved_offload_time == 0
        if offload:
            instance.task_state = task_states.SHELVING_OFFLOADING
        instance.power_state = self.driver.get_info(instance)
        instance.save(expected_task_state=[task_states.SHELVING,
                                           task_states.SHELVING_IMAGE_UPLOADING])
        self._notify(context, instance, "shelve", "end")
        if offload:
            self._shelve_offload_instance(context, instance, clean_shutdown=False)

    def _shelve_rollback(self, context, instance, image_id, exc):
        """The snapshot failed: drop the image record, power back on, back to ACTIVE.

        The image goes first, as nova's innermost ``@delete_image_on_error`` does it
        before ``@reverts_task_state`` clears the task: whoever sees the server ACTIVE
        again also sees no half-made snapshot."""
        try:
            self.image_api.delete(context, image_id)
        except exception.NovaException:
            pass
        compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
        self.driver.power_on(context, instance, None)
        instance.vm_state, instance.task_state = vm_states.ACTIVE, None
        instance.power_state = self.driver.get_info(instance)
        instance.save()
        self._notify(context, instance, "shelve", "error", exc)

    def shelve_offload_instance(self, context, instance, clean_shutdown=True,
                                accel_uuids=None):
        with EventReporter(context, "compute_shelve_offload_instance", self.host,
                           instance.uuid):
            self._shelve_offload_instance(context, instance, clean_shutdown)

    def _shelve_offload_instance(self, context, instance, clean_shutdown):
        self._notify(context, instance, "shelve_offload", "start")
        self.driver.power_off(instance)
        self.network_api.unbind_ports(context, instance)
        self.driver.destroy(context, instance, None)
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        instance.power_state = power_state.SHUTDOWN
        instance.vm_state, instance.task_state = vm_states.SHELVED_OFFLOADED, None
        # NOTE(labkit): nova's _shelve_offload_instance saves twice: vm_state
        # SHELVED_OFFLOADED with the host still set (its _update_resource_tracker needs
        # both), then _nil_out_instance_obj_host_and_node and a second save.  labkit
        # saves once, so that a client that sees SHELVED_OFFLOADED also sees no host.
        instance.host = instance.node = None
        instance.save(expected_task_state=[task_states.SHELVING,
                                           task_states.SHELVING_OFFLOADING])
        self.scheduler_client.delete_instance_info(context, self.host, instance.uuid)
        self._notify(context, instance, "shelve_offload", "end")

    @periodic_task("shelved_poll_interval")
    def _poll_shelved_instances(self, context):
        """Offload this host's SHELVED servers shelved more than shelved_offload_time ago.

        Real nova: nova/compute/manager.py:ComputeManager._poll_shelved_instances, a
        periodic task run every shelved_poll_interval seconds.  It asks the conductor for
        the instances (nova-compute has no database), marks each ``shelving_offloading``
        and offloads it as ``shelve_offload_instance`` would, on this host's own thread.
        """
        if self.conf.shelved_offload_time <= 0:
            return
        filters = {"vm_state": vm_states.SHELVED, "task_state": None, "host": self.host}
        # NOTE(labkit): nova asks for system_metadata only and lazy-loads the info_cache
        # (the ports to unbind) and the flavor (the notification) when the offload first
        # reads them, one more conductor call each; labkit's objects do not lazy-load
        shelved_instances = objects.InstanceList.get_by_filters(
            context, filters, expected_attrs=["system_metadata", "info_cache", "flavor"])
        to_gc = [instance for instance in shelved_instances
                 if is_older_than(instance.system_metadata["shelved_at"],
                                  self.conf.shelved_offload_time)]
        for instance in to_gc:
            try:
                instance.task_state = task_states.SHELVING_OFFLOADING
                instance.save(expected_task_state=(None,))
                self.shelve_offload_instance(context, instance, clean_shutdown=False)
            except Exception:
                LOG.exception("%s: periodic task failed to offload instance %s", self.host,
                              instance.uuid)

    # -- unshelve and start -------------------------------------------------------------------
    def unshelve_instance(self, context, instance, image, filter_properties, node,
                          request_spec=None, accel_uuids=None):
        with EventReporter(context, "compute_unshelve_instance", self.host, instance.uuid):
            self._unshelve_instance(context, instance, image, node)

    def _unshelve_instance(self, context, instance, image, node):
        self._notify(context, instance, "unshelve", "start")
        instance.task_state = task_states.SPAWNING
        instance.save(expected_task_state=task_states.UNSHELVING)
        allocations = self.reportclient.get_allocations_for_consumer(context, instance.uuid)
        try:
            # the claim first, then the port is bound to this host inside it
            with self.rt.instance_claim(context, instance, node or self.nodename):
                self.network_api.bind_ports_to_host(context, instance, self.host)
                self.driver.spawn(context, instance, image, None, None, allocations,
                                  (instance.info_cache or {}).get("network_info"))
        except Exception as exc:
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            instance.task_state = None
            instance.save()
            self._notify(context, instance, "unshelve", "error", exc)
            raise
        self._delete_shelved_image(context, instance)
        self._update_instance_after_spawn(instance)
        instance.save(expected_task_state=task_states.SPAWNING)
        # the schedulers learn the host runs it again (nova: _update_scheduler_instance_info)
        self.scheduler_client.update_instance_info(context, self.host, {"uuid": instance.uuid})
        self._notify(context, instance, "unshelve", "end")

    def _delete_shelved_image(self, context, instance):
        sysmeta = dict(instance.system_metadata or {})
        image_id = sysmeta.pop("shelved_image_id", None)
        for key in ("shelved_at", "shelved_host"):
            sysmeta.pop(key, None)
        instance.system_metadata = sysmeta
        if image_id:
            try:
                self.image_api.delete(context, image_id)
            except exception.ImageNotFound:
                LOG.warning("shelved image %s already gone", image_id)

    def start_instance(self, context, instance):
        with EventReporter(context, "compute_start_instance", self.host, instance.uuid):
            self._notify(context, instance, "power_on", "start")
            self.driver.power_on(context, instance, None)
            if instance.vm_state == vm_states.SHELVED:
                self._delete_shelved_image(context, instance)
            instance.power_state = self.driver.get_info(instance)
            instance.vm_state, instance.task_state = vm_states.ACTIVE, None
            instance.save(expected_task_state=task_states.POWERING_ON)
            self._notify(context, instance, "power_on", "end")

    # -- rebuild and evacuate ---------------------------------------------------------------
    @reverts_task_state
    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, orig_sys_metadata, bdms, recreate, on_shared_storage,
                         preserve_ephemeral, migration, scheduled_node, limits, request_spec,
                         accel_uuids, reimage_boot_volume=None, target_state=None):
        """Destroy and re-make the guest: here, on the same host (a rebuild), or here
        as the new host of an instance whose own host is down (``recreate``: evacuate).

        Real nova: nova/compute/manager.py:ComputeManager.rebuild_instance.  A rebuild
        claims nothing (nova's NopClaim); an evacuation claims through the resource
        tracker (its migration turns ``pre-migrating``), and once the guest runs the
        tracker makes the instance this host's and the migration ``done``.
        """
        evacuate = recreate
        with EventReporter(context, "compute_rebuild_instance", self.host, instance.uuid):
            LOG.info("%s: %s instance %s", self.host,
                     "Evacuating" if evacuate else "Rebuilding", instance.uuid)
            image = self.image_api.get(context, image_ref) if image_ref else None
            scheduled_node = scheduled_node or (self.nodename if evacuate else instance.node)
            allocs = self.reportclient.get_allocations_for_consumer(context, instance.uuid)
            try:
                claim = self.rt.rebuild_claim(context, instance, scheduled_node, allocs,
                                              limits, image, migration) if evacuate \
                    else contextlib.nullcontext()
                with claim:
                    self._do_rebuild_instance(
                        context, instance, orig_image_ref, image, injected_files, new_pass,
                        orig_sys_metadata, evacuate, preserve_ephemeral, migration,
                        request_spec, allocs, target_state)
            except Exception as exc:
                self._rebuild_failed(context, instance, migration, evacuate, scheduled_node,
                                     exc)
                raise
            self.rt.finish_evacuation(instance, scheduled_node, migration)

    def _rebuild_failed(self, context, instance, migration, evacuate, node, exc):
        """The migration ``failed``, the instance's allocation on this node given back,
        the error noted, the server ERROR (nova: rebuild_instance's ``except Exception``
        inside _error_out_instance_on_exception).

        As nova's, this drops the allocation here for a failed rebuild on the same host
        too (its ``scheduled_node`` is the instance's node, never None), not only for an
        evacuation's claim: a server left in ERROR by a failed rebuild holds nothing."""
        if migration is not None:
            migration.status = "failed"
            migration.save()
        if evacuate or node is not None:
            self.reportclient.remove_provider_tree_from_instance_allocation(
                context, instance.uuid, self.rt.compute_node["uuid"])
        self._notify(context, instance, "rebuild", "error", exc)
        self._set_instance_obj_error_state(context, instance, exc)

    def _do_rebuild_instance(self, context, instance, orig_image_ref, image, injected_files,
                             new_pass, orig_sys_metadata, evacuate, preserve_ephemeral,
                             migration, request_spec, allocations, target_state):
        """Acknowledge (``rebuilding``, the power state), the guest re-made, then back to
        the state it was in: a STOPPED server (or any evacuated at 2.95, whose
        ``target_state`` is stopped) is powered off again (stop_instance)."""
        orig_vm_state = instance.vm_state
        if evacuate:
            if target_state and orig_vm_state != vm_states.ERROR:
                if target_state not in vm_states.ALLOW_TARGET_STATES:
                    raise exception.InstanceEvacuateNotSupportedTargetState(
                        target_state=target_state)
                orig_vm_state = target_state
            if self.driver.instance_exists(instance):     # nova: _check_instance_exists
                raise exception.InstanceExists(name=instance.uuid)
        self._notify(context, instance, "rebuild", "start")
        instance.power_state = self.driver.get_info(instance)
        instance.task_state = task_states.REBUILDING
        instance.save(expected_task_state=[task_states.REBUILDING])
        if evacuate:     # the ports follow the server (nova: setup_instance_network_on_host)
            self.network_api.bind_ports_to_host(context, instance, self.host)
        network_info = (instance.info_cache or {}).get("network_info")
        self._rebuild_default_impl(context, instance, image, injected_files, new_pass,
                                   allocations, network_info, evacuate, preserve_ephemeral)
        self._update_instance_after_spawn(instance)
        instance.save(expected_task_state=[task_states.REBUILD_SPAWNING])
        if orig_vm_state == vm_states.STOPPED:
            LOG.info("bringing vm to original state: '%s'", orig_vm_state)
            instance.vm_state, instance.task_state = vm_states.ACTIVE, task_states.POWERING_OFF
            instance.progress = 0
            instance.save()
            self.stop_instance(context, instance, False)
        self.scheduler_client.update_instance_info(context, self.host, {"uuid": instance.uuid})
        self._notify(context, instance, "rebuild", "end")

    def _rebuild_default_impl(self, context, instance, image_meta, injected_files,
                              admin_password, allocations, network_info=None, evacuate=False,
                              preserve_ephemeral=False):
        """Power off and destroy the old guest (unless evacuating: it is on the host that
        is down), then spawn it again from the image.

        Real nova: ComputeManager._rebuild_default_impl (the driver has no rebuild of its
        own).  NOTE(labkit): no block devices to detach and attach again."""
        if preserve_ephemeral:
            raise exception.PreserveEphemeralNotSupported()
        if not evacuate:
            self.driver.power_off(instance)
            self.driver.destroy(context, instance, network_info)
        instance.task_state = task_states.REBUILD_BLOCK_DEVICE_MAPPING
        instance.save(expected_task_state=[task_states.REBUILDING])
        instance.task_state = task_states.REBUILD_SPAWNING
        instance.save(expected_task_state=[task_states.REBUILD_BLOCK_DEVICE_MAPPING])
        self.driver.spawn(context, instance, image_meta, injected_files, admin_password,
                          allocations, network_info)

    def _destroy_evacuated_instances(self, context):
        """Back after a failure: delete the guests evacuated away from this host while it
        was down, drop what they still hold here, and complete their migrations.

        Real nova: ComputeManager._destroy_evacuated_instances (init_host).  Returns
        {instance uuid: migration}, the instances init_host must leave alone.
        """
        evacuations = {m.instance_uuid: m for m in objects.MigrationList.get_by_filters(
            context, {"source_compute": self.host, "migration_type": "evacuation",
                      "status": ["accepted", "pre-migrating", "done"]})}
        if not evacuations:
            return {}
        # NOTE(labkit): nova reads the instances of the hypervisor's guests
        # (_get_instances_on_driver, not deleted ones), then each other evacuated one
        # (Instance.get_by_uuid), and skips an instance deleted meanwhile (InstanceNotFound):
        # its migration stays done and a periodic task destroys its guest.  labkit reads
        # the evacuated instances once, and its "deleted": True means deleted ones too (in
        # nova's filters, only deleted ones), so it also destroys a deleted one's guest and
        # completes its migration here.
        instances = {i.uuid: i for i in objects.InstanceList.get_by_filters(
            context, {"uuid": sorted(evacuations), "deleted": True})}
        for instance_uuid in sorted(set(self.driver.list_instance_uuids()) & set(instances)):
            LOG.info("%s: destroying instance %s as it has been evacuated from this host "
                     "but still exists in the hypervisor", self.host, instance_uuid)
            self.driver.destroy(context, instances[instance_uuid], None)
        for instance_uuid, migration in evacuations.items():
            if instance_uuid not in instances:
                continue
            instance = instances[instance_uuid]
            LOG.info("%s: cleaning up allocations of evacuated instance %s", self.host,
                     instance_uuid)
            # a server deleted meanwhile took its allocations with it
            if not instance.deleted and not \
                    self.reportclient.remove_provider_tree_from_instance_allocation(
                        context, instance.uuid, self.node_uuid):
                LOG.error("Failed to clean allocation of evacuated instance %s on the "
                          "source node %s", instance.uuid, self.node_uuid)
            migration.status = "completed"
            migration.save()
        return evacuations

    # -- resize and cold migration: prep (destination), resize (source), finish (destination)
    def _error_out_move(self, context, instance, migration, exc, vm_state=None):
        """A move step failed: the migration ``error`` and the server ERROR, with the
        fault (nova: errors_out_migration and _error_out_instance_on_exception)."""
        if migration is not None and migration.status != "error":
            migration.status = "error"
            migration.save()
        if isinstance(exc, exception.InstanceFaultRollback):   # nothing moved: as it was
            compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
            instance.vm_state, instance.task_state = vm_state or instance.vm_state, None
            instance.save()
        else:
            self._set_instance_obj_error_state(context, instance, exc)

    def prep_resize(self, context, image, instance, flavor, request_spec, filter_properties,
                    node, clean_shutdown, migration, host_list):
        """Destination: check, claim this host, then cast resize_instance to the source;
        a failure goes back to the conductor for an alternate host.

        Real nova: ComputeManager.prep_resize -> _do_prep_resize -> _prep_resize."""
        with EventReporter(context, "compute_prep_resize", self.host, instance.uuid):
            vm_state = instance.vm_state
            compute_utils.notify_about_resize_prep_instance(context, instance, self.host,
                                                            "start", flavor, self.notifier)
            try:
                self._prep_resize(context, image, instance, flavor, filter_properties, node,
                                  migration, request_spec, clean_shutdown)
            except Exception as exc:
                self._revert_allocation(context, instance, migration)
                try:
                    self._reschedule_resize_or_reraise(context, instance, exc, flavor,
                                                       request_spec, filter_properties,
                                                       host_list)
                except Exception as final:
                    self._error_out_move(context, instance, migration, final, vm_state)
                    raise
            finally:
                compute_utils.notify_about_resize_prep_instance(context, instance, self.host,
                                                                "end", flavor, self.notifier)

    def _prep_resize(self, context, image, instance, flavor, filter_properties, node,
                     migration, request_spec, clean_shutdown):
        """Stash the new flavor and the vm state, claim, cast ``resize_instance``.

        NOTE(labkit): nova keeps old and new flavors in instance_extra (instance.old_flavor,
        new_flavor); labkit keeps them in system metadata (as nova did before Kilo)."""
        if instance.host == self.host and flavor["id"] == instance.instance_type_id:
            raise exception.InstanceFaultRollback(   # nova's fake cannot migrate to itself
                inner_exception=exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                                                host=self.host))
        instance.system_metadata = dict(instance.system_metadata or {}, new_flavor=flavor,
                                        old_vm_state=instance.vm_state)
        instance.save()
        limits = (filter_properties or {}).get("limits") or {}
        allocs = self.reportclient.get_allocs_for_consumer(context, instance.uuid)
        with self.rt.resize_claim(context, instance, flavor, node or self.nodename, migration,
                                  allocs["allocations"], image_meta=image,
                                  limits=limits) as claimed:
            LOG.info("%s: migrating %s", self.host, instance.uuid)
            self.compute_rpcapi.resize_instance(context, instance, claimed, image, flavor,
                                                request_spec, clean_shutdown)

    def _reschedule_resize_or_reraise(self, context, instance, exc, flavor, request_spec,
                                      filter_properties, host_list):
        """With retry information, hand the resize back to the conductor (a *call*:
        ``migrate_server`` with the alternates), recording why; else, or if the conductor
        found no other host (its error recorded too), raise ``exc``.

        NOTE(labkit): nova goes through conductor/api.py:ComputeTaskAPI.resize_instance,
        which makes the same call."""
        retry = (filter_properties or {}).get("retry")
        if not retry:
            raise exc
        LOG.info("%s: rescheduling the resize of %s, attempt %d: %s", self.host,
                 instance.uuid, retry["num_attempts"], exc)
        retry["exc"] = [f"{type(exc).__name__}: {exc}"]
        try:
            self.compute_task_api.migrate_server(
                context, instance, {"filter_properties": filter_properties}, False, False,
                flavor, None, None, request_spec=request_spec, host_list=host_list)
        except Exception as error:
            LOG.exception("%s: error trying to reschedule %s", self.host, instance.uuid)
            compute_utils.add_instance_fault_from_exc(context, instance, error, self.host)
            self._notify(context, instance, "resize", "error", error)
            raise exc from error
        compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
        self._notify(context, instance, "resize", "error", exc)

    def _revert_allocation(self, context, instance, migration):
        """Give the allocation the migration holds back to the instance (its claim on
        this host goes): GET the migration's, then move_allocations."""
        if not self.reportclient.get_allocs_for_consumer(context, migration.uuid).get(
                "allocations"):
            LOG.error("Did not find resource allocations for migration %s on source node; "
                      "unable to revert source node allocations back to the instance.",
                      migration.uuid)
            return False
        self.reportclient.move_allocations(context, migration.uuid, instance.uuid)
        return True

    def resize_instance(self, context, instance, image, migration, flavor, clean_shutdown,
                        request_spec=None):
        """Source: ``migrating``, the disks off to the destination, ``post-migrating``,
        the instance's host is the destination now; cast finish_resize there."""
        with EventReporter(context, "compute_resize_instance", self.host, instance.uuid):
            try:
                self._resize_instance(context, instance, image, migration, flavor,
                                      clean_shutdown, request_spec)
            except Exception as exc:
                self._error_out_move(context, instance, migration, exc)
                raise

    def _resize_instance(self, context, instance, image, migration, flavor, clean_shutdown,
                         request_spec):
        network_info = (instance.info_cache or {}).get("network_info")
        migration.status = "migrating"
        migration.save()
        instance.task_state = task_states.RESIZE_MIGRATING
        instance.save(expected_task_state=task_states.RESIZE_PREP)
        self._notify(context, instance, "resize", "start")
        timeout = 60 if clean_shutdown else 0     # nova: _get_power_off_values
        disk_info = self.driver.migrate_disk_and_power_off(
            context, instance, migration.dest_host, flavor, network_info, None, timeout)
        migration.status = "post-migrating"
        migration.save()
        instance.host, instance.node = migration.dest_compute, migration.dest_node
        instance.system_metadata = dict(instance.system_metadata or {},
                                        old_flavor=instance.flavor)
        instance.task_state = task_states.RESIZE_MIGRATED
        instance.save(expected_task_state=task_states.RESIZE_MIGRATING)
        self.compute_rpcapi.finish_resize(context, instance, migration, image, disk_info,
                                          migration.dest_compute, request_spec)
        self._notify(context, instance, "resize", "end")

    def finish_resize(self, context, disk_info, image, instance, migration, request_spec=None):
        """Destination: the new flavor, the ports bound here, the guest started:
        ``finished`` and VERIFY_RESIZE.  On failure the migration's source claim goes."""
        with EventReporter(context, "compute_finish_resize", self.host, instance.uuid):
            try:
                self._finish_resize(context, instance, migration, disk_info, image)
            except Exception as exc:
                self._error_out_move(context, instance, migration, exc)
                self._delete_allocation_after_move(context, instance, migration)
                raise
            self.scheduler_client.update_instance_info(context, self.host,
                                                       {"uuid": instance.uuid})
            self._notify(context, instance, "resize_finish", "end")

    def _finish_resize(self, context, instance, migration, disk_info, image_meta):
        sysmeta = dict(instance.system_metadata or {})
        old_flavor = sysmeta["old_flavor"] = instance.flavor
        resize_instance = False
        if migration.old_instance_type_id != migration.new_instance_type_id:
            new_flavor = sysmeta["new_flavor"]
            instance.instance_type_id, instance.flavor = new_flavor["id"], new_flavor
            resize_instance = any(old_flavor[k] != new_flavor[k]
                                  for k in ("root_gb", "swap", "ephemeral_gb"))
        instance.system_metadata = sysmeta
        # nova: network_api.migrate_instance_finish binds the ports to this host
        self.network_api.bind_ports_to_host(context, instance, migration.dest_compute)
        instance.task_state = task_states.RESIZE_FINISH
        instance.save(expected_task_state=task_states.RESIZE_MIGRATED)
        self._notify(context, instance, "resize_finish", "start")
        power_on = sysmeta.get("old_vm_state", vm_states.ACTIVE) != vm_states.STOPPED
        allocations = self.reportclient.get_allocs_for_consumer(context, instance.uuid)
        self.driver.finish_migration(context, migration, instance, disk_info,
                                     (instance.info_cache or {}).get("network_info"),
                                     image_meta, resize_instance, allocations["allocations"],
                                     None, power_on)
        migration.status = "finished"
        migration.save()
        instance.vm_state, instance.task_state = vm_states.RESIZED, None
        instance.launched_at = utcnow_str()
        instance.save(expected_task_state=task_states.RESIZE_FINISH)

    # -- confirm (source) and revert (destination, then source) ----------------------------
    def confirm_resize(self, context, instance, migration):
        """Source: forget the old guest, drop its claim here, ACTIVE (or SHUTOFF) again."""
        with EventReporter(context, "compute_confirm_resize", self.host, instance.uuid):
            if migration.status == "confirmed":
                return
            if migration.status not in ("finished", "confirming"):
                LOG.warning("Unexpected confirmation status '%s' of migration %s, exit "
                            "confirmation process", migration.status, migration.id)
                return
            instance.refresh()
            try:
                self._confirm_resize(context, instance, migration)
            except Exception as exc:
                self._set_instance_obj_error_state(context, instance, exc)
                raise
            finally:
                self._delete_allocation_after_move(context, instance, migration)
                self.scheduler_client.delete_instance_info(context, self.host, instance.uuid)
                self._delete_stashed_flavor_info(instance)

    def _confirm_resize(self, context, instance, migration):
        self._notify(context, instance, "resize_confirm", "start")
        self.driver.confirm_migration(context, migration, instance,
                                      (instance.info_cache or {}).get("network_info"))
        self.rt.drop_move_claim_at_source(context, instance, migration)
        instance.vm_state = vm_states.STOPPED \
            if instance.power_state == power_state.SHUTDOWN else vm_states.ACTIVE
        instance.task_state = None
        instance.save(expected_task_state=[None, task_states.DELETING])
        self._notify(context, instance, "resize_confirm", "end")

    def _delete_allocation_after_move(self, context, instance, migration):
        """Drop what the migration holds on the source: GET it, PUT it empty."""
        self.reportclient.delete_allocation_for_instance(context, migration.uuid,
                                                         consumer_type="migration", force=False)

    def _delete_stashed_flavor_info(self, instance):
        sysmeta = dict(instance.system_metadata or {})
        for key in ("old_flavor", "new_flavor", "old_vm_state"):
            sysmeta.pop(key, None)
        instance.system_metadata = sysmeta
        instance.save()

    def revert_resize(self, context, instance, migration, request_spec=None):
        """Destination: destroy the new guest, drop the claim here (``reverted``), cast
        finish_revert_resize to the source."""
        with EventReporter(context, "compute_revert_resize", self.host, instance.uuid):
            try:
                self.driver.destroy(context, instance,
                                    (instance.info_cache or {}).get("network_info"))
                self.rt.drop_move_claim_at_dest(context, instance, migration)
                instance.save(expected_task_state=[task_states.RESIZE_REVERTING])
                self.compute_rpcapi.finish_revert_resize(
                    context, instance, migration, migration.source_compute, request_spec)
            except Exception as exc:
                self._error_out_move(context, instance, migration, exc)
                raise

    def finish_revert_resize(self, context, instance, migration, request_spec=None):
        """Source: the old flavor, host and node back, the allocation back from the
        migration, the old guest on again."""
        with EventReporter(context, "compute_finish_revert_resize", self.host,
                           instance.uuid):
            try:
                self._finish_revert_resize(context, instance, migration)
            except Exception as exc:
                self._error_out_move(context, instance, migration, exc)
                raise
            finally:
                self._delete_stashed_flavor_info(instance)

    def _finish_revert_resize(self, context, instance, migration):
        self._notify(context, instance, "resize_revert", "start")
        sysmeta = instance.system_metadata or {}
        old_flavor = sysmeta.get("old_flavor") or instance.flavor
        instance.instance_type_id, instance.flavor = old_flavor["id"], old_flavor
        instance.host, instance.node = migration.source_compute, migration.source_node
        self._revert_allocation(context, instance, migration)
        self.network_api.bind_ports_to_host(context, instance, migration.source_compute)
        power_on = sysmeta.get("old_vm_state", vm_states.ACTIVE) != vm_states.STOPPED
        self.driver.finish_revert_migration(context, instance,
                                            (instance.info_cache or {}).get("network_info"),
                                            migration, None, power_on)
        instance.launched_at = utcnow_str()
        instance.save(expected_task_state=task_states.RESIZE_REVERTING)
        if power_on:
            instance.vm_state, instance.task_state = vm_states.ACTIVE, None
            instance.save()
        else:
            instance.task_state = task_states.POWERING_OFF
            instance.save()
            self.stop_instance(context, instance, clean_shutdown=True)
        self._notify(context, instance, "resize_revert", "end")

    # -- start-up ---------------------------------------------------------------------------
    def init_host(self, context, service_ref):
        """Finish what a killed nova-compute left half done (nova: ComputeManager.init_host).

        NOTE(labkit): nova runs it at every start.  An embedded lab's compute hosts start
        with its empty database, so only a service process (which can be killed and
        started again, labkit.cluster) or a restarted service (``service_ref``: it was
        registered before, Lab.restart_compute_service) has anything to find.  First the
        instances evacuated away while this host was down are cleaned up
        (_destroy_evacuated_instances); the others are taken up again.  nova's
        _error_out_instances_whose_build_was_interrupted (a BUILDING instance with an
        allocation on this node but no instance.host goes to ERROR before the RPC server
        starts) is left out: a build cast while the host was down simply runs.
        """
        if self.lab.only is None and service_ref is None:
            return
        evacuated = self._destroy_evacuated_instances(context)
        for instance in objects.InstanceList.get_by_host(context, self.host):
            if instance.uuid not in evacuated:
                self._init_instance(context, instance)

    def _init_instance(self, context, instance):
        """NOTE(labkit): the cases of nova/compute/manager.py:_init_instance that labkit's
        builds, deletes, starts and moves can leave behind; a stop, reboot, pause or
        suspend cut short keeps its task state, and snapshots do not exist here."""
        if instance.host != self.host or instance.vm_state == vm_states.ERROR:
            return
        if instance.vm_state == vm_states.BUILDING or instance.task_state in (
                task_states.SCHEDULING, task_states.BLOCK_DEVICE_MAPPING,
                task_states.NETWORKING, task_states.SPAWNING):
            LOG.warning("%s: instance %s failed to spawn before a restart: ERROR", self.host,
                        instance.uuid)
            instance.task_state, instance.vm_state = None, vm_states.ERROR
            instance.save()
        elif instance.task_state == task_states.DELETING:
            self.terminate_instance(context, instance)
        elif instance.task_state == task_states.POWERING_ON:
            self.start_instance(context, instance)
        elif instance.task_state == task_states.MIGRATING:
            # a live migration did not finish, but the guest is on this host
            self._reset_live_migration(context, instance)
        elif instance.task_state == task_states.RESIZE_PREP:     # nothing moved yet
            instance.task_state = None
            instance.save()
        elif instance.task_state == task_states.RESIZE_MIGRATING:
            self._revert_crashed_migration(context, instance)

    def _revert_crashed_migration(self, context, instance):
        """A restart cut a resize short on its source: the guest back as it was, no task.
        Real nova: the RESIZE_MIGRATING branch of ComputeManager._init_instance."""
        power_on = (instance.system_metadata or {}).get("old_vm_state") != vm_states.STOPPED
        try:
            migration = objects.MigrationList.get_by_filters(context, {
                "instance_uuid": instance.uuid, "status": "migrating"})[0]
            self.driver.finish_revert_migration(
                context, instance, (instance.info_cache or {}).get("network_info"),
                migration, None, power_on)
        except Exception:
            LOG.exception("%s: failed to revert crashed migration of %s", self.host,
                          instance.uuid)
        finally:
            LOG.info("%s: instance %s found in migrating state during startup; resetting "
                     "task_state", self.host, instance.uuid)
            instance.task_state = None
            instance.save()

    # -- host ---------------------------------------------------------------------------------
    def set_host_enabled(self, context, enabled):
        """Add (disabled) or remove (enabled) COMPUTE_STATUS_DISABLED on this host's
        resource provider, so placement leaves a disabled host out of the candidates.

        NOTE(labkit): nova also syncs the trait with the service at every start and in
        update_available_resource; labkit only when nova-api asks, here.
        """
        node = self.rt.compute_node
        if node is None:
            LOG.warning("Unable to add/remove trait COMPUTE_STATUS_DISABLED. No ComputeNode(s) "
                        "found for host: %s", self.host)
        else:
            try:
                self.reportclient.update_compute_provider_status(context, node["uuid"], enabled)
            except exception.NovaException as exc:       # best effort, as nova's
                LOG.warning("An error occurred while updating COMPUTE_STATUS_DISABLED trait "
                            "on compute node resource provider %s: %s", node["uuid"], exc)
        return "enabled" if enabled else "disabled"

    # -- delete ---------------------------------------------------------------------------------
    def terminate_instance(self, context, instance, bdms=None):
        with EventReporter(context, "compute_terminate_instance", self.host, instance.uuid):
            self._notify(context, instance, "delete", "start")
            self.driver.destroy(context, instance, None)
            self.network_api.deallocate_for_instance(context, instance)
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            instance.destroy()
            self.scheduler_client.delete_instance_info(context, self.host, instance.uuid)
            self._notify(context, instance, "delete", "end")

    def pre_start_hook(self, context, service_ref):
        """Report this host's compute node to the database and placement
        (nova: ComputeManager.pre_start_hook -> update_available_resource)."""
        self.rt.update_available_resource(context, self.nodename, self.node_uuid)

    def cleanup_host(self):
        for client in (self.image_api, self.network_api, self.reportclient):
            client.close()

    # -- the short actions: stop, reboot, pause, suspend, the console ------------------------

    def _save_power_result(self, context, instance, action, vm_state, expected_task_state):
        """The driver is done: save power and vm state, task None; ``<action>.end``."""
        instance.power_state = self.driver.get_info(instance)
        instance.vm_state, instance.task_state = vm_state, None
        instance.save(expected_task_state=expected_task_state)
        self._notify(context, instance, action, "end")

    @reverts_task_state
    def stop_instance(self, context, instance, clean_shutdown=True):
        """Power the guest off: SHUTOFF.  A guest already off may find the task cleared."""
        with compute_utils.EventReporter(context, "compute_stop_instance", self.host,
                                         instance.uuid):
            expected = [task_states.POWERING_OFF]
            if self.driver.get_info(instance) in (power_state.NOSTATE, power_state.SHUTDOWN,
                                                  power_state.CRASHED):
                expected.append(None)
            self._notify(context, instance, "power_off", "start")
            self.driver.power_off(instance)
            self._save_power_result(context, instance, "power_off", vm_states.STOPPED,
                                    expected)

    def reboot_instance(self, context, instance, block_device_info, reboot_type):
        """NOTE(labkit): nova holds a lock on the instance's uuid (utils.synchronized);
        labkit's per-host worker runs one message at a time per instance anyway.  Before
        its first save nova also loads the BDMs (_get_instance_block_device_info), asks
        neutron for the network info (network_api.get_instance_nw_info) and reads the
        share mappings; labkit reboots with the info cache and makes none of those hops."""
        with compute_utils.EventReporter(context, "compute_reboot_instance", self.host,
                                         instance.uuid):
            self._reboot_instance(context, instance, block_device_info, reboot_type)

    @reverts_task_state
    def _reboot_instance(self, context, instance, block_device_info, reboot_type):
        """Acknowledge (reboot_pending), start (reboot_started), reboot, back to no task."""
        soft = reboot_type == "SOFT"
        instance.task_state = task_states.REBOOT_PENDING if soft \
            else task_states.REBOOT_PENDING_HARD
        self._notify(context, instance, "reboot", "start")
        instance.power_state = self.driver.get_info(instance)
        instance.save(expected_task_state=task_states.soft_reboot_states if soft
                      else task_states.hard_reboot_states)
        if instance.power_state != power_state.RUNNING:
            LOG.warning("trying to reboot a non-running instance: (state: %s expected: %s)",
                        instance.power_state, power_state.RUNNING)
        new_vm_state = vm_states.RESCUED if instance.vm_state == vm_states.RESCUED \
            else vm_states.ACTIVE
        instance.task_state = task_states.REBOOT_STARTED if soft \
            else task_states.REBOOT_STARTED_HARD
        instance.save(expected_task_state=task_states.REBOOT_PENDING if soft
                      else task_states.REBOOT_PENDING_HARD)
        try:
            self.driver.reboot(context, instance, (instance.info_cache or {}).get(
                "network_info"), reboot_type, block_device_info=block_device_info)
        except Exception as exc:
            if self.driver.get_info(instance) != power_state.RUNNING:
                self._set_instance_obj_error_state(context, instance, exc)
                raise
            # the reboot failed but the guest still runs: a fault, not an ERROR
            LOG.warning("Reboot failed but instance is running: %s", exc)
            compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
            self._notify(context, instance, "reboot", "error", exc)
        instance.power_state = self.driver.get_info(instance)
        instance.vm_state, instance.task_state = new_vm_state, None
        instance.save()
        self._notify(context, instance, "reboot", "end")

    @reverts_task_state
    def pause_instance(self, context, instance):
        with compute_utils.EventReporter(context, "compute_pause_instance", self.host,
                                         instance.uuid):
            self._notify(context, instance, "pause", "start")
            self.driver.pause(instance)
            self._save_power_result(context, instance, "pause", vm_states.PAUSED,
                                    task_states.PAUSING)

    @reverts_task_state
    def unpause_instance(self, context, instance):
        with compute_utils.EventReporter(context, "compute_unpause_instance", self.host,
                                         instance.uuid):
            self._notify(context, instance, "unpause", "start")
            self.driver.unpause(instance)
            self._save_power_result(context, instance, "unpause", vm_states.ACTIVE,
                                    task_states.UNPAUSING)

    @reverts_task_state
    def suspend_instance(self, context, instance):
        """Suspend, remembering the vm state to resume to (system_metadata old_vm_state)."""
        with compute_utils.EventReporter(context, "compute_suspend_instance", self.host,
                                         instance.uuid):
            instance.system_metadata = dict(instance.system_metadata or {},
                                            old_vm_state=instance.vm_state)
            self._notify(context, instance, "suspend", "start")
            self.driver.suspend(context, instance)
            self._save_power_result(context, instance, "suspend", vm_states.SUSPENDED,
                                    task_states.SUSPENDING)

    @reverts_task_state
    def resume_instance(self, context, instance):
        with compute_utils.EventReporter(context, "compute_resume_instance", self.host,
                                         instance.uuid):
            self._notify(context, instance, "resume", "start")
            self.driver.resume(context, instance,
                               (instance.info_cache or {}).get("network_info"))
            sysmeta = dict(instance.system_metadata or {})
            vm_state = sysmeta.pop("old_vm_state", vm_states.ACTIVE)
            instance.system_metadata = sysmeta
            self._save_power_result(context, instance, "resume", vm_state,
                                    task_states.RESUMING)

    def get_console_output(self, context, instance, tail_length):
        """The driver's console log, its last ``tail_length`` lines (nova-api waits)."""
        output = self.driver.get_console_output(context, instance)
        if isinstance(output, str):
            output = output.encode("latin-1")
        if tail_length is not None:
            output = self._tail_log(output, tail_length)
        return output.decode("ascii", "replace")

    @staticmethod
    def _tail_log(log, length):
        """The last ``length`` lines; 0 (or not a number) gives nothing."""
        try:
            length = int(length)
        except ValueError:
            length = 0
        return b"" if length == 0 else b"\n".join(log.split(b"\n")[-length:])

    # -- live migration ---------------------------------------------------------------------
    # Real nova: ComputeManager.check_can_live_migrate_destination (destination),
    # check_can_live_migrate_source (source), live_migration -> _do_live_migration (source),
    # pre_live_migration and post_live_migration_at_destination (destination, calls from the
    # source on compute-alt), _post_live_migration and _rollback_live_migration (source),
    # rollback_live_migration_at_destination, live_migration_force_complete and _abort.

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def check_can_live_migrate_destination(self, ctxt, instance, block_migration,
                                           disk_over_commit, migration, limits):
        """Can this host (the destination) take the guest?  It asks the source in turn
        (a call) and answers the conductor with the data both sides agreed on.

        NOTE(labkit): nova first checks the server group's policy, reads both hosts'
        compute nodes for the driver (which the fake driver ignores: labkit passes only
        this host's) and claims NUMA/PCI resources; labkit's servers have neither."""
        dest_check_data = self.driver.check_can_live_migrate_destination(
            ctxt, instance, None, self.rt.compute_node, block_migration, disk_over_commit)
        try:
            allocs = self.reportclient.get_allocs_for_consumer(ctxt, instance.uuid)
            try:
                migrate_data = self.compute_rpcapi.check_can_live_migrate_source(
                    ctxt, instance, dest_check_data)
            except Exception as ex:
                raise exception.MigrationPreCheckError(
                    f"Error while check_can_live_migrate_source from {instance.host} to "
                    f"host {self.host}: {type(ex).__name__} {ex}") from ex
            migrate_data = self.driver.check_source_migrate_data_at_dest(
                ctxt, instance, migrate_data, migration, limits, allocs["allocations"])
        finally:
            self.driver.cleanup_live_migration_destination_check(ctxt, dest_check_data)
        return migrate_data

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def check_can_live_migrate_source(self, ctxt, instance, dest_check_data):
        """Can the guest leave this host (the source)?  A call from the destination."""
        dest_check_data["is_volume_backed"] = False     # labkit's servers boot from images
        return self.driver.check_can_live_migrate_source(ctxt, instance, dest_check_data)

    def live_migration(self, context, dest, instance, block_migration, migration,
                       migrate_data):
        """The conductor's cast to the source (topic compute-alt): ``queued``, then go.

        NOTE(labkit): nova submits _do_live_migration to its live migration executor and
        returns; labkit runs it here, on this RPC worker, once the ``compute_live_migration``
        event is over; what it raises is logged, as a failed future's would be."""
        with EventReporter(context, "compute_live_migration", self.host, instance.uuid):
            try:
                self._set_migration_status(migration, "queued")
                self._waiting_live_migrations[instance.uuid] = migration
            except Exception as exc:        # nova: errors_out_migration, wrap_instance_fault
                compute_utils.add_instance_fault_from_exc(context, instance, exc, self.host)
                self._set_migration_status(migration, "error")
                raise
        try:
            self._do_live_migration(context, dest, instance, block_migration, migration,
                                    migrate_data)
        except Exception:
            LOG.exception("%s: live migration of %s failed", self.host, instance.uuid)

    @staticmethod
    def _set_migration_status(migration, status):
        if migration:
            migration.status = status
            migration.save()

    def _do_live_migration(self, context, dest, instance, block_migration, migration,
                           migrate_data):
        """``preparing``: the destination gets ready (pre_live_migration, a call); unless
        aborted meanwhile, ``running``: the driver copies the guest, then calls back
        _post_live_migration (or _rollback_live_migration)."""
        self._set_migration_status(migration, "preparing")
        migrate_data = self._do_pre_live_migration_from_source(
            context, dest, instance, block_migration, migration, migrate_data)
        if self._waiting_live_migrations.pop(instance.uuid, None) is None:
            LOG.debug("Migration %s aborted by another process, rollback.", migration.uuid)
            self._rollback_live_migration(context, instance, dest, migrate_data, "cancelled",
                                          migration=migration)
            self._notify(context, instance, "live_migration_abort", "end")
            return
        self._set_migration_status(migration, "running")
        post = functools.partial(self._post_live_migration_update_host, migration=migration)
        rollback = functools.partial(self._rollback_live_migration, migration=migration)
        try:
            self.driver.live_migration(context, instance, dest, post, rollback,
                                       block_migration, migrate_data)
        except Exception as exc:
            LOG.exception("Live migration failed.")
            # almost certainly too late to roll back: the migration and the server in error
            self._set_migration_status(migration, "error")
            instance.refresh()
            self._set_instance_obj_error_state(context, instance, exc)
            raise

    def _do_pre_live_migration_from_source(self, context, dest, instance, block_migration,
                                           migration, migrate_data):
        """Call the destination's pre_live_migration; if it fails, the migration is in
        ``error`` and rolled back (_cleanup_pre_live_migration).

        NOTE(labkit): nova waits here for neutron's network-vif-plugged events when the
        destination asks it to; labkit's ports send none."""
        disk = None     # a block migration would send the disks' description
        try:
            return self.compute_rpcapi.pre_live_migration(context, instance, block_migration,
                                                          disk, dest, migrate_data)
        except Exception:
            LOG.exception("Pre live migration failed at %s", dest)
            self._set_migration_status(migration, "error")
            self._rollback_live_migration(context, instance, dest, migrate_data,
                                          migration=migration, pre_live_migration=True)
            raise

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def pre_live_migration(self, context, instance, disk, migrate_data):
        """Runs on the destination (a call from the source): get ready for the guest."""
        network_info = (instance.info_cache or {}).get("network_info")
        self._notify(context, instance, "live_migration_pre", "start")
        migrate_data = self.driver.pre_live_migration(context, instance, None, network_info,
                                                      disk, migrate_data)
        self._notify(context, instance, "live_migration_pre", "end")
        return migrate_data

    def _post_live_migration_update_host(self, ctxt, instance, dest, block_migration=False,
                                         migrate_data=None, migration=None):
        """_post_live_migration; if it fails, the guest runs on ``dest`` all the same, so
        the instance's host says so before the error goes on."""
        try:
            self._post_live_migration(ctxt, instance, dest, block_migration, migrate_data,
                                      migration=migration)
        except Exception:
            if instance.host != dest:
                instance.host, instance.node, instance.task_state = dest, dest, None
                instance.progress = 0
                instance.save()
            raise

    def _post_live_migration(self, ctxt, instance, dest, block_migration=False,
                             migrate_data=None, migration=None):
        """The guest runs on ``dest``: forget it here, have the destination take it over
        (a call), tell the schedulers, ``completed``, and drop the migration's allocation
        on this host (``PUT /allocations/{migration}`` with none left)."""
        self._notify(ctxt, instance, "live_migration_post", "start")
        self.driver.post_live_migration(ctxt, instance, None, migrate_data)
        self.driver.post_live_migration_at_source(
            ctxt, instance, (instance.info_cache or {}).get("network_info"))
        self.compute_rpcapi.post_live_migration_at_destination(ctxt, instance,
                                                               block_migration, dest)
        # NOTE(labkit): nova's update_available_resource runs here too (its resource
        # tracker reads this provider's allocations twice); labkit's tracker counts nothing.
        # As nova's, the schedulers hear of the instance from this, the source, host.
        self.scheduler_client.update_instance_info(ctxt, self.host, {"uuid": instance.uuid})
        self._notify(ctxt, instance, "live_migration_post", "end")
        if migration is not None:
            migration.status = "completed"
            migration.save()
            self._delete_allocation_after_move(ctxt, instance, migration)

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def post_live_migration_at_destination(self, context, instance, block_migration):
        """Runs on the destination (a call from the source): the guest is here now; its
        host, node and power state are saved (``task_state`` None), its ports bound here.

        NOTE(labkit): nova activates the port bindings the conductor made on this host
        (network_api.migrate_instance_finish); labkit's ports have one binding, moved here."""
        self.network_api.bind_ports_to_host(context, instance, self.host)
        self._notify(context, instance, "live_migration_post_dest", "start")
        try:
            self.driver.post_live_migration_at_destination(
                context, instance, (instance.info_cache or {}).get("network_info"),
                block_migration, None)
        except Exception:
            instance.vm_state = vm_states.ERROR
            raise
        finally:
            instance.host, instance.node = self.host, self.nodename
            instance.power_state = self.driver.get_info(instance)
            instance.task_state, instance.progress = None, 0
            instance.save(expected_task_state=task_states.MIGRATING)
        self._notify(context, instance, "live_migration_post_dest", "end")

    def _rollback_live_migration(self, context, instance, dest, migrate_data=None,
                                 migration_status="failed", migration=None,
                                 pre_live_migration=False):
        """Back to how it was on this (the source) host: the migration's allocation goes
        back to the instance, the destination cleans up (a cast, when it has disks to
        delete), task_state None, then the migration's ``migration_status``."""
        if migration is not None:
            self._revert_allocation(context, instance, migration)
        if not pre_live_migration:
            self.driver.rollback_live_migration_at_source(context, instance, migrate_data)
        self._notify(context, instance, "live_migration_rollback", "start")
        do_cleanup, destroy_disks = self._live_migration_cleanup_flags(migrate_data)
        if do_cleanup:
            self.compute_rpcapi.rollback_live_migration_at_destination(
                context, instance, dest, destroy_disks=destroy_disks,
                migrate_data=migrate_data)
        instance.task_state, instance.progress = None, 0
        instance.save(expected_task_state=[task_states.MIGRATING])
        self._notify(context, instance, "live_migration_rollback", "end")
        self._set_migration_status(migration, migration_status)

    @staticmethod
    def _live_migration_cleanup_flags(migrate_data):
        """(do_cleanup, destroy_disks): the destination must clean up unless the instance
        path is shared; its disks go unless block storage or the path is shared."""
        migrate_data = migrate_data or {}
        shared_path = migrate_data.get("is_shared_instance_path", True)
        shared_block = migrate_data.get("is_shared_block_storage", True)
        return not shared_path, not (shared_block or shared_path)

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def rollback_live_migration_at_destination(self, context, instance, destroy_disks,
                                               migrate_data):
        """Runs on the destination (a cast from the source): undo pre_live_migration."""
        self._notify(context, instance, "live_migration_rollback_dest", "start")
        self.driver.rollback_live_migration_at_destination(
            context, instance, (instance.info_cache or {}).get("network_info"), None,
            destroy_disks=destroy_disks, migrate_data=migrate_data)
        self._notify(context, instance, "live_migration_rollback_dest", "end")

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def live_migration_force_complete(self, context, instance):
        """Finish a running live migration now (libvirt pauses the guest to copy the rest)."""
        self._notify(context, instance, "live_migration_force_complete", "start")
        self.driver.live_migration_force_complete(instance)
        self._notify(context, instance, "live_migration_force_complete", "end")

    @wrap_instance_event(prefix="compute")
    @wrap_instance_fault
    def live_migration_abort(self, context, instance, migration_id):
        """Abort a live migration: one still waiting here is dropped (``cancelled``, its
        allocation back), a running one is left to the driver to stop."""
        self._notify(context, instance, "live_migration_abort", "start")
        if self._waiting_live_migrations.pop(instance.uuid, None) is not None:
            # NOTE(labkit): nova cancels a queued migration's future here (allocations
            # back, task_state None, ``cancelled``); labkit's starts at once on its worker,
            # so one still waiting is ``preparing``: _do_live_migration finds it gone,
            # rolls back (``cancelled``) and sends live_migration_abort.end
            return
        migration = objects.Migration.get_by_id(context, migration_id)
        if migration.status != "running":
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method="abort live migration")
        self.driver.live_migration_abort(instance)
        self._notify(context, instance, "live_migration_abort", "end")


    def _reset_live_migration(self, context, instance):
        """A restart cut a live migration short on its source (init_host): abort it if
        it was running, the migration in ``error``, the task cleared.

        Real nova: ComputeManager._reset_live_migration.  As nova's, the allocations stay
        as the migration left them (the migration's on this host, the instance's on the
        destination)."""
        migration = None
        try:
            migration = objects.Migration.get_by_instance_and_status(context, instance.uuid,
                                                                     "running")
            self.live_migration_abort(context, instance, migration.id)
        except Exception:
            LOG.exception("%s: failed to abort the live migration of %s", self.host,
                          instance.uuid)
        finally:
            self._set_migration_status(migration, "error")
            LOG.info("%s: instance %s found in migrating state during startup; resetting "
                     "task_state", self.host, instance.uuid)
            instance.task_state = None
            instance.save(expected_task_state=[task_states.MIGRATING])
