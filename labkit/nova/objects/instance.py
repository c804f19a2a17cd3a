"""The Instance object (nova/objects/instance.py)."""
import sqlalchemy as sa

from labkit.db import Prepared
from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.db import api_services as service_db
from labkit.nova.db import models as m
from labkit.nova.objects.base import NovaObject, remotable, remotable_classmethod

INSTANCE_FIELDS = (
    "id", "uuid", "display_name", "display_description", "hostname", "project_id", "user_id",
    "host", "node", "launched_on", "vm_state", "task_state", "power_state", "image_ref",
    "instance_type_id", "flavor", "availability_zone", "key_name", "locked", "locked_by",
    "progress", "launch_index", "reservation_id", "config_drive", "access_ip_v4",
    "access_ip_v6", "metadata", "system_metadata", "info_cache", "security_groups", "tags",
    "created_at", "updated_at", "launched_at", "terminated_at", "deleted_at", "deleted")


class Instance(NovaObject):
    VERSION = "2.8"
    fields = INSTANCE_FIELDS
    defaults = {"metadata": dict, "system_metadata": dict, "info_cache": dict,
                "security_groups": list, "tags": list, "power_state": 0, "locked": False,
                "progress": 0, "launch_index": 0, "config_drive": "", "deleted": 0}

    @classmethod
    def _from_db_object(cls, context, values):
        inst = cls(context)
        state = inst.__dict__
        for name in cls.fields:
            if name in values:
                state[name] = values[name]
        return inst

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, db.instance_get_by_uuid(context, uuid))

    def create(self):
        """Insert the row (the conductor does this after scheduling)."""
        if self.id is not None:
            raise exception.NovaException("instance already created")
        values = {name: getattr(self, name) for name in self.fields if name != "id"}
        created = db.instance_create(self._context, values)
        for key in ("id", "created_at", "updated_at"):
            object.__setattr__(self, key, created[key])
        self.obj_reset_changes()

    @remotable
    def save(self, expected_task_state=None, expected_vm_state=None):
        """Write the changed fields; compare-and-swap on the expected states.

        In nova-compute this runs in the conductor (see ``remotable``).
        """
        updates = self.obj_get_changes()
        if not updates:
            return
        if updates.get("flavor"):       # a resize: the quota columns follow (_set_instance_info)
            updates.update(vcpus=updates["flavor"]["vcpus"],
                           memory_mb=updates["flavor"]["memory_mb"])
        expected = {}
        if expected_task_state is not None:
            expected["task_state"] = _as_list(expected_task_state)
        if expected_vm_state is not None:
            expected["vm_state"] = _as_list(expected_vm_state)
        _old, new = db.instance_update_and_get_original(self._context, self.uuid, updates,
                                                        expected)
        object.__setattr__(self, "updated_at", new["updated_at"])
        self.obj_reset_changes()

    @remotable
    def destroy(self):
        db.instance_destroy(self._context, self.uuid)
        object.__setattr__(self, "deleted", True)
        self.obj_reset_changes()

    @remotable
    def refresh(self):
        current = db.instance_get_by_uuid(self._context, self.uuid)
        for name in self.fields:
            object.__setattr__(self, name, current.get(name))
        self.obj_reset_changes()


