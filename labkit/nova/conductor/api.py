"""The façade nova-api uses to reach the conductor.

Real nova: nova/conductor/api.py:ComputeTaskAPI, a thin layer over
conductor/rpcapi.py:ComputeTaskAPI.
"""
from labkit.nova.conductor import rpcapi


class ComputeTaskAPI:
    def __init__(self, lab, node):
        self.conductor_compute_rpcapi = rpcapi.ComputeTaskAPI(lab, node)

    def schedule_and_build_instances(self, context, build_requests, request_spec, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        self.conductor_compute_rpcapi.schedule_and_build_instances(
            context, build_requests, request_spec, image, admin_password, injected_files,
            requested_networks, block_device_mapping, tags)

    def unshelve_instance(self, context, instance, request_spec=None):
        self.conductor_compute_rpcapi.unshelve_instance(context, instance, request_spec)

    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, orig_sys_metadata, bdms, recreate=False,
                         on_shared_storage=False, preserve_ephemeral=False, host=None,
                         request_spec=None, reimage_boot_volume=False, target_state=None):
        self.conductor_compute_rpcapi.rebuild_instance(
            context, instance=instance, new_pass=new_pass, injected_files=injected_files,
            image_ref=image_ref, orig_image_ref=orig_image_ref,
            orig_sys_metadata=orig_sys_metadata, bdms=bdms, recreate=recreate,
            on_shared_storage=on_shared_storage, preserve_ephemeral=preserve_ephemeral,
            host=host, request_spec=request_spec, reimage_boot_volume=reimage_boot_volume,
            target_state=target_state)

    def resize_instance(self, context, instance, scheduler_hint, flavor, reservations=None,
                        clean_shutdown=True, request_spec=None, host_list=None,
                        do_cast=False):
        """A resize or cold migration (and, from nova-compute, its reschedule)."""
        self.conductor_compute_rpcapi.migrate_server(
            context, instance, scheduler_hint, live=False, rebuild=False, flavor=flavor,
            block_migration=None, disk_over_commit=None, reservations=reservations,
            clean_shutdown=clean_shutdown, request_spec=request_spec, host_list=host_list,
            do_cast=do_cast)

    def live_migrate_instance(self, context, instance, host_name, block_migration,
                              disk_over_commit, request_spec=None, async_=False):
        """2.34 and later cast ``live_migrate_instance``; before, nova-api calls
        ``migrate_server`` and waits for the conductor's checks."""
        scheduler_hint = {"host": host_name}
        if async_:
            self.conductor_compute_rpcapi.live_migrate_instance(
                context, instance, scheduler_hint, block_migration, disk_over_commit,
                request_spec)
        else:
            self.conductor_compute_rpcapi.migrate_server(
                context, instance, scheduler_hint, True, False, None, block_migration,
                disk_over_commit, None, request_spec=request_spec)
