"""Client side of the compute RPC API: the methods cast to ``compute.<host>`` (some call).

Real nova: nova/compute/rpcapi.py:ComputeAPI — ``_compute_host`` picks the
server (the instance's host, or the one the scheduler chose) and
``client.prepare(server=host)`` routes the message to that host's queue.
"""
from labkit.messaging import Target
from labkit.nova import exception, rpc

TOPIC = "compute"
# since nova 33 (2026.1, RPC API 6.5): every nova-compute also serves topic ``compute-alt``,
# which stays up during a graceful shutdown so that moves already under way can finish
RPC_TOPIC_ALT = "compute-alt"


def _compute_host(host, instance):
    """The host a message goes to: ``host``, else the instance's; an instance that has
    no host (never scheduled) is an error, not a cast any compute could take."""
    if host:
        return host
    if not instance.host:
        raise exception.NovaException(f"Unable to find host for Instance {instance.uuid}")
    return instance.host


class ComputeAPI:
    VERSION = "6.5"

    def __init__(self, lab, node):
        self.client = rpc.get_client(lab, node, Target(TOPIC, version=self.VERSION))
        self.lab_conf = lab.conf

    def _cctxt(self, host):
        return self.client.prepare(server=host, version="6.0")

    def prepare_for_alt_rpcserver(self, client, server, version, **kwargs):
        """A client for ``server``'s ``compute-alt`` RPC server: the hops in the middle of
        a move (compute to compute), which a graceful shutdown lets finish.

        NOTE(labkit): nova falls back to topic ``compute`` for a compute older than RPC
        6.5 (``can_send_version``); every labkit compute serves ``compute-alt``."""
        return client.prepare(server=server, version=version, topic=RPC_TOPIC_ALT, **kwargs)

    def build_and_run_instance(self, ctxt, instance, host, image, request_spec,
                               filter_properties, admin_password=None, injected_files=None,
                               requested_networks=None, security_groups=None,
                               block_device_mapping=None, node=None, limits=None,
                               host_list=None, accel_uuids=None):
        self._cctxt(host).cast(
            ctxt, "build_and_run_instance", instance=instance, image=image,
            request_spec=request_spec, filter_properties=filter_properties,
            admin_password=admin_password, injected_files=injected_files,
            requested_networks=requested_networks, security_groups=security_groups,
            block_device_mapping=block_device_mapping, node=node, limits=limits,
            host_list=host_list, accel_uuids=accel_uuids or [])

    def shelve_instance(self, ctxt, instance, image_id=None, clean_shutdown=True,
                        accel_uuids=None):
        self._cctxt(instance.host).cast(ctxt, "shelve_instance", instance=instance,
                                        image_id=image_id, clean_shutdown=clean_shutdown,
                                        accel_uuids=accel_uuids or [])

    def shelve_offload_instance(self, ctxt, instance, clean_shutdown=True, accel_uuids=None):
        self._cctxt(instance.host).cast(ctxt, "shelve_offload_instance", instance=instance,
                                        clean_shutdown=clean_shutdown,
                                        accel_uuids=accel_uuids or [])

    def unshelve_instance(self, ctxt, instance, host, request_spec, image=None,
                          filter_properties=None, node=None, accel_uuids=None):
        self._cctxt(host).cast(ctxt, "unshelve_instance", instance=instance, image=image,
                               filter_properties=filter_properties, node=node,
                               request_spec=request_spec, accel_uuids=accel_uuids or [])

    def start_instance(self, ctxt, instance):
        self._cctxt(instance.host).cast(ctxt, "start_instance", instance=instance)

    def stop_instance(self, ctxt, instance, do_cast=True, clean_shutdown=True):
        cctxt = self._cctxt(instance.host)
        rpc_method = cctxt.cast if do_cast else cctxt.call
        return rpc_method(ctxt, "stop_instance", instance=instance,
                          clean_shutdown=clean_shutdown)

    def reboot_instance(self, ctxt, instance, block_device_info, reboot_type):
        self._cctxt(instance.host).cast(ctxt, "reboot_instance", instance=instance,
                                        block_device_info=block_device_info,
                                        reboot_type=reboot_type)

    def pause_instance(self, ctxt, instance):
        self._cctxt(instance.host).cast(ctxt, "pause_instance", instance=instance)

    def unpause_instance(self, ctxt, instance):
        self._cctxt(instance.host).cast(ctxt, "unpause_instance", instance=instance)

    def suspend_instance(self, ctxt, instance):
        self._cctxt(instance.host).cast(ctxt, "suspend_instance", instance=instance)

    def resume_instance(self, ctxt, instance):
        self._cctxt(instance.host).cast(ctxt, "resume_instance", instance=instance)

    def get_console_output(self, ctxt, instance, tail_length):
        """A call: nova-api waits for the host's answer, the log's text."""
        return self._cctxt(instance.host).call(ctxt, "get_console_output",
                                               instance=instance, tail_length=tail_length)

    def terminate_instance(self, ctxt, instance, bdms=None):
        self._cctxt(instance.host).cast(ctxt, "terminate_instance", instance=instance,
                                        bdms=bdms or [])

    def rebuild_instance(self, ctxt, instance, new_pass, injected_files, image_ref,
                         orig_image_ref, orig_sys_metadata, bdms, recreate, on_shared_storage,
                         host, node, preserve_ephemeral, migration, limits, request_spec,
                         accel_uuids, reimage_boot_volume, target_state):
        """A cast to ``host`` (the chosen destination of an evacuate), else the instance's
        own host: it starts the operation, so topic ``compute``."""
        self.client.prepare(server=_compute_host(host, instance), version="6.2").cast(
            ctxt, "rebuild_instance", instance=instance, new_pass=new_pass,
            injected_files=injected_files, image_ref=image_ref, orig_image_ref=orig_image_ref,
            orig_sys_metadata=orig_sys_metadata, bdms=bdms, recreate=recreate,
            on_shared_storage=on_shared_storage, preserve_ephemeral=preserve_ephemeral,
            migration=migration, scheduled_node=node, limits=limits, request_spec=request_spec,
            accel_uuids=accel_uuids or [], reimage_boot_volume=reimage_boot_volume,
            target_state=target_state)

    # -- resize and cold migration -----------------------------------------------------
    def prep_resize(self, ctxt, instance, image, flavor, host, migration, request_spec,
                    filter_properties, node, clean_shutdown, host_list):
        """Conductor -> destination, on ``compute``: nothing has moved yet, so a host
        shutting down may refuse it (and the conductor may send it again elsewhere)."""
        self._cctxt(host).cast(ctxt, "prep_resize", instance=instance, flavor=flavor,
                               image=image, request_spec=request_spec,
                               filter_properties=filter_properties, node=node,
                               migration=migration, clean_shutdown=clean_shutdown,
                               host_list=host_list)

    def resize_instance(self, ctxt, instance, migration, image, flavor, request_spec,
                        clean_shutdown=True):
        """Destination -> source, on ``compute-alt``: the move is under way."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=instance.host,
                                               version="6.0")
        cctxt.cast(ctxt, "resize_instance", instance=instance, migration=migration,
                   image=image, flavor=flavor, clean_shutdown=clean_shutdown,
                   request_spec=request_spec)

    def finish_resize(self, ctxt, instance, migration, image, disk_info, host, request_spec):
        """Source -> destination, on ``compute-alt``: the last step of the move."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0")
        cctxt.cast(ctxt, "finish_resize", instance=instance, migration=migration, image=image,
                   disk_info=disk_info, request_spec=request_spec)

    def confirm_resize(self, ctxt, instance, migration, host, cast=True):
        """nova-api -> source, on ``compute``: drop the old guest and its claim."""
        cctxt = self._cctxt(host)
        return (cctxt.cast if cast else cctxt.call)(ctxt, "confirm_resize", instance=instance,
                                                    migration=migration)

    def revert_resize(self, ctxt, instance, migration, host, request_spec):
        """nova-api -> destination, on ``compute``: the revert starts here."""
        self._cctxt(host).cast(ctxt, "revert_resize", instance=instance, migration=migration,
                               request_spec=request_spec)

    def finish_revert_resize(self, ctxt, instance, migration, host, request_spec):
        """Destination -> source, on ``compute-alt``: power the old guest back on."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0")
        cctxt.cast(ctxt, "finish_revert_resize", instance=instance, migration=migration,
                   request_spec=request_spec)

    def set_host_enabled(self, ctxt, host, enabled):
        """A call (nova-api waits): the host syncs its COMPUTE_STATUS_DISABLED trait."""
        return self._cctxt(host).call(ctxt, "set_host_enabled", enabled=enabled)

    # -- live migration ------------------------------------------------------------------
    def check_can_live_migrate_destination(self, ctxt, instance, destination,
                                           block_migration, disk_over_commit, migration,
                                           limits):
        """A call to the destination, on topic ``compute``: a host shutting down must not
        take a new live migration."""
        cctxt = self.client.prepare(server=destination, version="6.0",
                                    timeout=self.lab_conf.long_rpc_timeout)
        return cctxt.call(ctxt, "check_can_live_migrate_destination", instance=instance,
                          block_migration=block_migration,
                          disk_over_commit=disk_over_commit, migration=migration,
                          limits=limits)

    def check_can_live_migrate_source(self, ctxt, instance, dest_check_data):
        """A call from the destination to the source, on topic ``compute`` too."""
        return self._cctxt(instance.host).call(ctxt, "check_can_live_migrate_source",
                                               instance=instance,
                                               dest_check_data=dest_check_data)

    def live_migration(self, ctxt, instance, dest, block_migration, host, migration,
                       migrate_data=None):
        """The conductor's cast to the source, on ``compute-alt``: both hosts have said
        yes, so a shutdown from here on lets the migration finish."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0")
        cctxt.cast(ctxt, "live_migration", instance=instance, dest=dest,
                   block_migration=block_migration, migrate_data=migrate_data,
                   migration=migration)

    def pre_live_migration(self, ctxt, instance, block_migration, disk, host, migrate_data):
        """Source -> destination call on ``compute-alt``: get ready for the guest."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0",
                                               timeout=self.lab_conf.long_rpc_timeout)
        return cctxt.call(ctxt, "pre_live_migration", instance=instance, disk=disk,
                          migrate_data=migrate_data)

    def post_live_migration_at_destination(self, ctxt, instance, block_migration, host):
        """Source -> destination call on ``compute-alt``: the guest runs there now."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0",
                                               timeout=self.lab_conf.long_rpc_timeout)
        return cctxt.call(ctxt, "post_live_migration_at_destination", instance=instance,
                          block_migration=block_migration)

    def rollback_live_migration_at_destination(self, ctxt, instance, host, destroy_disks,
                                               migrate_data):
        """Source -> destination cast on ``compute-alt``: undo what pre_live_migration did."""
        cctxt = self.prepare_for_alt_rpcserver(self.client, server=host, version="6.0")
        cctxt.cast(ctxt, "rollback_live_migration_at_destination", instance=instance,
                   destroy_disks=destroy_disks, migrate_data=migrate_data)

    def live_migration_force_complete(self, ctxt, instance, migration):
        self._cctxt(migration.source_compute or instance.host).cast(
            ctxt, "live_migration_force_complete", instance=instance)

    def live_migration_abort(self, ctxt, instance, migration_id):
        self._cctxt(instance.host).cast(ctxt, "live_migration_abort", instance=instance,
                                        migration_id=migration_id)
