"""One test per scheduler rule that servers and services bring: ComputeFilter with a
disabled, forced-down or silent service, the server group filters and soft weighers,
same/different host, and the servicegroup API's ``is_up``.

Real HostState, RequestSpec and InstanceGroup objects; no database (a HostState's
instances come from the loader the HostManager would give it).
"""
import time

from labkit.config import Config
from labkit.nova.objects import InstanceGroup, RequestSpec
from labkit.nova.scheduler import weights
from labkit.nova.scheduler.filters.affinity_filter import (DifferentHostFilter, SameHostFilter,
                                                           ServerGroupAffinityFilter,
                                                           ServerGroupAntiAffinityFilter)
from labkit.nova.scheduler.filters.compute_filter import ComputeFilter
from labkit.nova.scheduler.host_manager import HostState
from labkit.nova.scheduler.weights.affinity import (ServerGroupSoftAffinityWeigher,
                                                    ServerGroupSoftAntiAffinityWeigher)
from labkit.nova.servicegroup import API as ServiceGroupAPI

CONF = Config(report_interval=10, service_down_time=60)
RUNNING = {"compute-1": ["i-1", "i-2"], "compute-2": ["i-3"], "compute-3": []}


def _service(**kw):
    return dict({"host": "h", "binary": "nova-compute", "disabled": False,
                 "forced_down": False, "last_seen_up": time.monotonic()}, **kw)


def _hosts(service=None):
    return [HostState({"uuid": f"rp-{h}", "host": h, "hypervisor_hostname": h},
                      service or _service(host=h), {}, ServiceGroupAPI(CONF),
                      instances_by_host=lambda: RUNNING)
            for h in sorted(RUNNING)]


def _spec(policy=None, members=(), hosts=None, rules=None, **hints):
    group = None if policy is None else InstanceGroup(
        policy=policy, members=list(members), hosts=hosts, rules=rules or {})
    return RequestSpec(instance_uuid="new", scheduler_hints=hints, instance_group=group)


def _passing(host_filter, spec):
    return [h.host for h in host_filter.filter_all(_hosts(), spec)]


def test_servicegroup_is_up_from_heartbeats_and_forced_down():
    api = ServiceGroupAPI(CONF)
    assert api.service_is_up(_service())
    assert not api.service_is_up(_service(last_seen_up=time.monotonic() - 61))
    assert not api.service_is_up(_service(forced_down=True))
    assert not api.service_is_up(_service(last_seen_up=None))
    # nova raises service_down_time to 2.5 x report_interval when it is not above it
    assert ServiceGroupAPI(Config(report_interval=10, service_down_time=5)).service_is_up(
        _service(last_seen_up=time.monotonic() - 20))


def test_compute_filter_skips_disabled_forced_down_and_silent_services():
    spec = _spec()
    assert ComputeFilter().host_passes(_hosts()[0], spec)
    for service in (_service(disabled=True, disabled_reason="maint"),
                    _service(forced_down=True),
                    _service(last_seen_up=time.monotonic() - 120)):
        assert not ComputeFilter().host_passes(_hosts(service)[0], spec)


def test_anti_affinity_passes_hosts_without_members():
    spec = _spec("anti-affinity", members=["i-1", "i-3", "new"])
    assert _passing(ServerGroupAntiAffinityFilter(), spec) == ["compute-3"]
    assert _passing(ServerGroupAntiAffinityFilter(), _spec("affinity", ["i-1"])) == \
        sorted(RUNNING)                                   # not its policy: every host


def test_anti_affinity_max_server_per_host():
    spec = _spec("anti-affinity", members=["i-1", "i-3"], rules={"max_server_per_host": 2})
    assert _passing(ServerGroupAntiAffinityFilter(), spec) == sorted(RUNNING)
    spec = _spec("anti-affinity", members=["i-1", "i-2", "i-3"],
                 rules={"max_server_per_host": 2})
    assert _passing(ServerGroupAntiAffinityFilter(), spec) == ["compute-2", "compute-3"]


def test_affinity_passes_only_the_groups_hosts_once_it_has_any():
    assert _passing(ServerGroupAffinityFilter(), _spec("affinity", ["i-3"], ["compute-2"])) \
        == ["compute-2"]
    assert _passing(ServerGroupAffinityFilter(), _spec("affinity", [], [])) == sorted(RUNNING)


def test_same_and_different_host_hints():
    assert _passing(SameHostFilter(), _spec(same_host=["i-3"])) == ["compute-2"]
    assert _passing(DifferentHostFilter(), _spec(different_host=["i-1", "i-3"])) == \
        ["compute-3"]
    assert _passing(DifferentHostFilter(), _spec(different_host="i-2")) == \
        ["compute-2", "compute-3"]
    assert _passing(SameHostFilter(), _spec()) == sorted(RUNNING)


def _ranked(weigher, spec, conf=CONF):
    ranked, report = weights.weigh_hosts([weigher], _hosts(), spec, conf)
    return [h.host for _, h in ranked], report[0]["raw"]


def test_soft_affinity_prefers_the_host_with_most_members():
    spec = _spec("soft-affinity", members=["i-1", "i-2", "i-3"])
    order, raw = _ranked(ServerGroupSoftAffinityWeigher(), spec)
    assert raw == {"compute-1": 2, "compute-2": 1, "compute-3": 0}
    assert order == ["compute-1", "compute-2", "compute-3"]


def test_soft_anti_affinity_prefers_the_host_with_fewest_members():
    spec = _spec("soft-anti-affinity", members=["i-1", "i-2", "i-3"])
    order, raw = _ranked(ServerGroupSoftAntiAffinityWeigher(), spec)
    assert raw == {"compute-1": -2, "compute-2": -1, "compute-3": 0}
    assert order == ["compute-3", "compute-2", "compute-1"]
    order, _ = _ranked(ServerGroupSoftAntiAffinityWeigher(), spec,
                       Config(soft_anti_affinity_weight_multiplier=-1.0))
    assert order == ["compute-1", "compute-2", "compute-3"]


def test_soft_weighers_ignore_other_policies_and_no_group():
    for spec in (_spec(), _spec("anti-affinity", ["i-1"])):
        for weigher in (ServerGroupSoftAffinityWeigher(), ServerGroupSoftAntiAffinityWeigher()):
            assert set(_ranked(weigher, spec)[1].values()) == {0}


def test_every_default_weigher_is_named_and_no_shared_base_is_one():
    names = [type(w).__name__ for w in weights.get_weighers()]
    assert "ServerGroupSoftAffinityWeigher" in names
    assert "ServerGroupSoftAntiAffinityWeigher" in names
    assert not [n for n in names if n.startswith("_")]
