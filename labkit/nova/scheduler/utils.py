"""Scheduler helpers the conductor calls (nova/scheduler/utils.py).

``setup_instance_group`` fills the RequestSpec's server group with what the
(anti-)affinity filters and weighers need: the group's policy, its members and
the hosts those members run on.  A group whose policy needs a filter or weigher
the scheduler does not run is refused (UnsupportedPolicyException).
"""
from labkit.nova import exception, objects

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
