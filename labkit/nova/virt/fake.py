"""A fake hypervisor: instant (or deliberately slow) VMs that exist only in memory.

Real nova: nova/virt/fake.py:FakeDriver, which nova's own functional tests
boot servers on; like nova's, each step can be made to fail by a named
subclass rather than by flags (FakeBuildFailDriver ...).

``virt_delays`` (a lab option) slows individual steps — {"spawn": 1.0,
"snapshot": 0.5, ...} — so a lesson can watch the task states go by.
"""
import hashlib
import threading
import time

from labkit.nova import exception
from labkit.nova.compute import power_state, task_states
from labkit.nova.virt import driver


class FakeInstance:
    def __init__(self, name, state, uuid):
        self.name, self.state, self.uuid = name, state, uuid


# nova's FakeDriver.get_console_output answers this, whatever the instance did
FAKE_CONSOLE_OUTPUT = "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"


class FakeDriver(driver.ComputeDriver):
    """Runs nothing, remembers everything."""

    hypervisor_type = "fake"

    def __init__(self, host, resources, delays=None, image_api=None):
        self.host = host
        self.resources = dict(resources)
        self.delays = dict(delays or {})
        self.image_api = image_api
        self.instances = {}
        self.console_logs = {}        # uuid -> [line, ...]
        self._lock = threading.Lock()

    def _step(self, name):
        delay = self.delays.get(name, 0)
        if delay:
            time.sleep(delay)

    def get_available_resource(self, nodename):
        return {"vcpus": self.resources["vcpus"], "memory_mb": self.resources["memory_mb"],
                "local_gb": self.resources["local_gb"], "hypervisor_type": "fake",
                "hypervisor_version": 1000, "hypervisor_hostname": nodename,
                "cpu_info": "?"}

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None):
        """Define the guest and report it RUNNING.

        NOTE(labkit): as nova's FakeDriver (nova/virt/fake.py:FakeDriver.spawn), no disk
        is written, so no image is downloaded: libvirt's driver would fetch the image
        (or, for an unshelve, the snapshot) from glance into its cache first
        (GET /v2/images/{id}/file, nova/virt/libvirt/imagebackend.py).
        """
        self._step("spawn")
        with self._lock:
            self.instances[instance.uuid] = FakeInstance(
                f"instance-{instance.id:08x}", power_state.RUNNING, instance.uuid)
            self.console_logs[instance.uuid] = [FAKE_CONSOLE_OUTPUT.splitlines()[0]]
        self._console(instance, "boot")

    def destroy(self, context, instance, network_info, block_device_info=None):
        self._step("destroy")
        with self._lock:
            self.instances.pop(instance.uuid, None)
            self.console_logs.pop(instance.uuid, None)

    def power_off(self, instance, timeout=0, retry_interval=0):
        self._step("power_off")
        with self._lock:
            if instance.uuid in self.instances:
                self.instances[instance.uuid].state = power_state.SHUTDOWN
        self._console(instance, "power off")

    def power_on(self, context, instance, network_info, block_device_info=None):
        self._step("power_on")
        with self._lock:
            if instance.uuid in self.instances:
                self.instances[instance.uuid].state = power_state.RUNNING
        self._console(instance, "boot")

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None):
        """A hard reboot of a guest the hypervisor lost spawns it again, as libvirt's does;
        otherwise the guest is powered on (and its console shows it restart)."""
        self._step("reboot")
        if instance.uuid not in self.instances and reboot_type.lower() == "hard":
            self.spawn(context, instance, None, None, None, None)
            return
        self._console(instance, f"{reboot_type.lower()} reboot")
        self.power_on(context, instance, network_info, block_device_info)

    def pause(self, instance):
        """As nova's FakeDriver: nothing happens, the power state stays RUNNING."""

    def unpause(self, instance):
        pass

    def suspend(self, context, instance):
        """As nova's FakeDriver: nothing happens, the power state stays RUNNING."""

    def resume(self, context, instance, network_info, block_device_info=None):
        pass

    def _console(self, instance, event):
        """NOTE(labkit): nova's FakeDriver keeps no console; labkit logs a few lines per
        boot, reboot and power-off, so ``openstack console log show`` has something to
        show."""
        name = instance.hostname or instance.display_name
        lines = {"boot": [f"Booting {name} ({instance.uuid}) on {self.host}",
                          f"{name} login:"],
                 "power off": ["reboot: Power down"]}.get(event, [f"{name}: {event}"])
        with self._lock:
            if instance.uuid in self.console_logs:
                self.console_logs[instance.uuid].extend(lines)

    def get_console_output(self, context, instance):
        """The instance's console log (nova's fixed text for one this host never booted)."""
        with self._lock:
            lines = self.console_logs.get(instance.uuid)
            return "\n".join(lines) if lines else FAKE_CONSOLE_OUTPUT

    def snapshot(self, context, instance, image_id, update_task_state):
        """Walk the snapshot task states and upload the disk to the image service.

        NOTE(labkit): nova's FakeDriver only reports the states; labkit uploads a
        small stand-in disk so the snapshot really becomes ``active`` in glance,
        as libvirt's upload (PUT /v2/images/{id}/file) does.
        """
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        self._step("snapshot")
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        disk = hashlib.sha256(instance.uuid.encode()).digest() * 64
        if self.image_api is not None:
            self.image_api.upload(context, image_id, disk)

    def list_instance_uuids(self):
        with self._lock:
            return list(self.instances)

    def get_info(self, instance):
        with self._lock:
            fake = self.instances.get(instance.uuid)
        return fake.state if fake else power_state.NOSTATE

    # -- live migration ---------------------------------------------------------------------
    def check_can_live_migrate_destination(self, context, instance, src_compute_info,
                                           dst_compute_info, block_migration=False,
                                           disk_over_commit=False):
        """What the destination tells the source (nova: LibvirtLiveMigrateData).

        NOTE(labkit): nova's FakeDriver always says the instance path and block storage are
        shared; labkit's says so unless a block migration was asked for (``True``), as
        libvirt would for local disks, so a rollback then cleans up the destination."""
        shared = block_migration is not True
        data = {"filename": "fake", "image_type": "default", "disk_available_mb": 100000,
                "is_shared_block_storage": shared, "is_shared_instance_path": shared}
        if block_migration is not None:
            data["block_migration"] = block_migration
        if disk_over_commit is not None:
            data["disk_over_commit"] = disk_over_commit
        return data

    def cleanup_live_migration_destination_check(self, context, dest_check_data):
        return

    def check_can_live_migrate_source(self, context, instance, dest_check_data,
                                      block_device_info=None):
        return dest_check_data

    def check_source_migrate_data_at_dest(self, context, instance, migrate_data, migration,
                                          limits, allocs):
        return migrate_data

    def pre_live_migration(self, context, instance, block_device_info, network_info,
                           disk_info, migrate_data):
        self._step("pre_live_migration")
        return migrate_data

    def live_migration(self, context, instance, dest, post_method, recover_method,
                       block_migration=False, migrate_data=None):
        """Copy the guest's memory to ``dest`` (instant, or ``virt_delays``), then call
        the compute manager's ``post_method`` (its ``recover_method`` on a failure)."""
        self._step("live_migration")
        post_method(context, instance, dest, block_migration, migrate_data)

    def live_migration_force_complete(self, instance):
        return

    def live_migration_abort(self, instance):
        return

    def post_live_migration(self, context, instance, block_device_info, migrate_data=None):
        """The guest runs on the destination now: the source forgets it.

        NOTE(labkit): as nova's FakeLiveMigrateDriver.post_live_migration; nova's
        FakeDriver keeps tracking the guest on the source."""
        self.destroy(context, instance, None, block_device_info)

    def post_live_migration_at_source(self, context, instance, network_info):
        return

    def post_live_migration_at_destination(self, context, instance, network_info,
                                           block_migration=False, block_device_info=None):
        """Track the guest here now: it arrives running, its console log goes on."""
        with self._lock:
            self.instances[instance.uuid] = FakeInstance(
                f"instance-{instance.id:08x}", power_state.RUNNING, instance.uuid)
            self.console_logs[instance.uuid] = [FAKE_CONSOLE_OUTPUT.splitlines()[0]]
        self._console(instance, f"live migrated to {self.host}")

    def rollback_live_migration_at_destination(self, context, instance, network_info,
                                               block_device_info, destroy_disks=True,
                                               migrate_data=None):
        return

    def rollback_live_migration_at_source(self, context, instance, migrate_data):
        return


    # -- resize and cold migration (nova/virt/fake.py:FakeDriver) ---------------------
    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        """Source: the disks would be copied to ``dest`` here (nova's fake does nothing
        either; the guest stays tracked here until the resize is confirmed)."""
        self._step("migrate_disk_and_power_off")
        self._console(instance, f"resize: disks sent to {dest}")
        return "{}"         # disk_info, as libvirt's JSON list of disks

    def _track(self, instance, power_on, event):
        with self._lock:
            self.instances[instance.uuid] = FakeInstance(
                f"instance-{instance.id:08x}",
                power_state.RUNNING if power_on else power_state.SHUTDOWN, instance.uuid)
            self.console_logs.setdefault(instance.uuid, [FAKE_CONSOLE_OUTPUT.splitlines()[0]])
        self._console(instance, event)

    def finish_migration(self, context, migration, instance, disk_info, network_info,
                         image_meta, resize_instance, allocations, block_device_info=None,
                         power_on=True):
        """Destination: like a spawn, running unless the server was stopped."""
        self._step("finish_migration")
        self._track(instance, power_on, f"resized onto {self.host}")

    def confirm_migration(self, context, migration, instance, network_info):
        """Source: forget the old guest (unless the resize stayed on this host)."""
        if migration.source_compute != migration.dest_compute:
            self.destroy(context, instance, network_info)

    def finish_revert_migration(self, context, instance, network_info, migration,
                                block_device_info=None, power_on=True):
        """Source: the old guest again, powered on unless it was stopped."""
        self._step("finish_revert_migration")
        self._track(instance, power_on, "resize reverted")


