"""The compute API inside nova-api: checks, records, then hands off by RPC.

Real nova: nova/compute/api.py:API.  ``create`` validates and records a
BuildRequest, then casts to the conductor and returns — which is why the
client gets 202 before any host is chosen.  ``shelve`` goes straight to the
instance's compute host; ``unshelve`` goes to the conductor, which may have
to schedule again.  The short actions (stop, start, reboot, pause, suspend, the
console log) check the states, save their task state, record the action and cast
straight to the instance's host; the console log is a *call*.  The moves (rebuild,
evacuate, resize, migrate, live_migrate) save their task state and go to the
conductor, which picks and checks the destination; a live migration under way is
forced to finish or aborted by a cast to its source host.  HostAPI (services),
AggregateAPI and KeypairAPI live here too, as in nova.
"""
import functools
import logging

from labkit.nova import availability_zones, crypto, exception, objects, quota
from labkit.nova.compute import instance_actions, rpcapi as compute_rpcapi
from labkit.nova.compute import task_states, utils as compute_utils, vm_states
from labkit.nova.conductor import api as conductor_api
from labkit.nova.image import glance
from labkit.nova.network import neutron, security_group_api
from labkit.nova.objects.keypair import KEYPAIR_TYPE_SSH, KeyPair, KeyPairList
from labkit.nova.scheduler.client.report import SchedulerReportClient
from labkit.nova.servicegroup import API as ServiceGroupAPI
from labkit.nova.utils import utcnow_str

LOG = logging.getLogger(__name__)


def check_instance_lock(fn):
    """Refuse to act on a locked instance unless the caller is admin."""
    @functools.wraps(fn)
    def inner(self, context, instance, *args, **kwargs):
        if instance.locked and not context.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        return fn(self, context, instance, *args, **kwargs)
    return inner


def check_instance_host(fn):
    """Refuse (InstanceNotReady) an instance that has no host yet, or any more.

    NOTE(labkit): nova's takes ``check_is_up`` (the host's service must be up);
    none of labkit's callers asks for it."""
    @functools.wraps(fn)
    def inner(self, context, instance, *args, **kwargs):
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        return fn(self, context, instance, *args, **kwargs)
    return inner


def check_instance_state(vm_state=None, task_state=(None,)):
    """Refuse unless the instance is in one of these vm and task states."""
    def outer(fn):
        @functools.wraps(fn)
        def inner(self, context, instance, *args, **kwargs):
            if vm_state is not None and instance.vm_state not in vm_state:
                raise exception.InstanceInvalidState(
                    attr="vm_state", instance_uuid=instance.uuid, state=instance.vm_state,
                    method=fn.__name__)
            if task_state is not None and instance.task_state not in task_state:
                raise exception.InstanceInvalidState(
                    attr="task_state", instance_uuid=instance.uuid,
                    state=instance.task_state, method=fn.__name__)
            return fn(self, context, instance, *args, **kwargs)
        return inner
    return outer


