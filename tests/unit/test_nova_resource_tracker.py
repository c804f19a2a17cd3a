"""labkit/nova/compute/resource_tracker.py: the compute node record, placement inventory,
failed-build counts and the instance claim, on a started lab's nova-compute."""
import types

import pytest

import labkit
from labkit.client import Client


@pytest.fixture(scope="module")
def lab():
    with labkit.start(computes=2, seed=32, exclusive=False) as lab:
        yield lab


def _compute(lab, host="compute-1"):
    service = lab.compute(host)
    return service.manager.rt, service.admin_context()


def test_the_node_is_a_placement_provider_with_the_hypervisor_inventory(lab):
    rt, _ = _compute(lab)
    hv = lab.data["hosts"]["hypervisor"]
    admin = Client(lab, "admin")
    url = f"{lab.url('placement')}/resource_providers/{rt.compute_node['uuid']}/inventories"
    inventories = admin.get(url).json()["inventories"]
    assert inventories["VCPU"]["total"] == hv["vcpus"]
    assert inventories["VCPU"]["allocation_ratio"] == hv["cpu_allocation_ratio"]
    assert inventories["MEMORY_MB"]["reserved"] == hv["reserved_host_memory_mb"]
    assert inventories["DISK_GB"]["total"] == hv["local_gb"]


def test_failed_builds_count_up_and_a_good_build_clears_them(lab):
    rt, ctxt = _compute(lab, "compute-2")
    rt.build_failed(ctxt)
    rt.build_failed(ctxt)
    assert rt.compute_node["stats"]["failed_builds"] == 2
    rt.build_succeeded(ctxt)
    assert rt.compute_node["stats"]["failed_builds"] == 0


def test_a_claim_sets_the_host_and_a_failure_inside_takes_it_back(lab):
    rt, ctxt = _compute(lab)
    saved = []
    instance = types.SimpleNamespace(host=None, node=None, launched_on=None,
                                     save=lambda: saved.append(instance.host))
    with rt.instance_claim(ctxt, instance, "compute-1"):
        assert (instance.host, instance.node, instance.launched_on) == ("compute-1",) * 3
    assert saved == ["compute-1"]
    with pytest.raises(RuntimeError):
        with rt.instance_claim(ctxt, instance, "compute-1"):
            raise RuntimeError("spawn failed")
    assert instance.host is None and instance.node is None