class FakeBuildFailDriver(FakeDriver):
    """Every spawn fails: nova-compute reschedules the build to an alternate host.

    ``on_failure(context, instance, error)``, when set (lab.faults sets it), is told of
    each failure before it is raised, so the trace can show where the build failed.
    """

    on_failure = None

    def spawn(self, context, instance, *args, **kwargs):
        self._step("spawn")
        error = exception.NovaException(f"Fake spawn failure on {self.host}")
        if self.on_failure is not None:
            self.on_failure(context, instance, error)
        raise error


class FakeSnapshotFailDriver(FakeDriver):
    """Snapshots fail after the upload starts: shelve rolls back to ACTIVE."""

    def snapshot(self, context, instance, image_id, update_task_state):
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        raise exception.NovaException(f"Fake snapshot failure on {self.host}")


class FakeLiveMigrateDriver(FakeDriver):
    """A live migration that runs until someone forces it to finish or aborts it.

    As nova's FakeLiveMigrateDriver (nova/virt/fake.py): ``live_migration`` waits (at
    most ``hold`` seconds: nova's 50 x 0.1 s) for ``live_migration_force_complete`` or
    ``live_migration_abort`` (the API's force_complete and DELETE), then finishes or
    rolls back (``cancelled``).
    """

    hold = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._migrating = True
        self._abort_migration = True
        self._wake = threading.Event()

    def live_migration(self, context, instance, dest, post_method, recover_method,
                       block_migration=False, migrate_data=None):
        self._abort_migration = False
        self._migrating = True
        self._wake.clear()
        self._wake.wait(self.hold)
        if self._abort_migration:
            recover_method(context, instance, dest, migrate_data,
                           migration_status="cancelled")
        else:
            post_method(context, instance, dest, block_migration, migrate_data)

    def live_migration_force_complete(self, instance):
        """NOTE(labkit): nova's also forgets the guest here; labkit's post_live_migration
        does that."""
        self._migrating = False
        self._wake.set()

    def live_migration_abort(self, instance):
        self._abort_migration = True
        self._migrating = False
        self._wake.set()


