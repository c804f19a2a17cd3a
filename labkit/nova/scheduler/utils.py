"""Scheduler helpers the conductor calls (nova/scheduler/utils.py).

``setup_instance_group`` fills the RequestSpec's server group with what the
(anti-)affinity filters and weighers need: the group's policy, its members and
the hosts those members run on.  A group whose policy needs a filter or weigher
the scheduler does not run is refused (UnsupportedPolicyException).
``get_requested_compute_node`` finds the one compute node an admin asked for
(2.74's host/hypervisor_hostname, ``zone:host:node``, an unshelve to a host),
which placement is then asked about alone (``in_tree``).
``claim_resources_on_destination`` claims a forced destination without the
scheduler; ``set_vm_state_and_notify`` records why a move could not start.
"""
import logging

from labkit.nova import exception, objects
from labkit.nova.compute import utils as compute_utils

LOG = logging.getLogger(__name__)

_NEEDS = {"affinity": "ServerGroupAffinityFilter",
          "anti-affinity": "ServerGroupAntiAffinityFilter",
          "soft-affinity": "ServerGroupSoftAffinityWeigher",
          "soft-anti-affinity": "ServerGroupSoftAntiAffinityWeigher"}


def _get_group_details(context, instance_uuid, conf, user_group_hosts=None):
    """(hosts, policy, members) of the group ``instance_uuid`` is in, or None."""
    if not instance_uuid:
        return None
    try:
        group = objects.InstanceGroup.get_by_instance_uuid(context, instance_uuid)
    except exception.InstanceGroupNotFound:
        return None
    needed = _NEEDS.get(group.policy)
    enabled = set(conf.enabled_filters)
    if needed and needed.endswith("Filter") and needed not in enabled:
        raise exception.UnsupportedPolicyException(reason=f"{needed} not configured")
    hosts = set(group.get_hosts()) | set(user_group_hosts or ())
    return sorted(hosts), group.policy, group.members


def setup_instance_group(context, request_spec, conf):
    """Set ``hosts``, ``policy`` and ``members`` on the request's server group.

    NOTE(labkit): nova reads CONF; labkit passes the lab's configuration, and
    every weigher always runs, so only the filters can be missing.
    """
    group = request_spec.instance_group
    if group is not None and group.hosts is None:
        group.hosts = group.get_hosts()
    details = _get_group_details(context, request_spec.instance_uuid, conf,
                                 group.hosts if group is not None else None)
    if details is not None:
        hosts, policy, members = details
        if request_spec.instance_group is None:
            request_spec.instance_group = objects.InstanceGroup.get_by_instance_uuid(
                context, request_spec.instance_uuid)
        group = request_spec.instance_group
        group.hosts, group.policy, group.members = list(hosts), policy, list(members)


def get_requested_compute_node(ctxt, spec_obj):
    """The uuid of the compute node the request names, or None if it names none or
    a host with several nodes; NoValidHost if it names one that does not exist.

    The requested destination wins over the forced host and node (``zone:host:node``);
    one node found fills in the destination's host and node, so the scheduler checks
    only that HostState.

    NOTE(labkit): the target part of nova/scheduler/utils.py:resources_from_request_spec,
    which also builds the ResourceRequest (labkit: RequestSpec.resources) and looks the
    nodes up with host_manager.get_compute_nodes_by_host_or_node.
    """
    destination = spec_obj.requested_destination or {}
    target_host = destination.get("host") or next(iter(spec_obj.force_hosts or []), None)
    target_node = destination.get("node") or next(iter(spec_obj.force_nodes or []), None)
    if not (target_host or target_node):
        return None
    nodes = [node for node in objects.ComputeNodeList.get_all(ctxt)
             if target_host in (None, node["host"])
             and target_node in (None, node["hypervisor_hostname"])]
    if not nodes:
        raise exception.NoValidHost(
            reason=f"No such host - host: {target_host} node: {target_node} ")
    if len(nodes) > 1:       # nova then drops the candidates' limit instead
        return None
    if spec_obj.requested_destination:
        spec_obj.requested_destination = dict(
            destination, host=nodes[0]["host"], node=nodes[0]["hypervisor_hostname"])
    return nodes[0]["uuid"]


def request_is_rebuild(spec_obj):
    """Whether the request only checks a rebuild's new image against the server's own
    host (the compute API's hint ``_nova_check_type: ["rebuild"]``)."""
    return (spec_obj.scheduler_hints or {}).get("_nova_check_type") == ["rebuild"]


