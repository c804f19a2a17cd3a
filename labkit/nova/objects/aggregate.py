"""Host aggregates: named sets of compute hosts with metadata.

Real nova: nova/objects/aggregate.py — Aggregate (create, save,
update_metadata, add_host, delete_host, destroy; ``availability_zone`` is its
``availability_zone`` metadata key) and AggregateList (get_all, get_by_host,
get_by_metadata_key, get_by_metadata).  They live in the API database, so
these objects read and write it themselves, as nova's do.
"""
import sqlalchemy as sa

from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db.api import _db
from labkit.nova.objects.base import NovaObject
from labkit.nova.utils import utcnow_str

_agg, _hosts, _meta = m.aggregates, m.aggregate_hosts, m.aggregate_metadata


class Aggregate(NovaObject):
    VERSION = "1.3"
    fields = ("id", "uuid", "name", "hosts", "metadata", "created_at", "updated_at",
              "deleted_at", "deleted")
    defaults = {"hosts": list, "metadata": dict, "deleted": False}

    @property
    def availability_zone(self):
        return (self.metadata or {}).get("availability_zone")

    @classmethod
    def get_by_id(cls, context, aggregate_id):
        found = _load(context, _agg.c.id == int(aggregate_id))
        if not found:
            raise exception.AggregateNotFound(aggregate_id=aggregate_id)
        return found[0]

    def create(self):
        """Insert the aggregate and its metadata; AggregateNameExists for a taken name."""
        handle = _db(self._context)
        now = utcnow_str()
        with handle.database.transaction() as conn:
            if conn.execute(sa.select(_agg.c.id).where(_agg.c.name == self.name)).first():
                raise exception.AggregateNameExists(aggregate_name=self.name)
            self.id = conn.execute(_agg.insert(), {"uuid": self.uuid, "name": self.name,
                                                   "created_at": now}).inserted_primary_key[0]
            _metadata_add(conn, self.id, self.metadata or {})
        self.created_at, self.updated_at = now, None
        handle.record(self._context, "aggregate_create", {"name": self.name,
                                                          "metadata": self.metadata})
        self.obj_reset_changes()

    def save(self):
        """Write a new name (AggregateNameExists if another aggregate has it)."""
        handle = _db(self._context)
        with handle.database.transaction() as conn:
            taken = conn.execute(sa.select(_agg.c.id).where(
                _agg.c.name == self.name, _agg.c.id != self.id)).first()
            if taken:
                raise exception.AggregateNameExists(aggregate_name=self.name)
            self.updated_at = utcnow_str()
            conn.execute(_agg.update().where(_agg.c.id == self.id).values(
                name=self.name, updated_at=self.updated_at))
        handle.record(self._context, "aggregate_update", {"id": self.id, "name": self.name})
        self.obj_reset_changes()

    def update_metadata(self, updates):
        """Set each key; a key whose value is None is removed."""
        handle = _db(self._context)
        metadata = dict(self.metadata or {})
        with handle.database.transaction() as conn:
            for key, value in updates.items():
                conn.execute(_meta.delete().where(_meta.c.aggregate_id == self.id,
                                                  _meta.c.key == key))
                metadata.pop(key, None)
                if value is not None:
                    _metadata_add(conn, self.id, {key: value})
                    metadata[key] = value
            self.updated_at = utcnow_str()
            conn.execute(_agg.update().where(_agg.c.id == self.id).values(
                updated_at=self.updated_at))
        handle.record(self._context, "aggregate_metadata_update", {"id": self.id,
                                                                   "metadata": updates})
        self.metadata = metadata
        self.obj_reset_changes()

    def add_host(self, host):
        handle = _db(self._context)
        with handle.database.transaction() as conn:
            if conn.execute(sa.select(_hosts.c.id).where(
                    _hosts.c.aggregate_id == self.id, _hosts.c.host == host)).first():
                raise exception.AggregateHostExists(aggregate_id=self.id, host=host)
            conn.execute(_hosts.insert(), {"aggregate_id": self.id, "host": host})
        handle.record(self._context, "aggregate_host_add", {"id": self.id, "host": host})
        self.hosts = list(self.hosts or []) + [host]
        self.obj_reset_changes()

    def delete_host(self, host):
        handle = _db(self._context)
        with handle.database.transaction() as conn:
            deleted = conn.execute(_hosts.delete().where(
                _hosts.c.aggregate_id == self.id, _hosts.c.host == host)).rowcount
        if not deleted:
            raise exception.AggregateHostNotFound(aggregate_id=self.id, host=host)
        handle.record(self._context, "aggregate_host_delete", {"id": self.id, "host": host})
        self.hosts = [h for h in self.hosts or [] if h != host]
        self.obj_reset_changes()

    def destroy(self):
        """NOTE(labkit): nova soft-deletes nothing here either: the rows go."""
        handle = _db(self._context)
        with handle.database.transaction() as conn:
            for table in (_hosts, _meta):
                conn.execute(table.delete().where(table.c.aggregate_id == self.id))
            conn.execute(_agg.delete().where(_agg.c.id == self.id))
        handle.record(self._context, "aggregate_destroy", {"id": self.id})


class AggregateList:
    """NOTE(labkit): nova's AggregateList is an ObjectListBase; these return lists."""

    @staticmethod
    def get_all(context):
        return _load(context)

    @staticmethod
    def get_by_host(context, host, key=None):
        """The aggregates ``host`` is in (only those with metadata ``key``, if given)."""
        return [a for a in _load(context) if host in a.hosts
                and (key is None or key in a.metadata)]

    @staticmethod
    def get_by_metadata_key(context, key, hosts=None):
        """The aggregates with metadata ``key`` (that hold one of ``hosts``, if given)."""
        hosts = set(hosts) if hosts else None
        return [a for a in _load(context) if key in a.metadata
                and (hosts is None or hosts & set(a.hosts))]

    @staticmethod
    def get_by_metadata(context, key=None, value=None):
        """The aggregates whose metadata has ``key`` set to ``value``."""
        return [a for a in _load(context) if any(
            (key is None or k == key) and (value is None or v == value)
            for k, v in a.metadata.items())]


def _metadata_add(conn, aggregate_id, metadata):
    if metadata:
        conn.execute(_meta.insert(), [{"aggregate_id": aggregate_id, "key": k, "value": v}
                                      for k, v in metadata.items()])


def _load(context, where=None):
    """Aggregates with their hosts and metadata, in id order (three queries).

    NOTE(labkit): nova filters in SQL per query (AggregateList._get_by_*_from_db);
    labkit loads the few aggregates a lab has and filters them here.
    """
    handle = _db(context)
    query = sa.select(_agg).order_by(_agg.c.id)
    if where is not None:
        query = query.where(where)
    with handle.database.transaction() as conn:
        rows = conn.execute(query).all()
        ids = [r.id for r in rows]
        hosts = conn.execute(sa.select(_hosts.c.aggregate_id, _hosts.c.host).where(
            _hosts.c.aggregate_id.in_(ids)).order_by(_hosts.c.id)).all()
        meta = conn.execute(sa.select(_meta.c.aggregate_id, _meta.c.key, _meta.c.value).where(
            _meta.c.aggregate_id.in_(ids)).order_by(_meta.c.id)).all()
    out = []
    for r in rows:
        agg = Aggregate(context, id=r.id, uuid=r.uuid, name=r.name, created_at=r.created_at,
                        updated_at=r.updated_at, deleted_at=None, deleted=False,
                        hosts=[h for a, h in hosts if a == r.id],
                        metadata={k: v for a, k, v in meta if a == r.id})
        agg.obj_reset_changes()
        out.append(agg)
    return out
