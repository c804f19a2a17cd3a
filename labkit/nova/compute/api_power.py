"""The compute API's short server actions: stop, start, reboot, pause, suspend, console log.

Real nova: nova/compute/api.py — API.stop (force_stop), start, reboot
(_soft_reboot, _hard_reboot), pause, unpause, suspend, resume and
get_console_output, and the decorators that guard them (check_instance_lock,
check_instance_host, check_instance_state).  Each action checks the states, saves
its task state (nova-api's one state save), records the instance action, then
casts straight to the instance's host; the console log is a *call*, because
nova-api waits for the text.

NOTE(labkit): nova defines all of this in nova/compute/api.py; labkit keeps it
here, and API (labkit/nova/compute/api.py) inherits it, so both modules stay short.
"""
import functools

from labkit.nova import exception, objects
from labkit.nova.compute import instance_actions, task_states, vm_states


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


class PowerActionsMixin:
    """API's stop, start, reboot, pause, unpause, suspend, resume, get_console_output."""

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
