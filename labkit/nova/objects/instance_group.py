"""Server groups (instance groups): a policy and the servers that follow it.

Real nova: nova/objects/instance_group.py — InstanceGroup (create,
get_by_uuid, get_by_instance_uuid, add_members, get_hosts,
count_members_by_user, destroy) and InstanceGroupList (get_all,
get_by_project_id, get_counts).  The API calls them server groups; the
tables (instance_groups, instance_group_policy, instance_group_member) are
in the API database.  ``hosts`` is never stored: the conductor fills it in
(scheduler/utils.py:setup_instance_group) from where the members run.
"""
import json

import sqlalchemy as sa

from labkit.db import Prepared
from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.db import models as m
from labkit.nova.db.api import _db
from labkit.nova.objects.base import NovaObject
from labkit.nova.utils import utcnow_str

_grp, _pol, _mem = m.instance_groups, m.instance_group_policy, m.instance_group_member
_GROUPS = sa.select(_grp, _pol.c.policy, _pol.c.rules).join(
    _pol, _pol.c.group_id == _grp.c.id, isouter=True).order_by(_grp.c.id)
# the API's view of a server at 2.71 asks for its group on every GET
_GROUPS_OF_INSTANCE = Prepared(_GROUPS.where(_grp.c.id.in_(sa.select(_mem.c.group_id).where(
    _mem.c.instance_uuid == sa.bindparam("instance_uuid")))))
_MEMBERS_OF_GROUP = Prepared(sa.select(_mem.c.group_id, _mem.c.instance_uuid).where(
    _mem.c.group_id == sa.bindparam("group_id")).order_by(_mem.c.id))


class InstanceGroup(NovaObject):
    VERSION = "1.11"
    fields = ("id", "uuid", "name", "user_id", "project_id", "policy", "rules", "members",
              "hosts", "created_at")
    defaults = {"members": list, "rules": dict}

    @property
    def policies(self):
        """The pre-2.64 view of the one policy (nova keeps ``policies`` read-only)."""
        return [self.policy] if self.policy else []

    @classmethod
    def get_by_uuid(cls, context, uuid):
        found = _load(context, _grp.c.uuid == uuid)
        if not found:
            raise exception.InstanceGroupNotFound(group_uuid=uuid)
        return found[0]

    @classmethod
    def get_by_instance_uuid(cls, context, instance_uuid):
        """The group ``instance_uuid`` is a member of (InstanceGroupNotFound if none)."""
        with _db(context).database.transaction() as conn:
            rows = _GROUPS_OF_INSTANCE.rows(conn, {"instance_uuid": instance_uuid})
            if not rows:
                raise exception.InstanceGroupNotFound(group_uuid="")
            members = _MEMBERS_OF_GROUP.tuples(conn, {"group_id": rows[0].id})
        return _group(context, rows[0], members)

    def create(self):
        handle = _db(self._context)
        self.created_at = utcnow_str()
        with handle.database.transaction() as conn:
            self.id = conn.execute(_grp.insert(), {
                "uuid": self.uuid, "name": self.name, "user_id": self.user_id,
                "project_id": self.project_id, "created_at": self.created_at,
            }).inserted_primary_key[0]
            conn.execute(_pol.insert(), {"group_id": self.id, "policy": self.policy,
                                         "rules": json.dumps(self.rules or {})})
            for member in self.members or []:
                conn.execute(_mem.insert(), {"group_id": self.id, "instance_uuid": member})
        handle.record(self._context, "instance_group_create",
                      {"uuid": self.uuid, "policy": self.policy})
        self.obj_reset_changes()

    def destroy(self):
        handle = _db(self._context)
        with handle.database.transaction() as conn:
            for table in (_mem, _pol):
                conn.execute(table.delete().where(table.c.group_id == self.id))
            if not conn.execute(_grp.delete().where(_grp.c.id == self.id)).rowcount:
                raise exception.InstanceGroupNotFound(group_uuid=self.uuid)
        handle.record(self._context, "instance_group_destroy", {"uuid": self.uuid})

    @classmethod
    def add_members(cls, context, group_uuid, instance_uuids):
        """Add the instances to the group; returns the uuids added."""
        handle = _db(context)
        with handle.database.transaction() as conn:
            group_id = conn.execute(sa.select(_grp.c.id).where(_grp.c.uuid == group_uuid)
                                    ).scalar()
            if group_id is None:
                raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
            conn.execute(_mem.insert(), [{"group_id": group_id, "instance_uuid": u}
                                         for u in instance_uuids])
        handle.record(context, "instance_group_members_add",
                      {"uuid": group_uuid, "members": list(instance_uuids)})
        return list(instance_uuids)

    def get_hosts(self, exclude=None):
        """The hosts the group's not-deleted members run on."""
        uuids = set(self.members or []) - set(exclude or ())
        return sorted({row["host"] for row in self._members(uuids) if row["host"]})

    def count_members_by_user(self, user_id):
        """The group's not-deleted members that ``user_id`` owns (quota counts them)."""
        return sum(1 for row in self._members(self.members or []) if row["user_id"] == user_id)

    def _members(self, uuids):
        return db.instance_get_all_by_filters(self._context, {"uuid": list(uuids)},
                                              expected_attrs=[]) if uuids else []


class InstanceGroupList:
    """NOTE(labkit): nova's InstanceGroupList is an ObjectListBase; these return lists."""

    @staticmethod
    def get_all(context):
        return _load(context)

    @staticmethod
    def get_by_project_id(context, project_id):
        return _load(context, _grp.c.project_id == project_id)

    @staticmethod
    def get_counts(context, project_id, user_id=None):
        """{"project": {"server_groups": n}, "user": {...}}, as nova's quota counts them."""
        groups = _load(context, _grp.c.project_id == project_id)
        counts = {"project": {"server_groups": len(groups)}}
        if user_id:
            counts["user"] = {"server_groups": sum(g.user_id == user_id for g in groups)}
        return counts


def _load(context, where=None):
    """The groups (with policy, rules and members) matching ``where``, oldest first."""
    handle = _db(context)
    query = _GROUPS if where is None else _GROUPS.where(where)
    with handle.database.transaction() as conn:
        rows = conn.execute(query).all()
        members = conn.execute(sa.select(_mem.c.group_id, _mem.c.instance_uuid).where(
            _mem.c.group_id.in_([r.id for r in rows])).order_by(_mem.c.id)).all()
    return [_group(context, r, members) for r in rows]


def _group(context, r, members):
    """An InstanceGroup from its row; ``members``: (group id, instance uuid) pairs."""
    group = InstanceGroup(context, id=r.id, uuid=r.uuid, name=r.name, user_id=r.user_id,
                          project_id=r.project_id, policy=r.policy,
                          rules=json.loads(r.rules) if r.rules else {},
                          members=[u for g, u in members if g == r.id],
                          created_at=r.created_at)
    group.obj_reset_changes()
    return group
