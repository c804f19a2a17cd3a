"""labkit/nova/compute/manager.py: ComputeManager methods called directly on a started
lab's nova-compute (its saves still go to the conductor over the bus)."""
import pytest

import labkit
from labkit.nova import objects
from labkit.nova.compute import task_states, vm_states
from labkit.client import Client


@pytest.fixture(scope="module")
def lab():
    with labkit.start(computes=1, seed=34, exclusive=False) as lab:
        yield lab


def _active(lab, name):
    client = Client(lab)
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    # read it where the database is (the conductor), then hand it to nova-compute, whose
    # saves go back through the conductor as every compute save does
    instance = objects.Instance.get_by_uuid(lab.services["nova-conductor"].admin_context(),
                                            server_id)
    service = lab.compute("compute-1")
    ctxt = service.admin_context()
    instance._context = ctxt
    return service.manager, ctxt, instance


def test_init_instance_puts_a_build_a_restart_interrupted_in_error(lab):
    manager, ctxt, instance = _active(lab, "interrupted")
    instance.vm_state, instance.task_state = vm_states.BUILDING, task_states.SPAWNING
    instance.save()
    manager._init_instance(ctxt, instance)
    stored = objects.Instance.get_by_uuid(lab.services["nova-conductor"].admin_context(),
                                          instance.uuid)
    assert (stored.vm_state, stored.task_state) == (vm_states.ERROR, None)


def test_terminate_frees_everything_and_tells_the_schedulers(lab):
    manager, ctxt, instance = _active(lab, "gone")
    since = lab.trace.last_seq()
    manager.terminate_instance(ctxt, instance)
    assert Client(lab).get(f"/servers/{instance.uuid}").status_code == 404
    admin = Client(lab, "admin")
    assert admin.get(f"{lab.url('placement')}/allocations/{instance.uuid}").json() == \
        {"allocations": {}}
    casts = [e for e in lab.trace.events(since=since, kind="cast")]
    assert [(e["name"], e["dst"], e.get("fanout")) for e in casts] == [
        ("delete_instance_info", "nova-scheduler", True)]
    assert instance.uuid not in manager.driver.instances


def test_the_shelved_poll_is_a_periodic_task_at_its_option(lab):
    manager = lab.compute("compute-1").manager
    tasks = dict((method.__name__, spacing) for spacing, method in manager.periodic_tasks())
    assert tasks == {"_poll_shelved_instances": lab.conf.shelved_poll_interval}
