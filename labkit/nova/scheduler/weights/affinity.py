"""nova/scheduler/weights/affinity.py: the soft server group policies.

soft-affinity prefers the host that runs the most members of the group;
soft-anti-affinity the one that runs the fewest.  Unlike the filters they
never rule a host out, so a boot still succeeds when the policy can't be met.
"""
from labkit.nova.scheduler import weights


class _SoftAffinityWeigherBase(weights.BaseHostWeigher):
    """Weigh by the number of the group's members on the host."""

    policy_name = None

    def _weigh_object(self, host_state, request_spec):
        group = request_spec.instance_group
        if not group or group.policy != self.policy_name:
            return 0
        return len(set(host_state.instances) & set(group.members or ()))


class ServerGroupSoftAffinityWeigher(_SoftAffinityWeigherBase):
    """More members of the group on the host: a higher weight."""

    policy_name = "soft-affinity"

    def weight_multiplier(self, conf):
        return conf.soft_affinity_weight_multiplier


class ServerGroupSoftAntiAffinityWeigher(_SoftAffinityWeigherBase):
    """More members of the group on the host: a lower weight."""

    policy_name = "soft-anti-affinity"

    def weight_multiplier(self, conf):
        return conf.soft_anti_affinity_weight_multiplier

    def _weigh_object(self, host_state, request_spec):
        return -1 * super()._weigh_object(host_state, request_spec)
