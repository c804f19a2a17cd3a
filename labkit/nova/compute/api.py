"""The compute API inside nova-api: checks, records, then hands off by RPC.

Real nova: nova/compute/api.py:API.  ``create`` validates and records a
BuildRequest, then casts to the conductor and returns — which is why the
client gets 202 before any host is chosen.  ``shelve`` goes straight to the
instance's compute host; ``unshelve`` goes to the conductor, which may have
to schedule again.  Stop, start, reboot, pause, suspend and the console log
come from api_power.py.
"""
import json
import re

from labkit.nova import availability_zones, exception, objects, quota
from labkit.nova.compute import instance_actions, rpcapi as compute_rpcapi
# nova defines HostAPI, AggregateAPI and API's host questions (parse_availability_zone,
# get_instance_host_status ...) in this module; labkit keeps them in api_hosts.py
from labkit.nova.compute.api_hosts import (  # noqa: F401
    AggregateAPI, HostAPI, InstanceHostsMixin)
from labkit.nova.compute import utils as compute_utils
# nova defines these decorators and the short actions (stop, start, reboot, pause,
# suspend, console output) in this module; labkit keeps them in api_power.py
from labkit.nova.compute.api_power import (  # noqa: F401
    PowerActionsMixin, check_instance_host, check_instance_lock, check_instance_state)
# nova defines KeypairAPI in this module; labkit keeps it in api_keypairs.py
from labkit.nova.compute.api_keypairs import KeypairAPI  # noqa: F401
from labkit.nova.compute import task_states, vm_states
from labkit.nova.conductor import api as conductor_api
from labkit.nova.db import api as db
from labkit.nova.image import glance
from labkit.nova.network import neutron, security_group_api
from labkit.nova.objects.base import NovaObject
from labkit.nova.utils import utcnow_str


def _build_matches(instance, search_opts):
    """The database's filters, applied to an instance still being scheduled
    (nova/objects/build_request.py:BuildRequestList.get_by_filters: exact
    filters, and ``display_name`` as a regular expression)."""
    for key in ("host", "user_id", "vm_state"):
        if search_opts.get(key) is not None and getattr(instance, key) != search_opts[key]:
            return False
    name = search_opts.get("display_name")
    return not name or re.search(name, instance.display_name or "") is not None


