"""Migration records: one row per move of a server between hosts.

Real nova: nova/objects/migration.py — Migration (create, save, get_by_id,
get_by_uuid, get_by_id_and_instance, get_by_instance_and_status) and
MigrationList (get_by_filters, get_in_progress_by_host_and_node,
get_in_progress_by_instance, get_in_progress_and_error), over the
``migration_*`` functions of nova/db/main/api.py.  A resize leaves a
``resize`` record, a cold migration a ``migration``, a live migration a
``live-migration`` and an evacuation an ``evacuation``; ``status`` walks
through each flow's steps (pre-migrating, migrating, post-migrating,
finished, confirmed or reverted for a resize).

The record lives in the cell database, so nova-compute reads and saves it
through the conductor (``remotable``), as it does its instances.

NOTE(labkit): the SQL is here, beside the object (as labkit's aggregate and
key pair objects do), rather than in nova/db/main/api.py; the trace's ``db``
hops keep nova's names (migration_create, migration_update).
"""
import sqlalchemy as sa

from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db.api import _db
from labkit.nova.objects.base import NovaObject, remotable, remotable_classmethod
from labkit.nova.utils import utcnow_str

_mig = m.migrations
MIGRATION_FIELDS = tuple(c.name for c in _mig.columns)
# nova/db/main/api.py:migration_get_in_progress_by_host_and_node: not yet over
_DONE = ("confirmed", "reverted", "error", "failed", "completed", "cancelled", "done")
# ...and migration_get_in_progress_by_instance: a live migration under way
_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")


class Migration(NovaObject):
    VERSION = "1.7"
    fields = MIGRATION_FIELDS
    defaults = {"hidden": False, "cross_cell_move": False, "deleted": 0}

    @classmethod
    def _from_db_object(cls, context, row):
        migration = cls(context)
        migration.__dict__.update({k: row[k] for k in cls.fields})
        migration.obj_reset_changes()
        return migration

    def _record(self, name, changes):
        _db(self._context).record(self._context, name, changes,
                                  instance_uuid=self.instance_uuid,
                                  migration={"id": self.id, "uuid": self.uuid,
                                             "migration_type": self.migration_type,
                                             "status": self.status})

    @remotable
    def create(self):
        """Insert the record (the caller gives it a uuid from the lab's seeded ids)."""
        if self.id is not None or self.uuid is None:
            raise exception.NovaException("a migration is created once, with a uuid")
        now = utcnow_str()
        values = {k: getattr(self, k) for k in self.fields if k != "id"}
        values.update(created_at=now, updated_at=None)
        with _db(self._context).database.transaction() as conn:
            new_id = conn.execute(_mig.insert(), values).inserted_primary_key[0]
        self.__dict__.update(values, id=new_id)
        self._record("migration_create", {
            "migration_type": self.migration_type, "status": self.status,
            "source_compute": self.source_compute, "dest_compute": self.dest_compute})
        self.obj_reset_changes()

    @remotable
    def save(self):
        """Write the changed fields (nova/db/main/api.py:migration_update)."""
        updates = self.obj_get_changes()
        updates.pop("id", None)
        if not updates:
            return
        updates["updated_at"] = utcnow_str()
        with _db(self._context).database.transaction() as conn:
            count = conn.execute(_mig.update().where(_mig.c.id == self.id), updates).rowcount
        if not count:
            raise exception.MigrationNotFound(migration_id=self.id)
        object.__setattr__(self, "updated_at", updates.pop("updated_at"))
        self._record("migration_update", updates)
        self.obj_reset_changes()

    @remotable_classmethod
    def get_by_id(cls, context, migration_id):
        return cls._get(context, _mig.c.id == int(migration_id),
                        exception.MigrationNotFound(migration_id=migration_id))

    @remotable_classmethod
    def get_by_uuid(cls, context, migration_uuid):
        return cls._get(context, _mig.c.uuid == migration_uuid,
                        exception.MigrationNotFound(migration_id=migration_uuid))

    @remotable_classmethod
    def get_by_id_and_instance(cls, context, migration_id, instance_uuid):
        """MigrationNotFoundForInstance unless this migration is this server's."""
        return cls._get(context, sa.and_(_mig.c.id == int(migration_id),
                                         _mig.c.instance_uuid == instance_uuid),
                        exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                               instance_id=instance_uuid))

    @remotable_classmethod
    def get_by_instance_and_status(cls, context, instance_uuid, status):
        """The newest of this server's migrations in ``status`` (a confirm or revert
        looks up its ``finished`` resize this way)."""
        return cls._get(context, sa.and_(_mig.c.instance_uuid == instance_uuid,
                                         _mig.c.status == status),
                        exception.MigrationNotFoundByStatus(instance_id=instance_uuid,
                                                            status=status))

    @classmethod
    def _get(cls, context, where, not_found):
        query = sa.select(_mig).where(where, _mig.c.deleted == 0).order_by(_mig.c.id.desc())
        with _db(context).database.transaction() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise not_found
        return cls._from_db_object(context, row._mapping)

    @property
    def is_resize(self):
        return self.migration_type == "resize"

    @property
    def is_live_migration(self):
        return self.migration_type == "live-migration"

    @property
    def is_same_host_resize(self):
        return self.is_resize and self.source_node == self.dest_node


