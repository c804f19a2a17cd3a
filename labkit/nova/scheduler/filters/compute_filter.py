"""nova/scheduler/filters/compute_filter.py: the host's nova-compute service is up and enabled."""
from labkit.nova.scheduler import filters


class ComputeFilter(filters.BaseHostFilter):
    """Pass a host whose compute service is enabled and sent a heartbeat recently."""

    def host_passes(self, host_state, spec_obj):
        service = host_state.service
        if not service or service.get("disabled"):
            return False
        return host_state.service_up
