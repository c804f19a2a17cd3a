"""nova-compute's short server actions: stop, reboot, pause, unpause, suspend, resume, console.

Real nova: nova/compute/manager.py:ComputeManager — stop_instance,
reboot_instance (_reboot_instance), pause_instance, unpause_instance,
suspend_instance, resume_instance, get_console_output and _tail_log.  Each
cast arrives with the task state nova-api saved; the manager asks the driver,
then saves the new vm and power states with task_state None (the save checks
the expected task state), between the ``instance.<action>.start`` and ``.end``
notifications, inside an instance action event ``compute_<method>``.

NOTE(labkit): nova defines these in nova/compute/manager.py; labkit keeps them
here, and ComputeManager inherits them, so both modules stay short.  nova's
legacy (unversioned) notifications are not sent, only the versioned ones.
"""
import functools
import logging

from labkit.nova.compute import power_state, task_states, vm_states
from labkit.nova.compute import utils as compute_utils

LOG = logging.getLogger(__name__)


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


class PowerActionsMixin:
    """ComputeManager's stop, reboot, pause, suspend and console-output handlers."""

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
        labkit's per-host worker runs one message at a time per instance anyway."""
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
