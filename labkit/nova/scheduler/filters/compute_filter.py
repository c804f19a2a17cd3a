"""nova/scheduler/filters/compute_filter.py: the host's nova-compute service is up and enabled."""
from labkit.nova.scheduler import filters


class ComputeFilter(filters.BaseHostFilter):
    """Pass a host whose compute service is enabled and sent a heartbeat recently.

    NOTE(labkit): ``host_state.service_up`` is the servicegroup API's answer
    (forced down, or no heartbeat for ``service_down_time``), asked once per host
    by the HostManager; nova's filter asks servicegroup_api.service_is_up itself.
    """

    def host_passes(self, host_state, spec_obj):
        service = host_state.service
        if not service or service.get("disabled"):
            return False
        return host_state.service_up