class API(PowerActionsMixin, InstanceHostsMixin):
    def __init__(self, lab, node="nova-api"):
        self.lab, self.conf = lab, lab.conf
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(lab, node)
        self.compute_task_api = conductor_api.ComputeTaskAPI(lab, node)
        self.image_api = glance.API(lab, node)
        self.network_api = neutron.API(lab, node)
        self.quotas = quota.QuotaEngine(lab.conf)

    # -- reads ---------------------------------------------------------------------
    def get(self, context, instance_id):
        """An instance by uuid, from the cell DB or (before scheduling) its BuildRequest."""
        try:
            inst = objects.Instance.get_by_uuid(context, instance_id)
        except exception.InstanceNotFound:
            build = db.build_request_get_by_instance_uuid(context, instance_id)
            if build is None:
                # the conductor may have created the instance and dropped the
                # BuildRequest between our two reads: look once more (as nova does)
                inst = objects.Instance.get_by_uuid(context, instance_id)
            else:
                inst = NovaObject.obj_from_primitive(build["instance"], context)
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
        builds = db.build_request_get_all(context, search_opts.get("project_id"))
        try:
            pending = self._pending(context, builds, search_opts, limit, marker)
            marker = None
        except exception.MarkerNotFound:
            pending = []
        if limit is not None and len(pending) >= limit:
            return pending
        # an instance the conductor has created may still have its build request: it is
        # listed once, as an instance; reading up to the whole page of instances (not
        # the page minus the pending) keeps the page full when that happens
        rows = db.instance_get_all_by_filters(context, search_opts, limit=limit, marker=marker,
                                              expected_attrs=expected_attrs)
        instances = [objects.Instance._from_db_object(context, row) for row in rows]
        known = {i.uuid for i in instances}
        listed = [i for i in pending if i.uuid not in known] + instances
        return listed if limit is None else listed[:limit]

    @staticmethod
    def _pending(context, builds, search_opts, limit, marker):
        """The build requests' instances that match, newest first, after ``marker``
        (MarkerNotFound if it is not among them), at most ``limit``.

        NOTE(labkit): nova's BuildRequestList.get_by_filters decodes every build
        request, then filters, sorts and pages; labkit decodes them newest first
        and stops at ``limit``, so a poll for "any still building?" (``limit=1``)
        costs one decode, however many boots are waiting.
        """
        out, seen_marker = [], marker is None
        if search_opts.get("vm_state") not in (None, vm_states.BUILDING):
            builds = ()                      # every one of them is building: none matches
        for uuid, primitive in builds:
            if not seen_marker and uuid != marker:
                continue
            instance = NovaObject.obj_from_primitive(json.loads(primitive), context)
            if not _build_matches(instance, search_opts):
                continue
            if not seen_marker:
                seen_marker = True
                continue
            if limit is not None and len(out) >= limit:
                break
            out.append(instance)
        if not seen_marker:
            raise exception.MarkerNotFound(marker=marker)
        return out

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
        if image.get("status") != "active":
            raise exception.ImageNotActive(image_id=image_href)
        if flavor["memory_mb"] < (image.get("min_ram") or 0):
            raise exception.FlavorMemoryTooSmall()
        if flavor["root_gb"] and flavor["root_gb"] < (image.get("min_disk") or 0):
            raise exception.FlavorDiskTooSmall()
        self._check_metadata_properties_quota(context, metadata)
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
                image={"id": image["id"], "properties": {k: v for k, v in image.items()
                                                         if k.startswith(("hw_", "img_"))}},
                num_instances=num_instances, availability_zone=availability_zone,
                scheduler_hints=scheduler_hints, security_groups=list(security_groups),
                requested_networks=requested_networks, **forced)
            spec.create()
            db.build_request_create(context, uuid, context.project_id,
                                    instance.obj_to_primitive(), [], list(tags))
            db.instance_mapping_create(context, uuid, context.project_id, context.user_id)
            build_requests.append(objects.BuildRequest(
                context, instance_uuid=uuid, project_id=context.project_id, instance=instance,
                block_device_mappings=[], tags=list(tags)))
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

    @check_instance_lock
    @check_instance_state(vm_state=[vm_states.SHELVED, vm_states.SHELVED_OFFLOADED])
    def unshelve(self, context, instance, new_az=None, host=None):
        """Mark unshelving and cast to the conductor (which decides: power on, or schedule)."""
        spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        if new_az is not None or host is not None:
            if instance.vm_state != vm_states.SHELVED_OFFLOADED:
                raise exception.Conflict(
                    f'Specifying an availability zone or a host when unshelving server '
                    f'"{instance.uuid}" with status "{instance.vm_state}" is not supported. '
                    'The server status must be SHELVED_OFFLOADED.')
            if host:            # ComputeHostNotFound: the API's 400
                self._validate_host_or_node(context, host, None)
            spec.availability_zone = new_az
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

    @check_instance_lock
    def delete(self, context, instance):
        """Delete: before scheduling just drop the BuildRequest; with no host, delete here."""
        if instance.id is None and db.build_request_destroy(context, instance.uuid):
            return
        objects.InstanceAction.action_start(context, instance.uuid, instance_actions.DELETE)
        if not instance.host:
            self._local_delete(context, instance)
            return
        instance.task_state = task_states.DELETING
        instance.save()
        self.compute_rpcapi.terminate_instance(context, instance)

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


_GLANCE_BASE = {"id", "name", "status", "visibility", "protected", "checksum", "size",
                "virtual_size", "min_ram", "min_disk", "disk_format", "container_format",
                "owner", "created_at", "updated_at", "self", "file", "schema", "tags",
                "os_hash_algo", "os_hash_value", "os_hidden", "locations"}


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
