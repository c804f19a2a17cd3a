"""nova/scheduler/weights/compute.py: push away hosts whose recent builds failed."""
from labkit.nova.scheduler import weights


class BuildFailureWeigher(weights.BaseHostWeigher):
    """Weigh by recent build failures, with a large negative multiplier."""

    def weight_multiplier(self, conf):
        return -conf.build_failure_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.failed_builds
