"""Pure nova logic: status from states, microversions, weighing, filters."""
import pytest

import labkit
from labkit.config import Config
from labkit.nova import exception
from labkit.nova.api.openstack import api_version_request as avr
from labkit.nova.api.openstack.common import status_from_state
from labkit.nova.scheduler import filters, weights
from labkit.wsgi.app import HTTPError


@pytest.mark.parametrize("vm,task,status", [
    ("building", "scheduling", "BUILD"), ("active", None, "ACTIVE"),
    ("active", "shelving", "ACTIVE"), ("shelved", "shelving_offloading", "SHELVED"),
    ("shelved_offloaded", "unshelving", "SHELVED_OFFLOADED"), ("error", None, "ERROR"),
    ("stopped", None, "SHUTOFF")])
def test_status_from_state(vm, task, status):
    assert status_from_state(vm, task) == status


def test_microversion_negotiation():
    assert str(avr.negotiate({}, "2.100")) == "2.1"
    env = {"HTTP_OPENSTACK_API_VERSION": "compute 2.79"}
    assert str(avr.negotiate(env, "2.100")) == "2.79"
    assert str(avr.negotiate({"HTTP_X_OPENSTACK_NOVA_API_VERSION": "latest"}, "2.100")) == "2.100"
    with pytest.raises(HTTPError) as out_of_range:
        avr.negotiate({"HTTP_X_OPENSTACK_NOVA_API_VERSION": "2.200"}, "2.100")
    assert out_of_range.value.code == 406
    assert "Minimum is 2.1 and maximum is 2.100" in out_of_range.value.message
    with pytest.raises(HTTPError) as malformed:
        avr.negotiate({"HTTP_X_OPENSTACK_NOVA_API_VERSION": "2.x"}, "2.100")
    assert malformed.value.code == 400


def test_normalize_like_nova():
    assert weights.normalize([1, 3, 5]) == [0.0, 0.5, 1.0]
    assert weights.normalize([4, 4]) == [0.0, 0.0]


class _Host:
    def __init__(self, host, free_ram_mb, vcpus_used=0, io=0):
        self.host, self.free_ram_mb, self.vcpus_used = host, free_ram_mb, vcpus_used
        self.total_usable_vcpus, self.free_disk_mb = 16, 100_000
        self.num_io_ops, self.failed_builds = io, 0


def test_ram_weigher_spreads_and_negative_multiplier_packs():
    hosts = [_Host("a", 1000), _Host("b", 4000)]
    from labkit.nova.scheduler.weights.ram import RAMWeigher
    ranked, _ = weights.weigh_hosts([RAMWeigher()], hosts, None, Config())
    assert [h.host for _, h in ranked] == ["b", "a"]
    ranked, _ = weights.weigh_hosts([RAMWeigher()], hosts, None,
                                    Config(ram_weight_multiplier=-1.0))
    assert [h.host for _, h in ranked] == ["a", "b"]


class OnlyHostB(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        return host_state.host == "b"


def test_filters_are_found_by_name_among_those_available():
    classes = filters.get_filter_classes(["ComputeFilter", "RamFilter"])
    assert [c.__name__ for c in classes] == ["ComputeFilter", "RamFilter"]
    with pytest.raises(ValueError, match="unknown scheduler filter"):
        filters.get_filter_classes(["NoSuchFilter"])
    # a filter of one's own is available only where it is named, by path or class
    with pytest.raises(ValueError, match="OnlyHostB"):
        filters.get_filter_classes(["OnlyHostB"])
    for available in ([filters.ALL_FILTERS, f"{__name__}.OnlyHostB"],
                      [filters.ALL_FILTERS, OnlyHostB]):
        assert filters.get_filter_classes(["ComputeFilter", "OnlyHostB"], available)[1] \
            is OnlyHostB
    assert [h.host for h in OnlyHostB().filter_all([_Host("a", 1), _Host("b", 1)], None)] == ["b"]


def test_all_filters_and_weighers_are_the_package_modules_classes():
    names = {c.__name__ for c in filters.all_filters()}
    assert {"ComputeFilter", "RamFilter", "ImagePropertiesFilter",
            "ServerGroupAffinityFilter", "ServerGroupAntiAffinityFilter"} <= names
    assert "OnlyHostB" not in names and "BaseHostFilter" not in names
    assert all(c.__module__.startswith("labkit.nova.scheduler.filters.")
               for c in filters.all_filters())
    weighers = {c.__name__ for c in weights.all_weighers()}
    assert {"RAMWeigher", "CPUWeigher", "BuildFailureWeigher"} <= weighers
    with pytest.raises(exception.ClassNotFound):
        weights.get_weighers(["labkit.nova.scheduler.weights.NoSuchWeigher"])


def test_a_filter_one_lab_uses_is_unknown_to_the_next():
    with labkit.start(computes=2, exclusive=False, enabled_filters=["OnlyHostB"],
                      available_filters=[filters.ALL_FILTERS, OnlyHostB]) as lab:
        assert [type(f) for f in lab.services["nova-scheduler"].manager.filters] == [OnlyHostB]
    with pytest.raises(ValueError, match="OnlyHostB"):
        labkit.start(computes=1, exclusive=False, enabled_filters=["OnlyHostB"])
