"""Scheduler filters: each one answers "can this host take this instance?".

Real nova: nova/scheduler/filters/__init__.py (BaseHostFilter, HostFilterHandler,
all_filters) and one module per filter.  ``[filter_scheduler] available_filters``
names the filters a lab may use (by default ``all_filters``: every filter in
this package; a learner's own filter is added by its dotted path or, in a
notebook, its class), and ``enabled_filters`` turns some of them on by name.
"""
from labkit.nova import loadables

ALL_FILTERS = "labkit.nova.scheduler.filters.all_filters"


class BaseHostFilter:
    """Subclass and implement ``host_passes(host_state, spec_obj)``."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec_obj):
        raise NotImplementedError

    def filter_all(self, host_states, spec_obj):
        return [h for h in host_states if self.host_passes(h, spec_obj)]


class HostFilterHandler(loadables.BaseLoader):
    def __init__(self):
        super().__init__(BaseHostFilter)


def all_filters():
    """Every filter class in this package (nova's default ``available_filters``)."""
    return HostFilterHandler().get_all_classes()


def get_filter_classes(enabled_filters, available_filters=(ALL_FILTERS,)):
    """The enabled filters' classes, in order, from those available.

    Real nova: nova/scheduler/host_manager.py:HostManager._load_filters and
    _choose_host_filters (an enabled name that is not available stops the
    scheduler from starting).
    """
    classes = HostFilterHandler().get_matching_classes(available_filters)
    by_name = {cls.__name__: cls for cls in classes}
    missing = [name for name in enabled_filters if name not in by_name]
    if missing:
        raise ValueError(f"unknown scheduler filter(s) {', '.join(map(repr, missing))} "
                         "([filter_scheduler] enabled_filters); available: "
                         f"{', '.join(sorted(by_name))}")
    return [by_name[name] for name in enabled_filters]
