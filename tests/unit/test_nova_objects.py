"""The objects nova-api, the conductor and the scheduler reach the database through,
on an in-memory database (no lab, no HTTP)."""
import types

import pytest

from labkit.db import Database
from labkit.nova import exception, objects
from labkit.nova.db import api as db
from labkit.nova.db import models


def _context():
    handle = db.DbHandle(Database(models.metadata, "nova"), None, "nova-api")
    return types.SimpleNamespace(db=handle, trace_id=None, request_id="req-1",
                                 global_request_id=None, project_id="p", user_id="u")


def test_a_flavor_reads_like_a_dict_and_sends_only_its_fields():
    context = _context()
    objects.Flavor(context, flavorid="42", name="m1.tiny", memory_mb=512, vcpus=1, root_gb=1,
                   ephemeral_gb=0, swap=0, is_public=True, rxtx_factor=1.0,
                   extra_specs={}).create()
    flavor = objects.Flavor.get_by_flavor_id(context, "42")
    assert (flavor["name"], flavor.get("disabled"), flavor.obj_what_changed()) == \
        ("m1.tiny", False, set())
    assert [f.flavorid for f in objects.FlavorList.get_all(context)] == ["42"]
    assert set(flavor.obj_to_primitive()["nova_object.data"]) == set(objects.Flavor.fields)
    with pytest.raises(exception.FlavorNotFound):
        objects.Flavor.get_by_flavor_id(context, "nope")


def test_a_build_request_is_read_once_and_destroyed_once():
    context = _context()
    instance = objects.Instance(context, uuid="aaaa-1", project_id="p", vm_state="building")
    objects.BuildRequest(context, instance_uuid="aaaa-1", project_id="p", instance=instance,
                         block_device_mappings=[], tags=[]).create()
    found = objects.BuildRequest.get_by_instance_uuid(context, "aaaa-1")
    assert (found.instance.uuid, found.instance.vm_state) == ("aaaa-1", "building")
    assert [b.instance_uuid for b in objects.BuildRequestList.get_by_filters(context, {})] == \
        ["aaaa-1"]
    found.destroy()
    with pytest.raises(exception.BuildRequestNotFound):     # a delete got there first
        found.destroy()
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(context, "aaaa-1")


def test_compute_nodes_and_services_by_host_and_binary():
    context = _context()
    objects.ComputeNode.create_or_update(context, {
        "uuid": "cn-1", "host": "compute-1", "hypervisor_hostname": "compute-1.lab",
        "vcpus": 4, "memory_mb": 4096, "local_gb": 40})
    node = objects.ComputeNode.get_first_node_by_host_for_old_compat(context, "compute-1")
    assert (node["uuid"], node.get("hypervisor_hostname")) == ("cn-1", "compute-1.lab")
    assert node.updated_at and "updated_at" not in node.obj_to_primitive()["nova_object.data"]
    assert [n.uuid for n in objects.ComputeNodeList.get_all_by_uuids(context, ["cn-1"])] == \
        ["cn-1"]
    with pytest.raises(exception.ComputeHostNotFound):
        objects.ComputeNodeList.get_all_by_host(context, "compute-9")
    for host in ("compute-1", "compute-2"):
        objects.Service.create_or_get(context, host, "nova-compute", "compute")
    service = objects.Service.get_by_compute_host(context, "compute-2")
    service.disabled = True
    service.save()
    assert [s.host for s in objects.ServiceList.get_by_binary(context, "nova-compute")] == \
        ["compute-1"]
    assert [s["host"] for s in objects.ServiceList.get_by_binary(
        context, "nova-compute", include_disabled=True)] == ["compute-1", "compute-2"]


def test_an_instance_s_actions_events_faults_and_mapping():
    context = _context()
    objects.InstanceMapping(context, instance_uuid="bbbb-1", project_id="p",
                            user_id="u").create()
    mapping = objects.InstanceMapping(context, instance_uuid="bbbb-1")
    mapping.obj_reset_changes()
    mapping.cell_id = 1
    mapping.save()
    assert db.instance_mapping_get(context, "bbbb-1")["cell_id"] == 1
    objects.InstanceAction.action_start(context, "bbbb-1", "create")
    objects.InstanceActionEvent.event_start(context, "bbbb-1", "compute_build_and_run_instance")
    action = objects.InstanceAction.get_by_request_id(context, "bbbb-1", "req-1")
    assert (action["action"], action.get("request_id")) == ("create", "req-1")
    assert objects.InstanceAction.get_by_request_id(context, "bbbb-1", "req-2") is None
    assert [a.action for a in objects.InstanceActionList.get_by_instance_uuid(
        context, "bbbb-1")] == ["create"]
    assert [e["event"] for e in objects.InstanceActionEventList.get_by_action(
        context, action.id)] == ["compute_build_and_run_instance"]
    assert objects.InstanceFault.get_latest_for_instance(context, "bbbb-1") is None
    for message in ("first", "latest"):
        objects.InstanceFault(context, instance_uuid="bbbb-1", code=500, message=message,
                              details="", host="compute-1").create()
    assert objects.InstanceFault.get_latest_for_instance(context, "bbbb-1")["message"] == \
        "latest"
