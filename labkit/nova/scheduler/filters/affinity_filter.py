"""nova/scheduler/filters/affinity_filter.py: server group (anti-)affinity.

NOTE(labkit): labkit has no server groups API, so these filters only read a
``group_hosts`` scheduler hint (the hosts the group already uses).
"""
from labkit.nova.scheduler import filters


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """Pass a host that runs no member of the instance's anti-affinity group."""

    def host_passes(self, host_state, spec_obj):
        hints = spec_obj.scheduler_hints or {}
        if hints.get("group_policy") != "anti-affinity":
            return True
        return host_state.host not in hints.get("group_hosts", [])


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Pass only hosts that already run the group's members, once it has any."""

    def host_passes(self, host_state, spec_obj):
        hints = spec_obj.scheduler_hints or {}
        group_hosts = hints.get("group_hosts", [])
        if hints.get("group_policy") != "affinity" or not group_hosts:
            return True
        return host_state.host in group_hosts
