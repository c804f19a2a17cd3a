"""Nova's database API and objects, on an in-memory database (no lab, no HTTP)."""
import types

import pytest

from labkit.db import Database
from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.db import models
from labkit.nova.objects import Instance


def _context():
    handle = db.DbHandle(Database(models.metadata, "nova"), None, "nova-api")
    return types.SimpleNamespace(db=handle, trace_id=None, request_id="req-1",
                                 global_request_id=None)


def _instance(context, uuid, **values):
    return db.instance_create(context, {
        "uuid": uuid, "display_name": uuid[:4], "project_id": "p", "user_id": "u",
        "vm_state": "building", "task_state": "scheduling",
        "flavor": {"name": "m1.nano", "vcpus": 1}, "metadata": {"k": "v"},
        "info_cache": {"network_info": []}, "deleted": 0, **values})


def test_a_short_list_loads_no_extras_and_detail_loads_them_all():
    context = _context()
    _instance(context, "aaaa-1")
    short = db.instance_get_all_by_filters(context, {"project_id": "p"}, expected_attrs=[])
    assert short[0]["uuid"] == "aaaa-1" and short[0]["vm_state"] == "building"
    assert not set(db.INSTANCE_EXTRAS) & set(short[0])
    flavor_only = db.instance_get_all_by_filters(context, {}, expected_attrs=["flavor"])
    assert flavor_only[0]["flavor"] == {"name": "m1.nano", "vcpus": 1}
    assert "metadata" not in flavor_only[0]
    full = db.instance_get_all_by_filters(context, {})
    assert full[0]["metadata"] == {"k": "v"} and full[0]["info_cache"] == {"network_info": []}


def test_update_checks_the_expected_state_and_reports_the_state_columns():
    context = _context()
    _instance(context, "bbbb-1")
    old, new = db.instance_update_and_get_original(
        context, "bbbb-1", {"task_state": None, "host": "compute-1"},
        expected={"task_state": ["scheduling"]})
    assert (old["task_state"], new["task_state"], new["host"]) == ("scheduling", None, "compute-1")
    with pytest.raises(exception.UnexpectedTaskStateError):   # another request got there first
        db.instance_update_and_get_original(context, "bbbb-1", {"task_state": "spawning"},
                                            expected={"task_state": ["scheduling"]})
    assert db.instance_get_by_uuid(context, "bbbb-1")["task_state"] is None


def test_a_clone_is_independent_of_its_original():
    original = Instance(None, uuid="cccc-1", vm_state="active", metadata={"k": "v"})
    original.obj_reset_changes()
    original.task_state = "shelving"
    clone = original.obj_clone()
    assert clone.obj_what_changed() == {"task_state"} and clone.metadata == {"k": "v"}
    clone.vm_state = "shelved"
    clone.obj_reset_changes()
    assert original.vm_state == "active" and original.obj_what_changed() == {"task_state"}


def test_a_server_still_being_scheduled_is_filtered_like_the_database_rows():
    from labkit.nova.objects.build_request import _build_matches
    building = Instance(None, uuid="dddd-1", display_name="web-1", vm_state="building",
                        host=None, user_id="u")
    assert _build_matches(building, {"project_id": "p", "display_name": "^web-"})
    assert not _build_matches(building, {"display_name": "^db-"})
    assert not _build_matches(building, {"vm_state": "active"})     # ?status=ACTIVE
    assert not _build_matches(building, {"host": "compute-1"})      # no host yet


def test_quota_usage_counts_instances_and_the_builds_still_waiting_for_a_host():
    from labkit.nova.db import api_services
    context = _context()
    small = {"name": "m1.small", "vcpus": 2, "memory_mb": 2048}
    _instance(context, "eeee-1", flavor=small)
    _instance(context, "eeee-2", flavor=small)
    db.instance_destroy(context, "eeee-2")                       # deleted: no longer counted
    waiting = Instance(None, uuid="eeee-3", project_id="p",
                       flavor={"name": "m1.nano", "vcpus": 1, "memory_mb": 128})
    db.build_request_create(context, "eeee-3", "p", waiting.obj_to_primitive(), [], [])
    elsewhere = Instance(None, uuid="ffff-1", project_id="other",
                         flavor={"name": "m1.large", "vcpus": 8, "memory_mb": 8192})
    db.build_request_create(context, "ffff-1", "other", elsewhere.obj_to_primitive(), [], [])
    assert api_services.instances_count_for_project(context, "p") == (2, 3, 2176)
    # the conductor has created the instance and not yet destroyed its build request
    _instance(context, "eeee-3", flavor={"name": "m1.nano", "vcpus": 1, "memory_mb": 128})
    assert api_services.instances_count_for_project(context, "p") == (2, 3, 2176)


def test_a_page_runs_from_the_builds_still_waiting_into_the_instances():
    """compute.API.get_all pages as nova's: build requests (newest first) fill the page
    first, the instances what is left; a marker pages on from either."""
    from labkit.nova.compute.api import API
    context = _context()
    context.project_id, context.is_admin = "p", False
    for n in range(3):                                   # built: b-0 oldest ... b-2 newest
        _instance(context, f"b-{n}", created_at=f"2026-01-01T00:00:0{n}Z")
    for n in range(2):                                   # still waiting: w-1 newest
        waiting = Instance(None, uuid=f"w-{n}", project_id="p", vm_state="building",
                           display_name=f"w-{n}")
        db.build_request_create(context, f"w-{n}", "p", waiting.obj_to_primitive(), [], [])
    get_all = API.__new__(API).get_all

    def page(**kw):
        return [i.uuid for i in get_all(context, {}, expected_attrs=[], **kw)]
    assert page() == ["w-1", "w-0", "b-2", "b-1", "b-0"]
    assert page(limit=1) == ["w-1"]
    assert page(limit=3) == ["w-1", "w-0", "b-2"]
    assert page(limit=2, marker="w-0") == ["b-2", "b-1"]
    assert page(limit=2, marker="b-1") == ["b-0"]
    with pytest.raises(exception.MarkerNotFound):
        page(marker="nope")
