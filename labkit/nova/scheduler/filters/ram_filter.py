"""The RamFilter of nova's Juno-era defaults (removed in Victoria: placement does it now).

NOTE(labkit): nova 34 has no ram_filter.py; placement's MEMORY_MB inventory
makes the same check before the scheduler's filters run.
"""
from labkit.nova.scheduler import filters


class RamFilter(filters.BaseHostFilter):
    """Pass a host with at least the flavor's RAM free."""

    def host_passes(self, host_state, spec_obj):
        return host_state.free_ram_mb >= spec_obj.flavor["memory_mb"]
