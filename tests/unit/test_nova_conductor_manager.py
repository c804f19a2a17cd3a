"""labkit/nova/conductor/manager.py: ConductorManager.object_action and the
ComputeTaskManager's reschedule, called directly in a started lab."""
import pytest

import labkit
from labkit.nova import objects
from labkit.nova.compute import vm_states
from labkit.client import Client


@pytest.fixture(scope="module")
def lab():
    with labkit.start(computes=2, seed=33, exclusive=False) as lab:
        yield lab


def _active(lab, name):
    client = Client(lab)
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


def test_object_action_returns_only_the_fields_the_method_changed(lab):
    service = lab.services["nova-conductor"]
    ctxt = service.admin_context()
    instance = objects.Instance.get_by_uuid(ctxt, _active(lab, "proxy"))
    instance.display_description = "changed by the proxy"
    before = instance.updated_at
    updates, result = service.manager.object_action(ctxt, instance, "save", (), {})
    # the caller already holds its own change; save() itself changed only updated_at,
    # and that is all that travels back to nova-compute
    assert result is None and list(updates) == ["updated_at"] and updates["updated_at"] != before
    stored = objects.Instance.get_by_uuid(ctxt, instance.uuid)
    assert stored.display_description == "changed by the proxy"


def test_a_reschedule_with_no_alternate_left_is_error_with_nova_fault(lab):
    service = lab.services["nova-conductor"]
    ctxt = service.admin_context()
    instance = objects.Instance.get_by_uuid(ctxt, _active(lab, "no-alternates"))
    filter_properties = {"retry": {"num_attempts": 1, "hosts": []}}
    service.manager.compute_task_mgr.build_instances(
        ctxt, [instance], None, filter_properties, None, None, None, None, host_lists=[[]])
    server = Client(lab, "admin").show(instance.uuid)
    assert server["OS-EXT-STS:vm_state"] == vm_states.ERROR
    assert server["fault"]["message"].startswith(
        "Exceeded maximum number of retries. Exhausted all hosts available for retrying "
        "build failures for instance")


def test_a_reschedule_past_max_attempts_names_the_last_failure(lab):
    # nova/scheduler/utils.py:populate_retry counts the attempt before any alternate is
    # looked at: a fourth attempt (max_attempts 3) ends the build, alternates or not
    service = lab.services["nova-conductor"]
    ctxt = service.admin_context()
    instance = objects.Instance.get_by_uuid(ctxt, _active(lab, "out-of-attempts"))
    filter_properties = {"retry": {"num_attempts": 3, "hosts": [], "exc_reason": "disk on fire"}}
    service.manager.compute_task_mgr.build_instances(
        ctxt, [instance], None, filter_properties, None, None, None, None, host_lists=[[]])
    server = Client(lab, "admin").show(instance.uuid)
    assert server["OS-EXT-STS:vm_state"] == vm_states.ERROR
    assert server["fault"]["message"] == (
        "Exceeded maximum number of retries. Exceeded max scheduling attempts 3 for instance "
        f"{instance.uuid}. Last exception: disk on fire")
    assert filter_properties["retry"]["num_attempts"] == 4
    assert "exc_reason" not in filter_properties["retry"]