class MigrationList(NovaObject):
    """NOTE(labkit): nova's MigrationList is an ObjectListBase of Migration
    (nova/objects/migration.py); here its queries return a plain list of Migration."""

    VERSION = "1.5"

    @remotable_classmethod
    def get_by_filters(cls, context, filters, sort_keys=None, sort_dirs=None, limit=None,
                       marker=None):
        """Migrations matching ``filters``, newest first (created_at, id descending).

        Filters as nova/db/main/api.py:migration_get_all_by_filters: uuid, status (a
        value or a list), host (source or dest), source_compute, node, migration_type,
        hidden, instance_uuid, user_id, project_id, changes-since and changes-before
        (on updated_at).  ``marker``, a migration uuid, pages after it; an unknown one
        raises MarkerNotFound.  Unsorted and unpaged, the records come in the order
        they were made (nova's query.all()).  NOTE(labkit): any sort is nova's default,
        (created_at, id) descending.
        """
        if limit == 0:
            return []
        c = _mig.c
        query = sa.select(_mig).where(c.deleted == 0, *_filter_clauses(filters))
        paged = limit is not None or marker is not None or sort_keys or sort_dirs
        query = query.order_by(c.created_at.desc(), c.id.desc()) if paged \
            else query.order_by(c.id)
        with _db(context).database.transaction() as conn:
            if marker is not None:
                row = conn.execute(sa.select(c.created_at, c.id).where(c.uuid == marker)).first()
                if row is None:
                    raise exception.MarkerNotFound(marker=marker)
                query = query.where(sa.or_(c.created_at < row.created_at, sa.and_(
                    c.created_at == row.created_at, c.id < row.id)))
            rows = conn.execute(query if limit is None else query.limit(limit)).all()
        return [Migration._from_db_object(context, r._mapping) for r in rows]

    @remotable_classmethod
    def get_in_progress_by_host_and_node(cls, context, host, node):
        """The moves into or out of ``host``/``node`` not yet over (a resize in
        VERIFY_RESIZE counts: its ``finished`` is not the end)."""
        c = _mig.c
        return cls._query(context, sa.or_(sa.and_(c.source_compute == host, c.source_node == node),
                                          sa.and_(c.dest_compute == host, c.dest_node == node)),
                          c.status.not_in(_DONE))

    @remotable_classmethod
    def get_in_progress_and_error(cls, context, host, node):
        """As above, and those in ``error`` too (evacuations the source must clean up)."""
        c = _mig.c
        return cls._query(context, sa.or_(sa.and_(c.source_compute == host, c.source_node == node),
                                          sa.and_(c.dest_compute == host, c.dest_node == node)),
                          c.status.not_in([s for s in _DONE if s != "error"]))

    @remotable_classmethod
    def get_in_progress_by_instance(cls, context, instance_uuid, migration_type=None):
        """This server's live migrations under way (queued ... post-migrating)."""
        c = _mig.c
        clauses = [c.instance_uuid == instance_uuid, c.status.in_(_IN_PROGRESS)]
        if migration_type:
            clauses.append(c.migration_type == migration_type)
        return cls._query(context, *clauses)

    @staticmethod
    def _query(context, *where):
        query = sa.select(_mig).where(_mig.c.deleted == 0, *where).order_by(_mig.c.id)
        with _db(context).database.transaction() as conn:
            rows = conn.execute(query).all()
        return [Migration._from_db_object(context, r._mapping) for r in rows]


def _filter_clauses(filters):
    """nova/db/main/api.py:migration_get_all_by_filters' filters, as SQL clauses."""
    c, out = _mig.c, []
    for key in ("uuid", "status"):
        if key in filters:
            value = filters[key]
            out.append(c[key].in_([value] if isinstance(value, str) else value))
    if "host" in filters:
        out.append(sa.or_(c.source_compute == filters["host"],
                          c.dest_compute == filters["host"]))
    elif "source_compute" in filters:
        out.append(c.source_compute == filters["source_compute"])
    if "node" in filters:
        out.append(sa.or_(c.source_node == filters["node"], c.dest_node == filters["node"]))
    for key in ("migration_type", "hidden", "instance_uuid", "user_id", "project_id"):
        if key in filters:
            out.append(c[key] == filters[key])
    if filters.get("changes-since"):
        out.append(c.updated_at >= filters["changes-since"])
    if filters.get("changes-before"):
        out.append(c.updated_at <= filters["changes-before"])
    return out
