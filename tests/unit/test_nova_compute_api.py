"""labkit/nova/compute/api.py: API's checks and the records it writes before it casts,
called directly on a started lab's nova-api with a request context, as its controllers
call it (no HTTP in front; glance, neutron and the bus behind are the real ones)."""
import pytest

import labkit
from labkit.client import Client
from labkit.context import RequestContext
from labkit.keystonemiddleware.auth_token import v3_to_v2_catalog
from labkit.nova import exception, objects
from labkit.nova.compute import task_states, vm_states


@pytest.fixture(scope="module")
def lab():
    with labkit.start(computes=2, seed=35, exclusive=False) as lab:
        yield lab


def _context(lab, user="demo"):
    """The context NovaKeystoneContext makes from a token of ``user``."""
    client = Client(lab, user)
    body = client.token_body
    roles = [role["name"] for role in body["roles"]]
    ctxt = RequestContext(
        user_id=body["user"]["id"], project_id=body["project"]["id"], roles=roles,
        auth_token=client.token, request_id=lab.ids.request_id(), is_admin="admin" in roles,
        service_catalog=[s for s in v3_to_v2_catalog(body["catalog"])
                         if s.get("type") in ("image", "network", "placement")])
    service = lab.services["nova-api"]
    ctxt.db, ctxt.indirection_api, ctxt.service_node = service.db, None, service.node
    return service.compute_api, ctxt


def _active(lab, name):
    """A new ACTIVE server of demo's, as nova-api reads it, with the API and a context."""
    client = Client(lab)
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    api, ctxt = _context(lab)
    return api, ctxt, api.get(ctxt, server_id)


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid)


def _actions(ctxt, instance):
    """The instance's recorded actions, oldest first."""
    return [a.action for a in reversed(
        objects.InstanceActionList.get_by_instance_uuid(ctxt, instance.uuid))]


@pytest.fixture(scope="module")
def server(lab):
    """One ACTIVE server the refusal tests change only in memory, never saved."""
    return _active(lab, "refused")


def _refusal(error, method, ctxt, instance, *args, state=(), **kwargs):
    """The ``error`` that ``method(ctxt, instance, ...)`` raises while ``instance``
    has the fields of ``state`` in memory (put back afterwards, never saved)."""
    state = dict(state)
    saved = {name: getattr(instance, name) for name in state}
    for name, value in state.items():
        setattr(instance, name, value)
    try:
        with pytest.raises(error) as err:
            method(ctxt, instance, *args, **kwargs)
    finally:
        for name, value in saved.items():
            setattr(instance, name, value)
    return err.value


@pytest.mark.parametrize("method, attr, state", [
    ("pause", "vm_state", vm_states.STOPPED), ("shelve", "task_state", task_states.REBOOTING)])
def test_a_method_refuses_a_state_it_does_not_allow_and_saves_nothing(server, method, attr,
                                                                       state):
    api, ctxt, instance = server
    err = _refusal(exception.InstanceInvalidState, getattr(api, method), ctxt, instance,
                   state={attr: state})
    assert err.format_message() == (
        f"Instance {instance.uuid} in {attr} {state}. Cannot {method} while the instance "
        "is in this state.")
    assert err.code == 409
    assert _stored(ctxt, instance).task_state is None
    assert _actions(ctxt, instance) == ["create"]


def test_a_soft_reboot_wants_no_task_a_hard_one_only_a_rebootable_task(server):
    """SOFT: vm_state ACTIVE and no task; HARD also from STOPPED, over ALLOW_REBOOT's tasks."""
    api, ctxt, instance = server
    refusals = [_refusal(exception.InstanceInvalidState, api.reboot, ctxt, instance,
                         reboot_type, state={"vm_state": vm_state, "task_state": task_state})
                for vm_state, task_state, reboot_type in (
                    (vm_states.ACTIVE, task_states.REBOOTING, "SOFT"),
                    (vm_states.STOPPED, None, "SOFT"),
                    (vm_states.STOPPED, task_states.DELETING, "HARD"))]
    assert [(e.kwargs["attr"], e.kwargs["state"], e.kwargs["method"]) for e in refusals] == [
        ("task_state", "rebooting", "_soft_reboot"), ("vm_state", "stopped", "_soft_reboot"),
        ("task_state", "deleting", "_hard_reboot")]


