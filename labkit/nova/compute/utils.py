"""Compute helpers shared by nova-api, the conductor and nova-compute.

Real nova: nova/compute/utils.py — EventReporter (instance action events),
notify_about_instance_action (versioned notifications) and
add_instance_fault_from_exc (the ``fault`` a server in ERROR shows).
"""
import traceback

from labkit.nova import objects
from labkit.nova.compute import power_state


class EventReporter:
    """Record the start and end (Success/Error) of one instance action event."""

    def __init__(self, context, event_name, host, *instance_uuids):
        self.context, self.event_name, self.host = context, event_name, host
        self.instance_uuids = instance_uuids

    def __enter__(self):
        for uuid in self.instance_uuids:
            objects.InstanceActionEvent.event_start(self.context, uuid, self.event_name,
                                                    host=self.host)
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        tb = "".join(traceback.format_exception(exc_type, exc_val, exc_tb, limit=5)) \
            if exc_val else None
        for uuid in self.instance_uuids:
            objects.InstanceActionEvent.event_finish_with_failure(
                self.context, uuid, self.event_name, exc_val=str(exc_val) if exc_val else None,
                exc_tb=tb)
        return False


def instance_payload(instance, fault=None):
    """A small InstanceActionPayload (nova/notifications/objects/instance.py)."""
    flavor = instance.flavor or {}
    return {"nova_object.name": "InstanceActionPayload", "nova_object.namespace": "nova",
            "nova_object.version": "1.8",
            "nova_object.data": {
                "uuid": instance.uuid, "display_name": instance.display_name,
                "tenant_id": instance.project_id, "user_id": instance.user_id,
                "host": instance.host, "node": instance.node, "state": instance.vm_state,
                "task_state": instance.task_state,
                "power_state": power_state.STATE_MAP.get(instance.power_state, "pending"),
                "image_uuid": instance.image_ref,
                "flavor": {"name": flavor.get("name"), "flavorid": flavor.get("flavorid"),
                           "vcpus": flavor.get("vcpus"), "memory_mb": flavor.get("memory_mb"),
                           "root_gb": flavor.get("root_gb")},
                "ip_addresses": [{"address": vif["address"], "network_name": vif["network"]}
                                 for vif in (instance.info_cache or {}).get("network_info", [])],
                "fault": fault, "action_initiator_user": None}}


def notify_about_instance_action(context, instance, host, action, phase, notifier,
                                 exception=None):
    """Emit ``instance.<action>.<phase>`` from ``nova-compute:<host>``."""
    if notifier is None:
        return
    fault = {"exception": type(exception).__name__,
             "exception_message": str(exception)} if exception else None
    notifier.prepare(publisher_id=f"nova-compute:{host}").info(
        context, f"instance.{action}.{phase}", instance_payload(instance, fault))


def add_instance_fault_from_exc(context, instance, fault, host=None):
    """Store the error a server in ERROR reports as its ``fault``."""
    code = getattr(fault, "code", 500)
    message = getattr(fault, "message", None) or str(fault) or type(fault).__name__
    objects.InstanceFault(context, instance_uuid=instance.uuid, code=code,
                          message=message[:255], details="", host=host).create()
