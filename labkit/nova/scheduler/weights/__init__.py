"""Scheduler weighers: each one scores hosts; scores are normalised, multiplied, summed.

Real nova: nova/weights.py (normalize, BaseWeightHandler.get_weighed_objects)
and nova/scheduler/weights/*.py, one weigher per module.
"""
from labkit.nova import loadables

ALL_WEIGHERS = "labkit.nova.scheduler.weights.all_weighers"


class BaseHostWeigher:
    """Subclass: ``_weigh_object(host_state, spec_obj)`` and ``weight_multiplier(conf)``.
    A class whose name starts with ``_`` (a shared base) is no weigher."""

    def weight_multiplier(self, conf):
        return 1.0

    def _weigh_object(self, host_state, spec_obj):
        raise NotImplementedError


def normalize(values):
    """Scale to 0..1 by (v - min) / (max - min); all equal -> all 0 (nova/weights.py)."""
    if not values:
        return []
    lo, hi = min(values), max(values)
    if hi == lo:
        return [0.0 for _ in values]
    return [(v - lo) / (hi - lo) for v in values]


class HostWeightHandler(loadables.BaseLoader):
    def __init__(self):
        super().__init__(BaseHostWeigher)


def all_weighers():
    """Every weigher class in this package (nova's default ``weight_classes``)."""
    return HostWeightHandler().get_all_classes()


def get_weighers(weight_classes=(ALL_WEIGHERS,)):
    """One instance of each weigher ``[filter_scheduler] weight_classes`` names
    (nova/scheduler/host_manager.py:HostManager.__init__)."""
    return [cls() for cls in HostWeightHandler().get_matching_classes(weight_classes)]


def weigh_hosts(weighers, hosts, spec_obj, conf):
    """[(total, host)] best first, plus a per-weigher report for the trace."""
    totals = [0.0] * len(hosts)
    names = [h.host for h in hosts]
    report = []
    for weigher in weighers:
        weigh = weigher._weigh_object
        raw = [weigh(h, spec_obj) for h in hosts]
        multiplier = weigher.weight_multiplier(conf)
        if multiplier:
            totals = [t + multiplier * v for t, v in zip(totals, normalize(raw))]
        report.append({"weigher": type(weigher).__name__, "multiplier": multiplier,
                       "raw": dict(zip(names, raw))})
    # NOTE(labkit): equal weights go by host name, so a seeded lab repeats its choices. nova's
    # weights.py:BaseWeightHandler.get_weighed_objects sorts stably (ties keep the order the
    # host states came in, which is neither the names' nor placement's: the scheduler's
    # host_manager.py:HostManager._get_host_states yields them from a set of (host, node)
    # pairs), and with [filter_scheduler] shuffle_best_same_weighed_hosts
    # nova/scheduler/manager.py:_get_sorted_hosts shuffles the best of them.
    order = sorted(range(len(hosts)), key=lambda i: (-totals[i], names[i]))
    return [(totals[i], hosts[i]) for i in order], report