def claim_resources_on_destination(context, reportclient, instance, source_node, dest_node,
                                   source_allocations=None, consumer_generation=None):
    """Claim on a forced destination what the instance holds on its source node (no
    scheduler, so no allocation candidate): NoValidHost if placement refuses.

    ``source_allocations`` ({provider: {"resources": ...}}) are what a live migration
    moved to its migration consumer; without them the instance's own are read.
    Real nova: nova/scheduler/utils.py:claim_resources_on_destination.
    """
    if not source_allocations:
        allocations = reportclient.get_allocs_for_consumer(context, instance.uuid)
        source_allocations = allocations.get("allocations", {})
        consumer_generation = allocations.get("consumer_generation")
        if not source_allocations:
            raise exception.ConsumerAllocationRetrievalFailed(
                consumer_uuid=instance.uuid,
                error="Expected to find allocations for source node resource provider "
                      f"{source_node['uuid']}. Retry the operation without forcing a "
                      "destination host.")
    if len(source_allocations) > 1:
        raise exception.NoValidHost(
            reason=f"Unable to move instance {instance.uuid} to host {dest_node['host']}. "
                   "The instance has complex allocations on the source host so move "
                   "cannot be forced.")
    alloc_request = {"allocations": {dest_node["uuid"]: {
        "resources": source_allocations[source_node["uuid"]]["resources"]}}}
    if not reportclient.claim_resources(context, instance.uuid, alloc_request,
                                        instance.project_id, instance.user_id,
                                        consumer_generation=consumer_generation):
        raise exception.NoValidHost(
            reason=f"Unable to move instance {instance.uuid} to host {dest_node['host']}. "
                   "There is not enough capacity on the host for the instance.")


def set_vm_state_and_notify(context, instance, method, updates, ex, notifier=None):
    """A move the conductor could not start: save the states in ``updates`` (its
    ``expected_task_state`` too), record ``ex`` as the instance's fault and, given the
    conductor's ``notifier``, send ``compute_task.<method>.error``.

    Real nova: nova/scheduler/utils.py:set_vm_state_and_notify and
    nova/compute/utils.py:notify_about_compute_task_error (its ComputeTaskPayload; the
    request spec left out here).  NOTE(labkit): nova's legacy (unversioned)
    ``compute_task.<method>`` notification is not sent.
    """
    LOG.warning("Failed to compute_task_%s: %s", method, ex)
    expected = updates.pop("expected_task_state", None)
    instance.vm_state, instance.task_state = updates["vm_state"], updates["task_state"]
    instance.save(expected_task_state=expected)
    compute_utils.add_instance_fault_from_exc(context, instance, ex)
    if notifier is not None:
        notifier.error(context, f"compute_task.{method}.error", {
            "nova_object.name": "ComputeTaskPayload", "nova_object.namespace": "nova",
            "nova_object.version": "1.0",
            "nova_object.data": {"instance_uuid": instance.uuid, "state": updates["vm_state"],
                                 "reason": {"exception": type(ex).__name__,
                                            "exception_message": str(ex)}}})


def populate_retry(filter_properties, instance_uuid, conf):
    """Count one more attempt at building ``instance_uuid``; MaxRetriesExceeded past
    ``[scheduler] max_attempts``, naming the last failure compute reported.

    Real nova: nova/scheduler/utils.py:populate_retry (the conductor's build_instances
    calls it first, before it looks for an alternate).  NOTE(labkit): nova reads CONF;
    labkit passes the lab's configuration.  nova also logs the previous attempt's
    traceback (``retry['exc']``, _log_compute_error); labkit's compute sends none.
    """
    max_attempts = conf.max_attempts
    force_hosts = filter_properties.get("force_hosts", [])
    force_nodes = filter_properties.get("force_nodes", [])
    if max_attempts == 1 or len(force_hosts) == 1 or len(force_nodes) == 1:
        LOG.debug("Re-scheduling is disabled (max_attempts %s, forced hosts %s, nodes %s)",
                  max_attempts, force_hosts, force_nodes)
        return
    retry = filter_properties.setdefault("retry", {"num_attempts": 0, "hosts": []})
    retry["num_attempts"] += 1
    exc_reason = retry.pop("exc_reason", None)
    if retry["num_attempts"] > max_attempts:
        raise exception.MaxRetriesExceeded(
            reason=f"Exceeded max scheduling attempts {max_attempts} for instance "
                   f"{instance_uuid}. Last exception: {exc_reason}")
