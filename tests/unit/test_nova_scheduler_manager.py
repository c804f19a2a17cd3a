"""labkit/nova/scheduler/manager.py: SchedulerManager.select_destinations, called directly.

The manager runs in a started lab (in-memory bus, SQLite, placement over HTTP) but is
called as a function here, the way nova's unit tests call a manager: what it returns,
what it leaves claimed in placement, and what it records.
"""
import uuid

import pytest

import labkit
from labkit.nova import exception, objects
from labkit.nova.db import api as db


@pytest.fixture(scope="module")
def lab():
    with labkit.start(computes=3, seed=31, exclusive=False) as lab:
        yield lab


@pytest.fixture()
def scheduler(lab):
    service = lab.services["nova-scheduler"]
    return service.manager, service.admin_context()


def _spec(ctxt, lab, flavorid="42", count=1):
    flavor = dict(db.flavor_get_by_flavor_id(ctxt, flavorid))
    return objects.RequestSpec(ctxt, instance_uuid=str(uuid.uuid4()), project_id="p",
                               user_id="u", flavor=flavor, image={"properties": {}},
                               num_instances=count)


def _allocations(lab, consumer):
    from labkit.client import Client
    admin = Client(lab, "admin")
    return admin.get(f"{lab.url('placement')}/allocations/{consumer}").json()[
        "allocations"]


def test_each_instance_gets_a_claimed_host_and_its_alternates(lab, scheduler):
    manager, ctxt = scheduler
    uuids = [str(uuid.uuid4()) for _ in range(2)]
    result = manager.select_destinations(ctxt, _spec(ctxt, lab, count=2), uuids)
    assert len(result) == 2
    for consumer, selections in zip(uuids, result):
        chosen, alternates = selections[0], selections[1:]
        assert chosen.service_host in lab.hosts
        assert len(alternates) == lab.conf.max_attempts - 1
        assert chosen.service_host not in [a.service_host for a in alternates]
        claimed = _allocations(lab, consumer)
        assert list(claimed) == [chosen.compute_node_uuid]
        assert claimed[chosen.compute_node_uuid]["resources"]["MEMORY_MB"] == \
            _spec(ctxt, lab).flavor["memory_mb"]
        manager.placement_client.delete_allocation_for_instance(ctxt, consumer)


def test_the_decision_is_recorded_before_the_claim(lab, scheduler):
    manager, ctxt = scheduler
    consumer = str(uuid.uuid4())
    since = lab.trace.last_seq()
    manager.select_destinations(ctxt, _spec(ctxt, lab), [consumer])
    events = lab.trace.events(since=since)
    decision = next(e for e in events if e["kind"] == "schedule")
    claim = next(e for e in events if e["kind"] == "http" and e.get("method") == "PUT"
                 and consumer in (e.get("path") or ""))
    assert decision["seq"] < claim["seq"]
    assert [f["filter"] for f in decision["payload"]["filters"]] == \
        list(lab.conf.enabled_filters)
    manager.placement_client.delete_allocation_for_instance(ctxt, consumer)


def test_no_room_is_no_valid_host_and_leaves_no_claim(lab, scheduler):
    manager, ctxt = scheduler
    spec = _spec(ctxt, lab)
    spec.flavor = dict(spec.flavor, memory_mb=10 ** 7)
    consumer = str(uuid.uuid4())
    with pytest.raises(exception.NoValidHost):
        manager.select_destinations(ctxt, spec, [consumer])
    assert _allocations(lab, consumer) == {}


def test_a_multi_create_that_does_not_fit_gives_back_what_it_claimed(lab, scheduler):
    """nova's _ensure_sufficient_hosts: all or nothing for one request's instances."""
    manager, ctxt = scheduler
    vcpus = lab.data["hosts"]["hypervisor"]["vcpus"] * lab.data["hosts"]["hypervisor"][
        "cpu_allocation_ratio"]
    spec = _spec(ctxt, lab, count=4)
    spec.flavor = dict(spec.flavor, vcpus=int(vcpus))          # one whole host each
    uuids = [str(uuid.uuid4()) for _ in range(4)]
    with pytest.raises(exception.NoValidHost):
        manager.select_destinations(ctxt, spec, uuids)
    assert all(_allocations(lab, u) == {} for u in uuids)
