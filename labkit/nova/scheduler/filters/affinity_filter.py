"""nova/scheduler/filters/affinity_filter.py: same/different host and server group rules.

The server group filters read ``spec_obj.instance_group``, which the conductor
filled in before it asked the scheduler (scheduler/utils.py:setup_instance_group):
the group's policy, its members and the hosts they run on.
"""
from labkit.nova.scheduler import filters
from labkit.nova.scheduler.filters import utils


class DifferentHostFilter(filters.BaseHostFilter):
    """Pass a host that runs none of the servers named by the ``different_host`` hint."""

    def host_passes(self, host_state, spec_obj):
        affinity_uuids = spec_obj.get_scheduler_hint("different_host")
        if affinity_uuids:
            return not utils.instance_uuids_overlap(host_state, affinity_uuids)
        return True


class SameHostFilter(filters.BaseHostFilter):
    """Pass a host that runs one of the servers named by the ``same_host`` hint."""

    def host_passes(self, host_state, spec_obj):
        affinity_uuids = spec_obj.get_scheduler_hint("same_host")
        if affinity_uuids:
            return utils.instance_uuids_overlap(host_state, affinity_uuids)
        return True


class _GroupAntiAffinityFilter(filters.BaseHostFilter):
    """Pass a host running fewer than ``max_server_per_host`` (1) of the group's members."""

    policy_name = None

    def host_passes(self, host_state, spec_obj):
        instance_group = spec_obj.instance_group
        policy = instance_group.policy if instance_group else None
        if self.policy_name != policy:
            return True
        # a move may land back on the host the instance is on
        if spec_obj.instance_uuid in host_state.instances:
            return True
        servers_on_host = set(host_state.instances) & set(instance_group.members or ())
        rules = instance_group.rules or {}
        max_server_per_host = int(rules.get("max_server_per_host", 1))
        return len(servers_on_host) < max_server_per_host


class ServerGroupAntiAffinityFilter(_GroupAntiAffinityFilter):
    policy_name = "anti-affinity"


class _GroupAffinityFilter(filters.BaseHostFilter):
    """Pass only the hosts the group's members run on, once they run somewhere."""

    policy_name = None

    def host_passes(self, host_state, spec_obj):
        instance_group = spec_obj.instance_group
        policies = instance_group.policies if instance_group else []
        if self.policy_name not in policies:
            return True
        group_hosts = instance_group.hosts if instance_group else []
        if group_hosts:
            return host_state.host in group_hosts
        return True


class ServerGroupAffinityFilter(_GroupAffinityFilter):
    policy_name = "affinity"
