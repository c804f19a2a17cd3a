"""nova/scheduler/weights/disk.py: prefer the host with the most free disk."""
from labkit.nova.scheduler import weights


class DiskWeigher(weights.BaseHostWeigher):
    """Weigh by free disk in MB."""

    def weight_multiplier(self, conf):
        return conf.disk_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.free_disk_mb
