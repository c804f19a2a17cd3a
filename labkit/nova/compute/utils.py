"""Compute helpers shared by nova-api, the conductor and nova-compute.

Real nova: nova/compute/utils.py — EventReporter (instance action events),
notify_about_instance_action (versioned notifications),
add_instance_fault_from_exc (the ``fault`` a server in ERROR shows) and
check_num_instances_quota (how many servers a POST may boot).
"""
import traceback

from labkit.nova import exception, objects
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
    """A small InstanceActionPayload (nova/notifications/objects/instance.py).

    NOTE(labkit): real nova sends instance.create.start/end/error with an
    InstanceCreatePayload (nova/notifications/objects/instance.py: InstanceActionPayload
    plus keypairs, tags, trusted_certs, instance_name, ...), built in
    nova/compute/utils.py:notify_about_instance_create; labkit uses this one payload for
    every instance action, create included.
    """
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


def notify_about_resize_prep_instance(context, instance, host, phase, new_flavor, notifier):
    """``instance.resize_prep.<phase>``: the instance payload with the flavor it is being
    resized to (nova: InstanceActionResizePrepPayload 1.4, its ``new_flavor``)."""
    if notifier is None:
        return
    payload = instance_payload(instance)
    payload.update({"nova_object.name": "InstanceActionResizePrepPayload",
                    "nova_object.version": "1.4"})
    payload["nova_object.data"]["new_flavor"] = {
        key: new_flavor.get(key) for key in ("name", "flavorid", "vcpus", "memory_mb",
                                             "root_gb")}
    notifier.prepare(publisher_id=f"nova-compute:{host}").info(
        context, f"instance.resize_prep.{phase}", payload)


def add_instance_fault_from_exc(context, instance, fault, host=None):
    """Store the error a server in ERROR reports as its ``fault``."""
    code = getattr(fault, "code", 500)
    message = getattr(fault, "message", None) or str(fault) or type(fault).__name__
    objects.InstanceFault(context, instance_uuid=instance.uuid, code=code,
                          message=message[:255], details="", host=host).create()


def get_headroom(quotas, usages, deltas):
    """How much of each resource is left; an unlimited cores or ram follows instances.

    Real nova: nova/compute/utils.py:get_headroom.
    """
    headroom = {res: quotas[res] - usages[res] for res in quotas}
    for res in ("cores", "ram"):
        if quotas.get(res) == -1:
            headroom[res] = (headroom.get("instances", 1) * deltas[res] /
                             deltas.get("instances", 1)) if deltas.get(res) \
                else headroom.get("instances", 1)
    return headroom


def check_num_instances_quota(context, flavor, min_count, max_count, *, quotas,
                              project_id=None, user_id=None):
    """How many of ``max_count`` instances the quota allows (at least ``min_count``),
    or TooManyInstances naming every resource that is over.

    Real nova: nova/compute/utils.py:check_num_instances_quota.  ``quotas`` is the
    lab's QuotaEngine (labkit/nova/quota.py).  NOTE(labkit): nova's recheck after
    the instances exist (``orig_num_req``, [quota]recheck_quota) is not done.
    """
    project_id = project_id or context.project_id
    user_id = user_id or context.user_id
    # a user is counted apart only when the project set limits for that user
    user_quotas = objects.Quotas.get_all_by_project_and_user(context, project_id, user_id)
    if not any(r in user_quotas for r in ("instances", "cores", "ram")):
        user_id = None
    req_cores, req_ram = max_count * flavor["vcpus"], max_count * flavor["memory_mb"]
    deltas = {"instances": max_count, "cores": req_cores, "ram": req_ram}
    try:
        quotas.check_deltas(context, deltas, project_id, user_id=user_id,
                            check_project_id=project_id, check_user_id=user_id)
    except exception.OverQuota as exc:
        headroom = get_headroom(exc.kwargs["quotas"], exc.kwargs["usages"], deltas)
        allowed = headroom.get("instances", 1)
        if flavor["vcpus"]:
            allowed = min(allowed, headroom["cores"] // flavor["vcpus"])
        if flavor["memory_mb"]:
            allowed = min(allowed, headroom["ram"] // flavor["memory_mb"])
        if min_count <= allowed <= max_count:       # fewer fit: boot those
            return check_num_instances_quota(context, flavor, min_count, int(allowed),
                                             quotas=quotas, project_id=project_id,
                                             user_id=user_id)
        requested = {"instances": str(min_count) if min_count == max_count
                     else f"{min_count}-{max_count}", "cores": req_cores, "ram": req_ram}
        overs, reqs, alloweds, useds = get_over_quota_detail(
            headroom, exc.kwargs["overs"], exc.kwargs["quotas"], requested)
        raise exception.TooManyInstances(overs=overs, req=reqs, used=useds,
                                         allowed=alloweds) from None
    return max_count


def get_over_quota_detail(headroom, overs, quotas, requested):
    """(overs, requested, allowed, used), each joined by ", " for TooManyInstances.

    Real nova: nova/compute/utils.py:get_over_quota_detail.
    """
    reqs = [str(requested[r]) for r in overs]
    useds = [str(quotas[r] - headroom[r]) for r in overs]
    alloweds = [str(quotas[r]) for r in overs]
    return tuple(", ".join(x) for x in (overs, reqs, alloweds, useds))
