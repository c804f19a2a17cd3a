"""nova/scheduler/filters/compute_capabilities_filter.py: flavor extra specs match the host."""
from labkit.nova.scheduler import filters


class ComputeCapabilitiesFilter(filters.BaseHostFilter):
    """Pass a host whose capabilities satisfy every ``capabilities:*`` extra spec of the flavor."""

    def host_passes(self, host_state, spec_obj):
        specs = (spec_obj.flavor or {}).get("extra_specs") or {}
        for key, wanted in specs.items():
            scope, _, name = key.partition(":")
            if scope != "capabilities":
                continue
            if str(getattr(host_state, name, None)) != str(wanted):
                return False
        return True