def test_a_locked_server_is_refused_to_its_owner_but_not_to_an_admin(lab, server):
    api, ctxt, instance = server
    _, admin = _context(lab, "admin")
    locked_paused = {"locked": True, "vm_state": vm_states.PAUSED}
    owner = _refusal(exception.InstanceIsLocked, api.suspend, ctxt, instance,
                     state=locked_paused)
    assert owner.format_message() == f"Instance {instance.uuid} is locked"
    # the admin passes the lock and is stopped by the next check, the vm state
    by_admin = _refusal(exception.InstanceInvalidState, api.suspend, admin, instance,
                        state=locked_paused)
    assert type(by_admin) is exception.InstanceInvalidState
    assert by_admin.kwargs["attr"] == "vm_state"


def test_a_server_with_no_host_is_not_ready_to_start(server):
    api, ctxt, instance = server
    err = _refusal(exception.InstanceNotReady, api.start, ctxt, instance,
                   state={"host": None})
    assert err.format_message() == f"Instance {instance.uuid} is not ready"


def test_the_image_must_be_active_and_fit_the_flavor(server):
    api, ctxt, instance = server
    flavor = {"memory_mb": 512, "root_gb": 1}
    with pytest.raises(exception.ImageNotActive) as queued:
        api._checks_for_create_and_rebuild(ctxt, {"id": "img-1", "status": "queued"},
                                           flavor, {})
    assert queued.value.format_message() == "Image img-1 is not active."
    with pytest.raises(exception.FlavorMemoryTooSmall) as memory:
        api._checks_for_create_and_rebuild(
            ctxt, {"id": "img-1", "status": "active", "min_ram": 513}, flavor, {})
    assert memory.value.format_message() == "Flavor's memory is too small for requested image."
    with pytest.raises(exception.FlavorDiskTooSmall) as disk:
        api._checks_for_create_and_rebuild(
            ctxt, {"id": "img-1", "status": "active", "min_disk": 2}, flavor, {})
    assert disk.value.format_message() == "Flavor's disk is too small for requested image."
    # root_gb 0 is "do not check the size", as in nova (a legacy of libvirt's)
    assert api._checks_for_create_and_rebuild(
        ctxt, {"id": "img-1", "status": "active", "min_ram": 512, "min_disk": 20},
        dict(flavor, root_gb=0), {}) is None


def test_metadata_past_its_quota_is_refused_with_the_limit(lab, server):
    api, ctxt, instance = server
    limit = lab.conf.quota_metadata_items
    image = {"id": "img-1", "status": "active"}
    flavor = {"memory_mb": 512, "root_gb": 1}
    api._checks_for_create_and_rebuild(ctxt, image, flavor,
                                       {f"k{i}": "v" for i in range(limit)})
    with pytest.raises(exception.MetadataLimitExceeded) as err:
        api._checks_for_create_and_rebuild(ctxt, image, flavor,
                                           {f"k{i}": "v" for i in range(limit + 1)})
    assert err.value.format_message() == f"Maximum number of metadata items exceeds {limit}"


def test_a_resize_to_its_flavor_or_a_migration_to_its_host_is_refused_unrecorded(server):
    api, ctxt, instance = server
    with pytest.raises(exception.CannotResizeToSameFlavor) as err:
        api.resize(ctxt, instance, flavor_id=instance.flavor["flavorid"])
    assert err.value.format_message() == "When resizing, instances must change flavor!"
    with pytest.raises(exception.CannotMigrateToSameHost) as same_host:
        api.resize(ctxt, instance, host_name=instance.host)
    assert same_host.value.format_message() == \
        "Cannot migrate to the host where the server exists."
    assert _stored(ctxt, instance).task_state is None
    assert _actions(ctxt, instance) == ["create"]


def test_evacuating_from_a_host_that_is_up_is_refused(server):
    api, ctxt, instance = server
    _, admin = _context(api.lab, "admin")
    with pytest.raises(exception.ComputeServiceInUse) as err:
        api.evacuate(admin, instance, None, on_shared_storage=False)
    assert err.value.format_message() == f"Compute service of {instance.host} is still in use."
    assert _stored(ctxt, instance).task_state is None
    assert objects.MigrationList.get_by_filters(admin, {"instance_uuid": instance.uuid}) == []


def test_unshelving_into_a_zone_needs_an_offloaded_server(server):
    api, ctxt, instance = server
    err = _refusal(exception.Conflict, api.unshelve, ctxt, instance, new_az="nova",
                   state={"vm_state": vm_states.SHELVED})
    assert err.format_message() == (
        f'Specifying an availability zone or a host when unshelving server "{instance.uuid}" '
        'with status "shelved" is not supported. The server status must be '
        'SHELVED_OFFLOADED.')


