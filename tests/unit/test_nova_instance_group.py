"""InstanceGroup's reads on an in-memory API database (no lab, no HTTP)."""
import types

import pytest

from labkit.db import Database
from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.db import models
from labkit.nova.objects import InstanceGroup


def _context():
    handle = db.DbHandle(Database(models.metadata, "nova"), None, "nova-api")
    return types.SimpleNamespace(db=handle, trace_id=None, request_id="req-1",
                                 global_request_id=None)


def _group(context, uuid, policy, rules=None, members=()):
    group = InstanceGroup(context, uuid=uuid, name=uuid[:4], user_id="u", project_id="p",
                          policy=policy, rules=rules, members=list(members))
    group.create()
    return group


def _fields(group):
    return {f: getattr(group, f) for f in ("id", "uuid", "name", "user_id", "project_id",
                                           "policy", "rules", "members", "created_at")}


def test_an_instances_group_is_the_one_it_is_a_member_of_with_every_member():
    context = _context()
    _group(context, "g-first", "affinity", members=["i-1"])
    _group(context, "g-second", "anti-affinity", {"max_server_per_host": 2}, ["i-2", "i-3"])
    InstanceGroup.add_members(context, "g-second", ["i-4"])
    found = InstanceGroup.get_by_instance_uuid(context, "i-3")
    assert _fields(found) == _fields(InstanceGroup.get_by_uuid(context, "g-second"))
    assert (found.policy, found.rules, found.members) == (
        "anti-affinity", {"max_server_per_host": 2}, ["i-2", "i-3", "i-4"])
    assert not found.obj_what_changed()
    assert InstanceGroup.get_by_instance_uuid(context, "i-1").uuid == "g-first"


def test_an_instance_in_no_group_is_instance_group_not_found():
    context = _context()
    _group(context, "g-first", "affinity", members=["i-1"])
    with pytest.raises(exception.InstanceGroupNotFound):
        InstanceGroup.get_by_instance_uuid(context, "i-9")
    # the statement is prepared once and runs against each lab's own database
    other = _context()
    _group(other, "g-other", "soft-affinity", members=["i-9"])
    assert InstanceGroup.get_by_instance_uuid(other, "i-9").policy == "soft-affinity"