class FakeLiveMigrationFailDriver(FakeDriver):
    """The destination cannot get ready for the guest: the source rolls the live
    migration back (migration ``error`` then ``failed``, the server ACTIVE where it was).

    NOTE(labkit): nova has no such driver; its functional tests make
    pre_live_migration raise the same way."""

    def pre_live_migration(self, context, instance, block_device_info, network_info,
                           disk_info, migrate_data):
        self._step("pre_live_migration")
        raise exception.MigrationError(
            reason=f"Fake pre_live_migration failure on {self.host}")


class FakeFullHostDriver(FakeDriver):
    """A host that has filled up since the scheduler chose it: it reports no memory,
    so a resize claim here fails (ComputeResourcesUnavailable) and nova-compute sends
    the resize back to the conductor for an alternate host.

    NOTE(labkit): nova's functional tests make prep_resize fail by stubbing
    ComputeManager._prep_resize; labkit fails the claim inside it instead.
    """

    def get_available_resource(self, nodename):
        return dict(super().get_available_resource(nodename), memory_mb=0)


class FakeIncompatibleCPUDriver(FakeDriver):
    """A destination whose CPU cannot run the source's guests: its live-migration check
    refuses (InvalidCPUInfo, as libvirt's _compare_cpu raises), so the conductor drops
    this host, removes its claim and asks the scheduler for another."""

    def check_can_live_migrate_destination(self, context, instance, src_compute_info,
                                           dst_compute_info, block_migration=False,
                                           disk_over_commit=False):
        raise exception.InvalidCPUInfo(
            reason=f"the CPU of {self.host} is incompatible with the guest's")