def test_the_legacy_zone_host_node_form_is_parsed(server):
    api, ctxt, _ = server
    assert api.parse_availability_zone(ctxt, "nova:compute-1") == ("nova", "compute-1", None)
    assert api.parse_availability_zone(ctxt, "nova::node-1") == ("nova", None, "node-1")
    assert api.parse_availability_zone(ctxt, ":compute-2:n") == (None, "compute-2", "n")
    with pytest.raises(exception.InvalidInput):
        api.parse_availability_zone(ctxt, "a:b:c:d")


def test_pause_saves_its_task_and_action_then_casts_to_the_host(lab):
    api, ctxt, instance = _active(lab, "paused")
    api.pause(ctxt, instance)
    events = lab.trace.events(request_id=ctxt.request_id)
    cast = next(e for e in events if e["kind"] == "cast")
    assert (cast["name"], cast["dst"]) == ("pause_instance", f"nova-compute@{instance.host}")
    writes = [e for e in events if e["kind"] == "db" and e["seq"] < cast["seq"]]
    assert [e["name"] for e in writes][-2:] == ["instance_update_and_get_original", "action_start"]
    lab.wait_idle()
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.PAUSED, None)
    assert _actions(ctxt, instance) == ["create", "pause"]


@pytest.mark.parametrize("flavor_id, flavorid, action", [
    ("84", "84", "resize"), (None, "42", "migrate")])
def test_a_move_excludes_the_source_host_and_records_resize_prep(lab, flavor_id, flavorid,
                                                                 action):
    """A resize, or a cold migration (no flavor) whose host lacks the trait
    COMPUTE_SAME_HOST_COLD_MIGRATE: the source host is in ``ignore_hosts``."""
    api, ctxt, instance = _active(lab, action)
    _, admin = _context(lab, "admin")
    source = instance.host
    api.resize(admin, instance, flavor_id=flavor_id)
    cast = lab.trace.events(request_id=admin.request_id, kind="cast")[0]
    assert (cast["name"], cast["dst"]) == ("migrate_server", "nova-conductor")
    args = cast["payload"]
    assert args["scheduler_hint"] == {"filter_properties": {"ignore_hosts": [source]}}
    spec = args["request_spec"]["nova_object.data"]
    assert (spec["ignore_hosts"], spec["requested_destination"]) == ([source], None)
    assert args["instance"]["nova_object.data"]["task_state"] == task_states.RESIZE_PREP
    assert args["flavor"]["flavorid"] == flavorid
    lab.wait_idle()
    stored = _stored(ctxt, instance)
    assert stored.vm_state == vm_states.RESIZED and stored.host != source
    assert stored.flavor["flavorid"] == flavorid
    assert _actions(ctxt, instance) == ["create", action]


def test_evacuate_writes_the_accepted_evacuation_migration(lab):
    api, ctxt, instance = _active(lab, "evacuated")
    _, admin = _context(lab, "admin")
    source = instance.host
    target = next(h for h in lab.hosts if h != source)
    host_api = lab.services["nova-api"].host_api
    host_api.service_update_by_host_and_binary(admin, source, "nova-compute",
                                               {"forced_down": True})
    try:
        api.evacuate(admin, instance, target, on_shared_storage=False, force=True)
        assert instance.task_state == task_states.REBUILDING
        lab.wait_idle()
    finally:
        host_api.service_update_by_host_and_binary(admin, source, "nova-compute",
                                                   {"forced_down": False})
    [migration] = objects.MigrationList.get_by_filters(admin, {"instance_uuid": instance.uuid})
    assert (migration.migration_type, migration.source_compute, migration.dest_compute,
            migration.instance_uuid) == ("evacuation", source, target, instance.uuid)
    stored = _stored(admin, instance)
    assert (stored.host, stored.vm_state, stored.task_state) == \
        (target, vm_states.ACTIVE, None)
    assert _actions(admin, instance) == ["create", "evacuate"]


def test_a_live_migration_forced_to_its_own_host_is_refused_and_undone(lab):
    api, ctxt, instance = _active(lab, "stays")
    _, admin = _context(lab, "admin")
    with pytest.raises(exception.UnableToMigrateToSelf) as err:
        api.live_migrate(admin, instance, block_migration=False, disk_over_commit=False,
                         host_name=instance.host, force=True, async_=False)
    assert err.value.format_message() == (
        f"Unable to migrate instance ({instance.uuid}) to current host ({instance.host}).")
    lab.wait_idle()
    stored = _stored(admin, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ACTIVE, None)
    assert _actions(admin, instance) == ["create", "live-migration"]
