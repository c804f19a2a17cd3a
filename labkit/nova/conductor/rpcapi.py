"""Client side of the conductor RPC APIs.

Real nova: nova/conductor/rpcapi.py — ConductorAPI (topic ``conductor``: the
object proxy nova-compute saves through) and ComputeTaskAPI (same topic,
namespace ``compute_task``: the build, reschedule and unshelve workflows).
"""
from labkit.messaging import Target
from labkit.nova import rpc

TOPIC = "conductor"


class ConductorAPI:
    """Object proxy: nova-compute has no database, so its saves are calls to here."""

    VERSION = "3.0"

    def __init__(self, lab, node):
        self.client = rpc.get_client(lab, node, Target(TOPIC, version=self.VERSION))

    def object_action(self, context, objinst, objmethod, args, kwargs):
        cctxt = self.client.prepare()
        updates, result = cctxt.call(context, "object_action", objinst=objinst,
                                     objmethod=objmethod, args=list(args), kwargs=kwargs)
        return updates, result

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        cctxt = self.client.prepare()
        return cctxt.call(context, "object_class_action_versions", objname=objname,
                          objmethod=objmethod, object_versions=object_versions,
                          args=list(args), kwargs=kwargs)


class ComputeTaskAPI:
    """The conductor's task API: every method here is a cast."""

    VERSION = "1.26"

    def __init__(self, lab, node):
        self.client = rpc.get_client(lab, node, Target(TOPIC, namespace="compute_task",
                                                       version=self.VERSION))
        self.long_rpc_timeout = lab.conf.long_rpc_timeout

    def schedule_and_build_instances(self, context, build_requests, request_specs, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        self.client.prepare(version="1.17").cast(
            context, "schedule_and_build_instances", build_requests=build_requests,
            request_specs=request_specs, image=image, admin_password=admin_password,
            injected_files=injected_files, requested_networks=requested_networks,
            block_device_mapping=block_device_mapping, tags=tags)

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, legacy_bdm=True, request_spec=None,
                        host_lists=None):
        """Reschedule: compute asks for the next alternate host."""
        self.client.prepare(version="1.19").cast(
            context, "build_instances", instances=instances, image=image,
            filter_properties=filter_properties, admin_password=admin_password,
            injected_files=injected_files, requested_networks=requested_networks,
            security_groups=security_groups, block_device_mapping=block_device_mapping,
            legacy_bdm=legacy_bdm, request_spec=request_spec, host_lists=host_lists)

    def unshelve_instance(self, context, instance, request_spec=None):
        self.client.prepare(version="1.14").cast(
            context, "unshelve_instance", instance=instance, request_spec=request_spec)

    def rebuild_instance(self, ctxt, instance, new_pass, injected_files, image_ref,
                         orig_image_ref, orig_sys_metadata, bdms, recreate=False,
                         on_shared_storage=False, host=None, preserve_ephemeral=False,
                         request_spec=None, reimage_boot_volume=False, target_state=None):
        """Rebuild (``recreate=False``) or evacuate (``recreate=True``): a cast."""
        self.client.prepare(version="1.25").cast(
            ctxt, "rebuild_instance", instance=instance, new_pass=new_pass,
            injected_files=injected_files, image_ref=image_ref,
            orig_image_ref=orig_image_ref, orig_sys_metadata=orig_sys_metadata, bdms=bdms,
            recreate=recreate, on_shared_storage=on_shared_storage,
            preserve_ephemeral=preserve_ephemeral, host=host, request_spec=request_spec,
            reimage_boot_volume=reimage_boot_volume, target_state=target_state)

    def migrate_server(self, context, instance, scheduler_hint, live, rebuild, flavor,
                       block_migration, disk_over_commit, reservations=None,
                       clean_shutdown=True, request_spec=None, host_list=None, do_cast=False):
        """A *call* (nova-api waits) unless ``do_cast``; a live migration before 2.34
        comes this way, so the conductor's pre-check errors reach the API."""
        cctxt = self.client.prepare(version="1.13", timeout=self.long_rpc_timeout)
        return (cctxt.cast if do_cast else cctxt.call)(
            context, "migrate_server", instance=instance, scheduler_hint=scheduler_hint,
            live=live, rebuild=rebuild, flavor=flavor, block_migration=block_migration,
            disk_over_commit=disk_over_commit, reservations=reservations,
            clean_shutdown=clean_shutdown, request_spec=request_spec, host_list=host_list)

    def live_migrate_instance(self, context, instance, scheduler_hint, block_migration,
                              disk_over_commit, request_spec):
        """A cast (2.34 and later): nova-api answers 202 before any check is made."""
        self.client.prepare(version="1.15").cast(
            context, "live_migrate_instance", instance=instance,
            scheduler_hint=scheduler_hint, block_migration=block_migration,
            disk_over_commit=disk_over_commit, request_spec=request_spec)
