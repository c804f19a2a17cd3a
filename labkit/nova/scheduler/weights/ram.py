"""nova/scheduler/weights/ram.py: prefer the host with the most free RAM (so builds spread)."""
from labkit.nova.scheduler import weights


class RAMWeigher(weights.BaseHostWeigher):
    """Weigh by free RAM; a negative multiplier packs hosts instead."""

    def weight_multiplier(self, conf):
        return conf.ram_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.free_ram_mb
