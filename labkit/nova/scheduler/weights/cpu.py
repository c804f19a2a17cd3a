"""nova/scheduler/weights/cpu.py: prefer the host with the most free vCPUs."""
from labkit.nova.scheduler import weights


class CPUWeigher(weights.BaseHostWeigher):
    """Weigh by free vCPUs (capacity minus used)."""

    def weight_multiplier(self, conf):
        return conf.cpu_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.total_usable_vcpus - host_state.vcpus_used
