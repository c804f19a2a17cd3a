"""nova/scheduler/weights/io_ops.py: avoid hosts busy with builds, snapshots and moves."""
from labkit.nova.scheduler import weights


class IoOpsWeigher(weights.BaseHostWeigher):
    """Weigh by I/O-heavy operations in flight; the default multiplier (-1.0) prefers idle hosts."""

    def weight_multiplier(self, conf):
        return conf.io_ops_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.num_io_ops