class InstanceList(NovaObject):
    """NOTE(labkit): nova's InstanceList is an ObjectListBase of Instance
    (nova/objects/instance.py); here its queries return a plain list of Instance."""

    VERSION = "2.6"

    @remotable_classmethod
    def get_by_host(cls, context, host):
        """The instances ``host`` runs (nova-compute asks the conductor at start-up)."""
        return [Instance._from_db_object(context, row)
                for row in db.instance_get_all_by_filters(context, {"host": host})]

    @remotable_classmethod
    def get_by_filters(cls, context, filters, limit=None, marker=None, expected_attrs=None):
        """The instances matching ``filters`` (db.instance_get_all_by_filters' keys),
        newest first, a page of ``limit`` after ``marker`` (MarkerNotFound if unknown)."""
        return [Instance._from_db_object(context, row)
                for row in db.instance_get_all_by_filters(context, filters, limit=limit,
                                                          marker=marker,
                                                          expected_attrs=expected_attrs)]

    @classmethod
    def get_uuids_by_hosts(cls, context, hosts):
        """{host: [uuid, ...]} of the instances on ``hosts`` (the scheduler's HostState)."""
        return service_db.instance_uuids_by_host(context, hosts)

    @classmethod
    def get_count_by_hosts(cls, context, hosts):
        """How many instances run on ``hosts``."""
        counts = service_db.instance_count_by_host(context)
        return sum(counts.get(host, 0) for host in hosts)

    @classmethod
    def get_counts_by_host(cls, context):
        """{host: how many instances it runs}, in one query.

        NOTE(labkit): nova's hypervisors API shows each ComputeNode's running_vms,
        which its resource tracker keeps (nearest here: get_count_by_hosts); labkit
        counts every host's instances at once.
        """
        return service_db.instance_count_by_host(context)


    @classmethod
    def get_active_by_window_joined(cls, context, begin, end=None, project_id=None,
                                    limit=None, marker=None):
        """Instances (deleted ones too) that ran during [begin, end): launched before
        ``end``, not terminated before ``begin``; by project then uuid, paged after the
        instance ``marker``.  Real nova: InstanceList.get_active_by_window_joined over
        nova/db/main/api.py:instance_get_active_by_window_joined.  ``begin`` and ``end``
        are stored-time strings (utils.utcnow_str)."""
        i = m.instances.c
        query = sa.select(m.instances).where(
            sa.or_(i.terminated_at.is_(None), i.terminated_at > begin))
        if end is not None:
            query = query.where(i.launched_at < end)
        if project_id is not None:
            query = query.where(i.project_id == project_id)
        with db._db(context).database.transaction() as conn:
            if marker is not None:
                row = conn.execute(sa.select(i.project_id, i.uuid).where(
                    i.uuid == marker)).first()
                if row is None:
                    raise exception.MarkerNotFound(marker=marker)
                query = query.where(sa.tuple_(i.project_id, i.uuid) > tuple(row))
            query = query.order_by(i.project_id, i.uuid)
            rows = conn.execute(query if limit is None else query.limit(limit)).all()
        return [Instance._from_db_object(context, dict(r._mapping)) for r in rows]

    @classmethod
    def get_counts(cls, context, project_id, user_id=None):
        """{"project": {"instances", "cores", "ram"}, "user": {...}} for quota.

        Real nova: nova/objects/instance.py:InstanceList.get_counts, which sums
        the instances' vcpus and memory_mb in SQL (a count per user only when
        ``user_id`` is given).  NOTE(labkit): the builds still waiting for a host
        count too (db/api_services.py:instances_count_for_project says why).
        """
        counts = {"project": dict(zip(_COUNTED, service_db.instances_count_for_project(
            context, project_id)))}
        if user_id:
            params = {"project_id": project_id, "user_id": user_id}
            with db._db(context).database.transaction() as conn:
                (count, cores, ram), = _USER_INSTANCE_COUNTS.tuples(conn, params)
                (builds, build_cores, build_ram), = _USER_BUILD_COUNTS.tuples(conn, params)
            counts["user"] = dict(zip(_COUNTED, (count + builds, cores + build_cores,
                                                 ram + build_ram)))
        return counts


_COUNTED = ("instances", "cores", "ram")
_i, _b, _map = m.instances.c, m.build_requests.c, m.instance_mappings.c
_USER_INSTANCE_COUNTS = Prepared(sa.select(*service_db._usage(m.instances)).where(
    _i.deleted == 0, _i.project_id == sa.bindparam("project_id"),
    _i.user_id == sa.bindparam("user_id")))
# a build request has no user_id column (nor in nova): its instance mapping has
_USER_BUILD_COUNTS = Prepared(sa.select(*service_db._usage(m.build_requests)).where(
    _b.project_id == sa.bindparam("project_id"),
    sa.exists().where(_map.instance_uuid == _b.instance_uuid,
                      _map.user_id == sa.bindparam("user_id")),
    ~sa.exists().where(_i.uuid == _b.instance_uuid)))


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set)) else [value]
