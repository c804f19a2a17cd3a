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


class FakeBuildFailDriver(FakeDriver):
    """Every spawn fails: nova-compute reschedules the build to an alternate host."""

    def spawn(self, context, instance, *args, **kwargs):
        self._step("spawn")
        raise exception.NovaException(f"Fake spawn failure on {self.host}")


class FakeSnapshotFailDriver(FakeDriver):
    """Snapshots fail after the upload starts: shelve rolls back to ACTIVE."""

    def snapshot(self, context, instance, image_id, update_task_state):
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        raise exception.NovaException(f"Fake snapshot failure on {self.host}")