class API:
    def __init__(self, lab, node="nova-api"):
        self.lab, self.conf = lab, lab.conf
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(lab, node)
        self.compute_task_api = conductor_api.ComputeTaskAPI(lab, node)
        self.image_api = glance.API(lab, node)
        self.network_api = neutron.API(lab, node)
        self.quotas = quota.QuotaEngine(lab.conf)
        self.placementclient = SchedulerReportClient(lab, node)

    # -- reads ---------------------------------------------------------------------
    def get(self, context, instance_id):
        """An instance by uuid, from the cell DB or (before scheduling) its BuildRequest."""
        try:
            inst = objects.Instance.get_by_uuid(context, instance_id)
        except exception.InstanceNotFound:
            try:
                inst = objects.BuildRequest.get_by_instance_uuid(context, instance_id).instance
            except exception.BuildRequestNotFound:
                # the conductor may have created the instance and dropped the
                # BuildRequest between our two reads: look once more (as nova does)
                inst = objects.Instance.get_by_uuid(context, instance_id)
        if not context.is_admin and inst.project_id != context.project_id:
            raise exception.InstanceNotFound(instance_id=instance_id)
        return inst

    def get_all(self, context, search_opts=None, limit=None, marker=None, expected_attrs=None):
        """Servers newest first: the ones still being scheduled, then built instances.

        As nova/compute/api.py:API.get_all: build requests first (one that
        vanishes meanwhile has its instance created); a ``marker`` found among
        them pages on from there, else the instances page from it; the
        instances fill what ``limit`` leaves.  ``expected_attrs``: the extras to
        load (nova/db/api.py:INSTANCE_EXTRAS); ``None`` loads them all.
        """
        search_opts = dict(search_opts or {})
        if not (context.is_admin and search_opts.pop("all_tenants", False)):
            search_opts["project_id"] = context.project_id
        try:
            pending = [build.instance for build in objects.BuildRequestList.get_by_filters(
                context, search_opts, limit=limit, marker=marker)]
            marker = None
        except exception.MarkerNotFound:
            pending = []
        if limit is not None and len(pending) >= limit:
            return pending
        # an instance the conductor has created may still have its build request: it is
        # listed once, as an instance; reading up to the whole page of instances (not
        # the page minus the pending) keeps the page full when that happens
        instances = objects.InstanceList.get_by_filters(context, search_opts, limit=limit,
                                                        marker=marker,
                                                        expected_attrs=expected_attrs)
        known = {i.uuid for i in instances}
        listed = [i for i in pending if i.uuid not in known] + instances
        return listed if limit is None else listed[:limit]

    # -- create ---------------------------------------------------------------------
    def create(self, context, flavor, image_href, min_count=1, max_count=1, display_name=None,
               display_description=None, requested_networks=None, metadata=None,
               admin_password=None, availability_zone=None, key_name=None,
               security_groups=None, scheduler_hints=None, tags=None, hostname=None,
               forced_host=None, forced_node=None, requested_host=None,
               requested_hypervisor_hostname=None):
        """Create the records and cast to the conductor; returns (instances, reservation_id).
        A forced host (``zone:host:node``) skips the scheduler's filters; 2.74's does not."""
        if availability_zone and forced_host is None and availability_zone not in \
                availability_zones.get_availability_zones(context, HostAPI(self.lab),
                                                          get_only_available=True):
            raise exception.InvalidRequest("The requested availability zone is not available")
        destination = None
        if requested_host or requested_hypervisor_hostname:
            self._validate_host_or_node(context, requested_host, requested_hypervisor_hostname)
            destination = {"host": requested_host, "node": requested_hypervisor_hostname}
        # scheduler/utils.py:build_filter_properties' force_hosts and force_nodes
        forced = {name: value for name, value in (
            ("force_hosts", [forced_host] if forced_host else None),
            ("force_nodes", [forced_node] if forced_node else None),
            ("requested_destination", destination)) if value}
        return self._create_instance(
            context, flavor, image_href, min_count, max_count, display_name,
            display_description, requested_networks, metadata or {}, admin_password,
            availability_zone, key_name,
            self._check_requested_secgroups(context, security_groups or ["default"]),
            scheduler_hints or {}, tags or [], forced)

    def _check_metadata_properties_quota(self, context, metadata=None):
        """MetadataLimitExceeded (the API's 403) past the ``metadata_items`` quota."""
        if not metadata:
            return
        try:
            self.quotas.limit_check_project_and_user(
                context, project_values={"metadata_items": len(metadata)})
        except exception.OverQuota as exc:
            raise exception.MetadataLimitExceeded(
                allowed=exc.kwargs["quotas"]["metadata_items"]) from None

    def _check_requested_secgroups(self, context, secgroups):
        """Each requested group must be one of the project's ("default" always is).

        NOTE(labkit): nova calls this from _validate_and_build_base_options and keeps
        the groups' ids, then its server view asks neutron for their names on every
        GET (security_group_api.get_instances_security_groups_bindings); labkit keeps
        the names, found here once, and nova-compute turns them back into ids."""
        return [name if name == "default" else
                security_group_api.find(context, name, self.network_api)["name"]
                for name in secgroups]

    def _create_instance(self, context, flavor, image_href, min_count, max_count,
                         display_name, display_description, requested_networks, metadata,
                         admin_password, availability_zone, key_name, security_groups,
                         scheduler_hints, tags, forced):
        image = self.image_api.get(context, image_href)
        self._checks_for_create_and_rebuild(context, image, flavor, metadata)
        requested_networks = self._requested_networks(context, requested_networks)
        if key_name is not None:       # KeypairNotFound: the API's 400
            objects.KeyPair.get_by_name(context, context.user_id, key_name)
        num_instances = compute_utils.check_num_instances_quota(
            context, flavor, min_count, max_count, quotas=self.quotas)
        instance_group = self._get_requested_instance_group(context, scheduler_hints,
                                                            num_instances)
        reservation_id = "r-" + self.lab.ids.hex()[:8]
        build_requests, request_specs, instances = self._provision_instances(
            context, flavor, image, num_instances, display_name, display_description,
            requested_networks, metadata, availability_zone, key_name, security_groups,
            scheduler_hints, tags, reservation_id, forced)
        if instance_group is not None:
            instance_group.members += objects.InstanceGroup.add_members(
                context, instance_group.uuid, [i.uuid for i in instances])
            for spec in request_specs:
                spec.instance_group = instance_group
        self.compute_task_api.schedule_and_build_instances(
            context, build_requests=build_requests, request_spec=request_specs, image=image,
            admin_password=admin_password, injected_files=[],
            requested_networks=requested_networks, block_device_mapping=[], tags=tags)
        return instances, reservation_id

    def _get_requested_instance_group(self, context, scheduler_hints, num_instances):
        """The server group of the ``group`` hint; OverQuota "too many servers in group"
        if it would hold more of this user's servers than ``server_group_members``.

        NOTE(labkit): nova adds each member, then rechecks its quota, in
        _provision_instances; labkit checks once for all of them, before any record."""
        hint = (scheduler_hints or {}).get("group")
        if not hint:
            return None
        group = objects.InstanceGroup.get_by_uuid(
            context, hint[0] if isinstance(hint, list) else hint)
        try:
            self.quotas.check_deltas(context, {"server_group_members": num_instances}, group,
                                     context.user_id)
        except exception.OverQuota:
            raise exception.GroupMemberLimitExceeded() from None
        return group

    def _requested_networks(self, context, requested_networks):
        """``None``/[]/"auto" mean the default network; "none" means no ports."""
        if requested_networks == "none":
            return []
        if not requested_networks or requested_networks == "auto":
            default = self.network_api.get_default_network(context)
            return [{"uuid": default["id"]}] if default else []
        self.network_api.validate_networks(context, requested_networks)
        return requested_networks

    def _provision_instances(self, context, flavor, image, num_instances, display_name,
                             display_description, requested_networks, metadata,
                             availability_zone, key_name, security_groups, scheduler_hints,
                             tags, reservation_id, forced):
        """One RequestSpec, unsaved Instance and BuildRequest per instance."""
        build_requests, request_specs, instances = [], [], []
        for index in range(num_instances):
            uuid = self.lab.ids.uuid4()
            name = display_name if num_instances == 1 else f"{display_name}-{index + 1}"
            instance = objects.Instance(
                context, uuid=uuid, display_name=name, display_description=display_description,
                hostname=name, project_id=context.project_id, user_id=context.user_id,
                vm_state=vm_states.BUILDING, task_state=task_states.SCHEDULING,
                power_state=0, image_ref=image["id"], instance_type_id=flavor["id"],
                flavor=flavor, availability_zone=availability_zone, key_name=key_name,
                locked=False, launch_index=index, reservation_id=reservation_id,
                metadata=metadata, system_metadata=_sysmeta_from_image(image),
                security_groups=list(security_groups), tags=list(tags), progress=0,
                config_drive="", info_cache={"network_info": []}, created_at=utcnow_str())
            spec = objects.RequestSpec(
                context, instance_uuid=uuid, project_id=context.project_id,
                user_id=context.user_id, flavor=flavor,
                image=_request_spec_image(image),
                num_instances=num_instances, availability_zone=availability_zone,
                scheduler_hints=scheduler_hints, security_groups=list(security_groups),
                requested_networks=requested_networks, **forced)
            spec.create()
            build_request = objects.BuildRequest(
                context, instance_uuid=uuid, project_id=context.project_id, instance=instance,
                block_device_mappings=[], tags=list(tags))
            build_request.create()
            objects.InstanceMapping(context, instance_uuid=uuid, project_id=context.project_id,
                                    user_id=context.user_id).create()
            build_requests.append(build_request)
            request_specs.append(spec)
            instances.append(instance)
        return build_requests, request_specs, instances

    # -- shelve, unshelve -------------------------------------------------------------------
    @check_instance_lock
    @check_instance_state(vm_state=vm_states.ALLOW_SHELVE)
    def shelve(self, context, instance, clean_shutdown=True):
        """Snapshot record in glance, then a cast straight to the instance's host."""
        instance.task_state = task_states.SHELVING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.SHELVE)
        name = f"{instance.display_name}-shelved"
        image_meta = glance.create_image(context, instance, name, "snapshot", self.image_api)
        self.compute_rpcapi.shelve_instance(context, instance=instance,
                                            image_id=image_meta["id"],
                                            clean_shutdown=clean_shutdown)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.SHELVED])
    def shelve_offload(self, context, instance, clean_shutdown=True):
        instance.task_state = task_states.SHELVING_OFFLOADING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.SHELVE_OFFLOAD)
        self.compute_rpcapi.shelve_offload_instance(context, instance=instance,
                                                    clean_shutdown=clean_shutdown)

    _sentinel = object()      # nova: "no zone given" is not "unpin the zone" (None)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.SHELVED, vm_states.SHELVED_OFFLOADED])
    def unshelve(self, context, instance, new_az=_sentinel, host=None):
        """Mark unshelving and cast to the conductor (which decides: power on, or schedule).

        ``new_az`` not given keeps the zone the server is pinned to, None unpins it (2.91);
        a ``host`` must be in the zone the server will have (UnshelveHostNotInAZ, 409).
        """
        spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        az_passed = new_az is not self._sentinel
        if az_passed or host is not None:
            if instance.vm_state != vm_states.SHELVED_OFFLOADED:
                raise exception.Conflict(
                    f'Specifying an availability zone or a host when unshelving server '
                    f'"{instance.uuid}" with status "{instance.vm_state}" is not supported. '
                    'The server status must be SHELVED_OFFLOADED.')
            expected_az = new_az if az_passed else spec.availability_zone
            if host:            # ComputeHostNotFound: the API's 400
                self._validate_host_or_node(context, host, None)
                if expected_az is not None and expected_az != \
                        availability_zones.get_host_availability_zone(context, host,
                                                                      self.lab.conf):
                    raise exception.UnshelveHostNotInAZ(host=host, availability_zone=expected_az)
            spec.availability_zone = expected_az
            spec.requested_destination = {"host": host} if host else None
            spec.save_to_db(context)
        instance.task_state = task_states.UNSHELVING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.UNSHELVE)
        self.compute_task_api.unshelve_instance(context, instance, spec)

    # -- lock, delete --------------------------------------------------------------------------
    def lock(self, context, instance, reason=None):
        instance.locked = True
        instance.locked_by = "admin" if context.is_admin and \
            context.project_id != instance.project_id else "owner"
        sysmeta = dict(instance.system_metadata or {})
        if reason:
            sysmeta["locked_reason"] = reason
        instance.system_metadata = sysmeta
        instance.save()
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.LOCK)

    def is_expected_locked_by(self, context, instance):
        expected = "admin" if context.is_admin and \
            context.project_id != instance.project_id else "owner"
        return instance.locked_by == expected

    def unlock(self, context, instance):
        instance.locked, instance.locked_by = False, None
        sysmeta = dict(instance.system_metadata or {})
        sysmeta.pop("locked_reason", None)
        instance.system_metadata = sysmeta
        instance.save()
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.UNLOCK)

    @staticmethod
    def _attempt_delete_of_buildrequest(context, instance):
        """True if the server's build request was still there, and is gone now.

        NOTE(labkit): nova reads the build request (BuildRequest.get_by_instance_uuid)
        and then destroys it; labkit destroys it by the instance's uuid.
        """
        try:
            objects.BuildRequest(context, instance_uuid=instance.uuid).destroy()
        except exception.BuildRequestNotFound:
            return False
        return True

    @check_instance_lock
    def delete(self, context, instance):
        """Delete: before scheduling just drop the BuildRequest; with no host, delete here."""
        if instance.id is None and self._attempt_delete_of_buildrequest(context, instance):
            return
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.DELETE)
        if not instance.host:
            self._local_delete(context, instance)
            return
        instance.task_state = task_states.DELETING
        instance.save()
        if instance.vm_state == vm_states.RESIZED:
            self._confirm_resize_on_deleting(context, instance)
        self.compute_rpcapi.terminate_instance(context, instance)

    def _confirm_resize_on_deleting(self, context, instance):
        """A server deleted in VERIFY_RESIZE: confirm first (a *call* to the source host,
        which drops the old guest and the migration's allocation), then delete."""
        migration = None
        for status in ("finished", "confirming"):
            try:
                migration = objects.Migration.get_by_instance_and_status(context,
                                                                         instance.uuid, status)
                break
            except exception.MigrationNotFoundByStatus:
                pass
        if migration is None:
            LOG.info("Instance %s may have been confirmed during delete", instance.uuid)
            return
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.CONFIRM_RESIZE)
        self.compute_rpcapi.confirm_resize(context, instance, migration,
                                           migration.source_compute, cast=False)

    def _local_delete(self, context, instance):
        """Real nova: compute/api.py:_local_delete (e.g. a SHELVED_OFFLOADED server)."""
        image_id = (instance.system_metadata or {}).get("shelved_image_id")
        if image_id:
            try:
                self.image_api.delete(context, image_id)
            except exception.NovaException:
                pass
        self.network_api.deallocate_for_instance(context, instance)
        instance.destroy()

    def close(self):
        self.image_api.close()
        self.network_api.close()
        self.placementclient.close()

    # -- the short actions: stop, start, reboot, pause, suspend, the console --------------

    def _begin(self, context, instance, task_state, action, expected_task_state=(None,)):
        """Save the task state (UnexpectedTaskStateError if another action won the race),
        then record the instance action (nova: ``_record_action_start``)."""
        instance.task_state = task_state
        instance.save(expected_task_state=list(expected_task_state))
        objects.InstanceAction.action_start(context, instance.uuid, action)

    @check_instance_lock
    @check_instance_host
    @check_instance_state(vm_state=[vm_states.ACTIVE, vm_states.ERROR])
    def stop(self, context, instance, do_cast=True, clean_shutdown=True):
        """Stop an instance (``do_cast=False``: wait for it, as nova's evacuate does)."""
        self.force_stop(context, instance, do_cast, clean_shutdown)

    def force_stop(self, context, instance, do_cast=True, clean_shutdown=True):
        instance.progress = 0
        self._begin(context, instance, task_states.POWERING_OFF, instance_actions.STOP)
        self.compute_rpcapi.stop_instance(context, instance, do_cast=do_cast,
                                          clean_shutdown=clean_shutdown)

    @check_instance_lock
    @check_instance_host
    @check_instance_state(vm_state=[vm_states.STOPPED])
    def start(self, context, instance):
        self._begin(context, instance, task_states.POWERING_ON, instance_actions.START)
        self.compute_rpcapi.start_instance(context, instance)

    @check_instance_lock
    def reboot(self, context, instance, reboot_type):
        """SOFT asks the guest to restart; HARD power-cycles it, from more states."""
        if reboot_type == "SOFT":
            self._soft_reboot(context, instance)
        else:
            self._hard_reboot(context, instance)

    @check_instance_state(vm_state=set(vm_states.ALLOW_SOFT_REBOOT), task_state=[None])
    def _soft_reboot(self, context, instance):
        self._begin(context, instance, task_states.REBOOTING, instance_actions.REBOOT)
        self.compute_rpcapi.reboot_instance(context, instance=instance,
                                            block_device_info=None, reboot_type="SOFT")

    @check_instance_state(vm_state=set(vm_states.ALLOW_HARD_REBOOT),
                          task_state=task_states.ALLOW_REBOOT)
    def _hard_reboot(self, context, instance):
        self._begin(context, instance, task_states.REBOOTING_HARD, instance_actions.REBOOT,
                    expected_task_state=task_states.ALLOW_REBOOT)
        self.compute_rpcapi.reboot_instance(context, instance=instance,
                                            block_device_info=None, reboot_type="HARD")

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE])
    def pause(self, context, instance):
        self._begin(context, instance, task_states.PAUSING, instance_actions.PAUSE)
        self.compute_rpcapi.pause_instance(context, instance)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.PAUSED])
    def unpause(self, context, instance):
        self._begin(context, instance, task_states.UNPAUSING, instance_actions.UNPAUSE)
        self.compute_rpcapi.unpause_instance(context, instance)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE])
    def suspend(self, context, instance):
        self._begin(context, instance, task_states.SUSPENDING, instance_actions.SUSPEND)
        self.compute_rpcapi.suspend_instance(context, instance)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.SUSPENDED])
    def resume(self, context, instance):
        self._begin(context, instance, task_states.RESUMING, instance_actions.RESUME)
        self.compute_rpcapi.resume_instance(context, instance)

    @check_instance_host
    def get_console_output(self, context, instance, tail_length=None):
        """The console log, from the host: an RPC *call*, no state saved, no action."""
        return self.compute_rpcapi.get_console_output(context, instance=instance,
                                                      tail_length=tail_length)

    # -- rebuild and evacuate ---------------------------------------------------------------

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR])
    def rebuild(self, context, instance, image_href, admin_password, files_to_inject=None,
                reimage_boot_volume=False, **kwargs):
        """Rebuild the instance from ``image_href``, on its own host, through the conductor.

        Real nova: nova/compute/api.py:API.rebuild.  With the image it has, the conductor
        gets the instance's host; with a new one ``host=None`` and the request spec forced
        to this host and node with the hint ``_nova_check_type: rebuild``, so the scheduler
        only checks that the host suits the new image (no placement request, no claim).
        ``kwargs``: display_name, display_description, metadata, key_name (2.54),
        hostname (2.90), preserve_ephemeral.
        NOTE(labkit): nova also refuses shares, vTPM and accelerators here, checks a
        volume-backed root, trusted certificates and the new image's NUMA needs, and takes
        kernel, ramdisk and disk config from the image; labkit's servers have none of them.
        """
        preserve_ephemeral = kwargs.pop("preserve_ephemeral", False)
        if "key_name" in kwargs:       # the caller's key pair (KeypairNotFound: 400)
            key_name = kwargs.pop("key_name")
            instance.key_name = key_name and objects.KeyPair.get_by_name(
                context, context.user_id, key_name).name
        if "hostname" in kwargs:
            instance.hostname = kwargs.pop("hostname")
        image = self.image_api.get(context, image_href)          # ImageNotFound: 400
        self._checks_for_create_and_rebuild(context, image, instance.flavor,
                                            kwargs.get("metadata"))
        orig_image_ref = instance.image_ref
        request_spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        for name, value in kwargs.items():
            setattr(instance, name, value)
        instance.task_state, instance.image_ref, instance.progress = \
            task_states.REBUILDING, image_href, 0
        instance.save(expected_task_state=[None])
        orig_sys_metadata = self._reset_image_metadata(instance, image)
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.REBUILD)
        host = instance.host
        if orig_image_ref != image_href:
            request_spec.image = _request_spec_image(image)
            request_spec.save_to_db(context)
            request_spec.scheduler_hints = dict(request_spec.scheduler_hints or {},
                                                _nova_check_type=["rebuild"])
            request_spec.force_hosts, request_spec.force_nodes = [instance.host], [instance.node]
            host = None
        self.compute_task_api.rebuild_instance(
            context, instance=instance, new_pass=admin_password,
            injected_files=files_to_inject or [], image_ref=image_href,
            orig_image_ref=orig_image_ref, orig_sys_metadata=orig_sys_metadata, bdms=[],
            preserve_ephemeral=preserve_ephemeral, host=host, request_spec=request_spec,
            reimage_boot_volume=reimage_boot_volume, target_state=None)

    def _checks_for_create_and_rebuild(self, context, image, flavor, metadata):
        """The image must be active and fit the flavor; metadata within its quota.

        Real nova: nova/compute/api.py:API._checks_for_create_and_rebuild (its
        _validate_flavor_image_nostatus: min_ram, min_disk)."""
        if image.get("status") != "active":
            raise exception.ImageNotActive(image_id=image["id"])
        if flavor["memory_mb"] < (image.get("min_ram") or 0):
            raise exception.FlavorMemoryTooSmall()
        if flavor["root_gb"] and flavor["root_gb"] < (image.get("min_disk") or 0):
            raise exception.FlavorDiskTooSmall()
        self._check_metadata_properties_quota(context, metadata)

    @staticmethod
    def _reset_image_metadata(instance, image):
        """Swap the old image's ``image_*`` system metadata for the new image's; saved.
        Returns the system metadata as it was (nova: API.rebuild's _reset_image_metadata)."""
        orig_sys_metadata = dict(instance.system_metadata or {})
        sysmeta = {k: v for k, v in orig_sys_metadata.items() if not k.startswith("image_")}
        sysmeta.update(_sysmeta_from_image(image))
        instance.system_metadata = sysmeta
        instance.save()
        return orig_sys_metadata

    @check_instance_state(vm_state=[vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR],
                          task_state=None)
    def evacuate(self, context, instance, host, on_shared_storage, admin_password=None,
                 force=None, target_state=None):
        """Rebuild the instance of a host that is down on another host (the conductor's
        rebuild_instance with ``recreate=True``).

        Real nova: nova/compute/api.py:API.evacuate.  ComputeServiceInUse (the API's 400)
        while the instance's host is up.  The ``evacuation`` migration record, status
        ``accepted``, is the tombstone the source host finds when it comes back.  A host
        named without ``force`` becomes the request spec's requested destination and the
        scheduler still runs; a forced host (2.29 ``force``) skips it.
        NOTE(labkit): nova's decorators refusing shares, extended resource requests, port
        accelerators, vTPM and accelerators are left out: labkit's servers have none.
        """
        service = objects.Service.get_by_compute_host(context, instance.host)
        if ServiceGroupAPI(self.conf).service_is_up(service):
            LOG.error("Instance compute service state on %s expected to be down, but it "
                      "was up.", instance.host)
            raise exception.ComputeServiceInUse(host=instance.host)
        request_spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        instance.task_state = task_states.REBUILDING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.EVACUATE)
        migration = objects.Migration(
            context, uuid=self.lab.ids.uuid4(), source_compute=instance.host,
            source_node=instance.node, instance_uuid=instance.uuid, status="accepted",
            migration_type="evacuation", dest_compute=host, user_id=context.user_id,
            project_id=context.project_id)
        migration.create()
        # NOTE(labkit): nova-api also sends instance.evacuate (and the legacy "evacuate")
        # notification here; labkit's nova-api sends none.
        if force is False and host:
            node = objects.ComputeNode.get_first_node_by_host_for_old_compat(context, host)
            request_spec.requested_destination = {"host": node["host"],
                                                  "node": node["hypervisor_hostname"]}
            host = None
        self.compute_task_api.rebuild_instance(
            context, instance=instance, new_pass=admin_password, injected_files=None,
            image_ref=None, orig_image_ref=None, orig_sys_metadata=None, bdms=None,
            recreate=True, on_shared_storage=on_shared_storage, host=host,
            request_spec=request_spec, target_state=target_state)

    # -- live migration ----------------------------------------------------------------------

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE, vm_states.PAUSED])
    def live_migrate(self, context, instance, block_migration, disk_over_commit, host_name,
                     force=None, async_=False):
        """Migrate a server lively to a new host: task ``migrating``, then the conductor.

        Real nova: nova/compute/api.py:API.live_migrate.  A host that is named but not
        forced (``force`` False: 2.30's default, always from 2.68) becomes the request
        spec's requested destination, so the scheduler's filters still judge it; a
        forced host (or one named before 2.30) goes to the conductor as the destination.
        From 2.34 (``async_``) the conductor is cast to; before, nova-api waits (a call)
        and the conductor's pre-check errors come back to the caller.
        NOTE(labkit): nova's decorators refusing shares, accelerators, vDPA, vTPM and SEV
        guests are left out: labkit's servers have none of them.
        """
        nodes = self._compute_nodes_by_host(context, host_name) if host_name else None
        request_spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        instance.task_state = task_states.MIGRATING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.LIVE_MIGRATION)
        if force is False and host_name:
            # unset the host so that the conductor's LiveMigrationTask calls the scheduler
            host_name = None
            request_spec.requested_destination = {"host": nodes[0]["host"],
                                                  "node": nodes[0]["hypervisor_hostname"]}
        self.compute_task_api.live_migrate_instance(
            context, instance, host_name, block_migration=block_migration,
            disk_over_commit=disk_over_commit, request_spec=request_spec, async_=async_)

    @staticmethod
    def _compute_nodes_by_host(context, host_name):
        """The host's compute nodes, or ComputeHostNotFound (the API's 400) before any
        state is saved."""
        return objects.ComputeNodeList.get_all_by_host(context, host_name)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE], task_state=[task_states.MIGRATING])
    def live_migrate_force_complete(self, context, instance, migration_id):
        """Ask the source host to finish a *running* live migration now (pause the guest
        and copy what is left, in libvirt's words)."""
        migration = self.get_migration_by_id_and_instance(context, migration_id,
                                                          instance.uuid)
        if migration.status != "running":
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method="force complete")
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.LIVE_MIGRATION_FORCE_COMPLETE)
        self.compute_rpcapi.live_migration_force_complete(context, instance, migration)

    @check_instance_lock
    @check_instance_state(task_state=[task_states.MIGRATING])
    def live_migrate_abort(self, context, instance, migration_id,
                           support_abort_in_queue=False):
        """Abort a live migration in progress: a running one (2.24), also a queued or
        preparing one (2.65)."""
        migration = self.get_migration_by_id_and_instance(context, migration_id,
                                                          instance.uuid)
        allowed_states = ["running"] + (["queued", "preparing"] if support_abort_in_queue
                                        else [])
        if migration.status not in allowed_states:
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method="abort live migration")
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.LIVE_MIGRATION_CANCEL)
        self.compute_rpcapi.live_migration_abort(context, instance, migration.id)

    @staticmethod
    def get_migrations_in_progress_by_instance(context, instance_uuid, migration_type=None):
        """The instance's migrations still under way (MigrationList's query)."""
        return objects.MigrationList.get_in_progress_by_instance(context, instance_uuid,
                                                                 migration_type)

    @staticmethod
    def get_migration_by_id_and_instance(context, migration_id, instance_uuid):
        """One of the instance's migrations (MigrationNotFoundForInstance, also for an
        id that is no number: nova's query just finds no such row)."""
        if not str(migration_id).isdigit():
            raise exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                         instance_id=instance_uuid)
        return objects.Migration.get_by_id_and_instance(context, migration_id, instance_uuid)

    # -- resize and cold migration, confirm and revert -----------------------------------------
    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.ACTIVE, vm_states.STOPPED])
    @check_instance_host
    def resize(self, context, instance, flavor_id=None, clean_shutdown=True, host_name=None,
               auto_disk_config=None):
        """Resize to ``flavor_id``, or with none cold-migrate (to ``host_name`` if given):
        checks, task ``resize_prep``, the action, then a cast to the conductor.

        ServiceUnavailable (409) when the server's host is down (nova's
        check_instance_host(check_is_up=True)).  NOTE(labkit): nova also checks cross-cell
        moves, shares, accelerators, NUMA, PCI and vTPM; labkit's servers have none."""
        service = objects.Service.get_by_compute_host(context, instance.host)
        if not ServiceGroupAPI(self.conf).service_is_up(service):
            raise exception.ServiceUnavailable()
        node = self._validate_host_for_cold_migrate(context, instance, host_name) \
            if host_name is not None else None
        current_flavor = instance.flavor
        new_flavor = current_flavor if not flavor_id else self._new_flavor(
            context, flavor_id, current_flavor)
        same_flavor = current_flavor["id"] == new_flavor["id"]
        if same_flavor and flavor_id:
            raise exception.CannotResizeToSameFlavor()
        if flavor_id:
            self._check_quota_for_upsize(context, instance, current_flavor, new_flavor)
        if not same_flavor:       # the image's needs, from system metadata (no glance call)
            sysmeta = instance.system_metadata or {}
            image = {"status": "active", "min_ram": int(sysmeta.get("image_min_ram") or 0),
                     "min_disk": int(sysmeta.get("image_min_disk") or 0)}
            self._checks_for_create_and_rebuild(context, image, new_flavor, {})
        request_spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        request_spec.ignore_hosts = [] if self._allow_resize_to_same_host(
            context, same_flavor, instance) else [instance.host]
        instance.task_state, instance.progress = task_states.RESIZE_PREP, 0
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(
            context, instance.uuid,
            instance_actions.RESIZE if flavor_id else instance_actions.MIGRATE)
        request_spec.requested_destination = None if node is None else {
            "host": node["host"], "node": node["hypervisor_hostname"]}
        self.compute_task_api.resize_instance(
            context, instance, scheduler_hint={"filter_properties": {
                "ignore_hosts": request_spec.ignore_hosts}},
            flavor=new_flavor, clean_shutdown=clean_shutdown, request_spec=request_spec,
            do_cast=True)

    @staticmethod
    def _new_flavor(context, flavor_id, current_flavor):
        """The flavor to resize to: it exists, is enabled, and has a disk if the
        server has one (nova: API.resize)."""
        row = objects.Flavor.get_by_flavor_id(context, flavor_id)
        if row["disabled"] and row["id"] != current_flavor["id"]:
            raise exception.FlavorNotFound(flavor_id=flavor_id)
        if row["root_gb"] == 0 and current_flavor["root_gb"] != 0:
            raise exception.CannotResizeDisk(reason="Resize to zero disk flavor is not allowed.")
        return {k: row[k] for k in ("id", "flavorid", "name", "memory_mb", "vcpus", "root_gb",
                                    "ephemeral_gb", "swap")} | {
            "extra_specs": row["extra_specs"] or {}}

    def _check_quota_for_upsize(self, context, instance, current_flavor, new_flavor):
        """A bigger flavor must fit the project's cores and ram quota (TooManyInstances).
        Real nova: API._check_quota_for_upsize over compute_utils.upsize_quota_delta."""
        deltas = {key: new_flavor[field] - current_flavor[field]
                  for key, field in (("cores", "vcpus"), ("ram", "memory_mb"))
                  if new_flavor[field] > current_flavor[field]}
        if not deltas:
            return
        try:
            self.quotas.check_deltas(context, deltas, instance.project_id,
                                     user_id=instance.user_id,
                                     check_project_id=instance.project_id,
                                     check_user_id=instance.user_id)
        except exception.OverQuota as exc:
            headroom = compute_utils.get_headroom(exc.kwargs["quotas"], exc.kwargs["usages"],
                                                  deltas)
            overs, reqs, alloweds, useds = compute_utils.get_over_quota_detail(
                headroom, exc.kwargs["overs"], exc.kwargs["quotas"], deltas)
            raise exception.TooManyInstances(overs=overs, req=reqs, used=useds,
                                             allowed=alloweds) from None

    def _allow_resize_to_same_host(self, context, cold_migrate, instance):
        """A cold migration may stay on the host only if its provider has the trait
        COMPUTE_SAME_HOST_COLD_MIGRATE (nova-api asks placement); a resize only with
        ``allow_resize_to_same_host`` (nova's default False; labkit's too)."""
        if not cold_migrate:
            return False
        rp_uuid = objects.ComputeNode.get_first_node_by_host_for_old_compat(
            context, instance.host)["uuid"]
        return "COMPUTE_SAME_HOST_COLD_MIGRATE" in self.placementclient.get_provider_traits(
            context, rp_uuid)

    @staticmethod
    def _validate_host_for_cold_migrate(context, instance, host_name):
        """The compute node of ``host_name`` (2.56): not the server's own host
        (CannotMigrateToSameHost), a known one (ComputeHostNotFound)."""
        if host_name == instance.host:
            raise exception.CannotMigrateToSameHost()
        try:
            return objects.ComputeNode.get_first_node_by_host_for_old_compat(context,
                                                                            host_name)
        except exception.NotFound:
            raise exception.ComputeHostNotFound(host=host_name) from None

    def _finished_migration(self, context, instance):
        """The resize waiting in VERIFY_RESIZE (MigrationNotFoundByStatus if none).
        NOTE(labkit): nova reads it with an elevated context; labkit's objects check no
        policy, so the request's own context reads it."""
        return objects.Migration.get_by_instance_and_status(context, instance.uuid,
                                                            "finished")

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.RESIZED])
    def confirm_resize(self, context, instance, migration=None):
        """``confirming``, then a cast to the *source* host, which drops the old guest.
        ServiceUnavailable (409) when the source's compute service is down."""
        migration = migration or self._finished_migration(context, instance)
        service = objects.Service.get_by_compute_host(context, migration.source_compute)
        if not ServiceGroupAPI(self.conf).service_is_up(service):
            raise exception.ServiceUnavailable()
        migration.status = "confirming"
        migration.save()
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.CONFIRM_RESIZE)
        self.compute_rpcapi.confirm_resize(context, instance, migration,
                                           migration.source_compute)

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.RESIZED])
    def revert_resize(self, context, instance):
        """``resize_reverting`` and ``reverting``, then a cast to the *destination* host,
        which hands the server back to the source.  The request spec gets the old
        flavor back and the server its source host's zone (nova-api has the API DB)."""
        migration = self._finished_migration(context, instance)
        sysmeta = instance.system_metadata or {}
        old_flavor = sysmeta.get("old_flavor") or instance.flavor
        self._check_quota_for_upsize(context, instance, instance.flavor, old_flavor)
        reqspec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        instance.availability_zone = availability_zones.get_host_availability_zone(
            context, migration.source_compute, self.conf)
        if reqspec.flavor["id"] != old_flavor["id"]:
            reqspec.flavor = old_flavor
            reqspec.save_to_db(context)
        instance.task_state = task_states.RESIZE_REVERTING
        instance.save(expected_task_state=[None])
        migration.status = "reverting"
        migration.save()
        objects.InstanceAction.action_start(context, instance.uuid,
                                            instance_actions.REVERT_RESIZE)
        self.compute_rpcapi.revert_resize(context, instance, migration,
                                          migration.dest_compute, reqspec)

    # -- the host an instance asks for, and its host status ----------------------------------

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
        nodes = [node for node in objects.ComputeNodeList.get_all(context)
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
            services = {s["host"]: s for s in objects.ServiceList.get_by_binary(
                instance._context, "nova-compute", include_disabled=True)
                if s["host"] == instance.host}
        service = services.get(instance.host)
        if service is None:
            return ""
        if service["forced_down"]:
            return "DOWN"
        if service["disabled"]:
            return "MAINTENANCE"
        return "UP" if ServiceGroupAPI(self.conf).service_is_up(service) else "UNKNOWN"

    def get_instances_host_statuses(self, context, instance_list):
        """{instance uuid: host status}, reading the compute services once.

        NOTE(labkit): nova loads each instance's services (InstanceList.fill_services);
        labkit reads the compute services once for the whole list."""
        services = {s["host"]: s for s in objects.ServiceList.get_by_binary(
            context, "nova-compute", include_disabled=True)}
        return {instance.uuid: self.get_instance_host_status(instance, services)
                for instance in instance_list}


def _request_spec_image(image):
    """The image as a RequestSpec keeps it: its id and its ``hw_``/``img_`` properties
    (nova: objects.ImageMeta.from_dict)."""
    return {"id": image["id"], "properties": {k: v for k, v in image.items()
                                              if k.startswith(("hw_", "img_"))}}


def _sysmeta_from_image(image):
    """The image's properties as ``image_<key>`` system metadata.

    Real nova: nova/utils.py:get_system_metadata_from_image.
    """
    sysmeta = {"image_base_image_ref": image["id"]}
    sysmeta.update({f"image_{k}": str(v)[:255] for k, v in image.items()
                    if k not in _GLANCE_BASE and v is not None})
    sysmeta.update({f"image_{k}": image[k] for k in ("min_ram", "min_disk", "disk_format",
                                                     "container_format")
                    if image.get(k) is not None})
    return sysmeta



_GLANCE_BASE = {"id", "name", "status", "visibility", "protected", "checksum", "size",
                "virtual_size", "min_ram", "min_disk", "disk_format", "container_format",
                "owner", "created_at", "updated_at", "self", "file", "schema", "tags",
                "os_hash_algo", "os_hash_value", "os_hidden", "locations"}


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
        return objects.InstanceList.get_count_by_hosts(context, [host_name])


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
        node = objects.ComputeNodeList.get_all_by_host(context, host_name)[0]
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
        node = objects.ComputeNodeList.get_all_by_host(context, host_name)[0]
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


class KeypairAPI:
    """Key pairs: create (generate), import, list, show, delete.

    Real nova: nova/compute/api.py:KeypairAPI.  NOTE(labkit): nova also sends
    keypair.* notifications here; labkit's trace records the database hops.
    """

    def __init__(self, lab):
        self.quotas = quota.QuotaEngine(lab.conf)

    def _check_key_pair_quotas(self, context, user_id):
        try:
            self.quotas.check_deltas(context, {"key_pairs": 1}, user_id)
        except exception.OverQuota:
            raise exception.KeypairLimitExceeded() from None

    def import_key_pair(self, context, user_id, key_name, public_key,
                        key_type=KEYPAIR_TYPE_SSH):
        self._check_key_pair_quotas(context, user_id)
        fingerprint = crypto.generate_x509_fingerprint(public_key) if key_type == "x509" \
            else crypto.generate_fingerprint(public_key)
        keypair = KeyPair(context, user_id=user_id, name=key_name, type=key_type,
                          public_key=public_key, fingerprint=fingerprint)
        keypair.create()
        return keypair

    def create_key_pair(self, context, user_id, key_name, key_type=KEYPAIR_TYPE_SSH):
        """(the key pair, its private key): nova keeps the public half (or the certificate)."""
        self._check_key_pair_quotas(context, user_id)
        private_key, public_key, fingerprint = crypto.generate_key_pair() \
            if key_type == KEYPAIR_TYPE_SSH else crypto.generate_winrm_x509_cert(user_id)
        keypair = KeyPair(context, user_id=user_id, name=key_name, type=key_type,
                          public_key=public_key, fingerprint=fingerprint)
        keypair.create()
        return keypair, private_key

    def delete_key_pair(self, context, user_id, key_name):
        KeyPair.destroy_by_name(context, user_id, key_name)

    def get_key_pairs(self, context, user_id, limit=None, marker=None):
        return KeyPairList.get_by_user(context, user_id, limit=limit, marker=marker)

    def get_key_pair(self, context, user_id, key_name):
        return KeyPair.get_by_name(context, user_id, key_name)
