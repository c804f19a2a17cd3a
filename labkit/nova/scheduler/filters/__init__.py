"""Scheduler filters: each one answers "can this host take this instance?".

Real nova: nova/scheduler/filters/__init__.py (BaseHostFilter) and one module
per filter.  ``[filter_scheduler] enabled_filters`` picks them by name; a
learner's own filter plugs in with ``register`` (or by passing the class).
"""
import importlib

FILTERS = {}


class BaseHostFilter:
    """Subclass and implement ``host_passes(host_state, spec_obj)``."""

    RUN_ON_REBUILD = False

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        FILTERS[cls.__name__] = cls

    def host_passes(self, host_state, spec_obj):
        raise NotImplementedError

    def filter_all(self, host_states, spec_obj):
        return [h for h in host_states if self.host_passes(h, spec_obj)]


def register(cls):
    """Make a filter class available to ``enabled_filters`` by its name."""
    FILTERS[cls.__name__] = cls
    return cls


_BUILTIN = ("compute_filter", "compute_capabilities_filter", "image_props_filter",
            "affinity_filter", "ram_filter")


def get_filter_classes(names):
    for module in _BUILTIN:
        importlib.import_module(f"{__name__}.{module}")
    out = []
    for name in names:
        if isinstance(name, type):
            out.append(name)
        elif name in FILTERS:
            out.append(FILTERS[name])
        else:
            raise ValueError(f"unknown scheduler filter {name!r}; known: {sorted(FILTERS)}")
    return out
