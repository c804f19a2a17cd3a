"""The KeyPair object and its table in the API database.

Real nova: nova/objects/keypair.py (KeyPair, KeyPairList).  As there, the
object module holds its own queries of the API database's ``key_pairs``
table (nova/db/api/models.py:KeyPair): a key pair belongs to a user, not a
project, and its name is unique per user.
"""
import sqlalchemy as sa

from labkit.db import Prepared
from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db.api import _db
from labkit.nova.objects.base import NovaObject, remotable, remotable_classmethod
from labkit.nova.utils import utcnow_str

KEYPAIR_TYPE_SSH = "ssh"
KEYPAIR_TYPE_X509 = "x509"

_k = m.key_pairs.c
_BY_NAME = Prepared(sa.select(m.key_pairs).where(_k.user_id == sa.bindparam("user_id"),
                                                 _k.name == sa.bindparam("name")))
_COUNT = Prepared(sa.select(sa.func.count(_k.id)).where(_k.user_id == sa.bindparam("user_id")))
_DESTROY = Prepared(m.key_pairs.delete().where(_k.user_id == sa.bindparam("user_id"),
                                               _k.name == sa.bindparam("name")))


def _get_from_db(context, user_id, name=None, limit=None, marker=None):
    """One key pair by name, or a user's key pairs by name after ``marker``."""
    handle = _db(context)
    with handle.database.transaction() as conn:
        if name is not None:
            row = _BY_NAME.first(conn, {"user_id": user_id, "name": name})
            if row is None:
                raise exception.KeypairNotFound(user_id=user_id, name=name)
            return row
        query = sa.select(m.key_pairs).where(_k.user_id == user_id).order_by(_k.name, _k.id)
        if marker is not None:
            if _BY_NAME.first(conn, {"user_id": user_id, "name": marker}) is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(_k.name > marker)
        if limit is not None:
            query = query.limit(limit)
        return [dict(r._mapping) for r in conn.execute(query).all()]


def _create_in_db(context, values):
    handle = _db(context)
    values = dict(values, created_at=utcnow_str(), updated_at=None)
    with handle.database.transaction() as conn:
        if _BY_NAME.first(conn, values) is not None:
            raise exception.KeyPairExists(key_name=values["name"])
        values["id"] = conn.execute(m.key_pairs.insert(), values).inserted_primary_key[0]
    handle.record(context, "key_pair_create", {"name": values["name"],
                                               "user_id": values["user_id"]})
    return values


def _destroy_in_db(context, user_id, name):
    handle = _db(context)
    with handle.database.transaction() as conn:
        deleted = _DESTROY.execute(conn, {"user_id": user_id, "name": name})
    if not deleted:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    handle.record(context, "key_pair_destroy", {"name": name, "user_id": user_id})


class KeyPair(NovaObject):
    """A public key (ssh or x509) a user registered under a name."""
    VERSION = "1.4"
    fields = ("id", "name", "user_id", "fingerprint", "public_key", "type", "created_at",
              "updated_at", "deleted", "deleted_at")
    defaults = {"type": KEYPAIR_TYPE_SSH, "deleted": False}

    def __getitem__(self, key):
        """Read like a dict, as the API's views do (NovaObjectDictCompat)."""
        return getattr(self, key)

    @classmethod
    def _from_db_object(cls, context, row):
        keypair = cls(context, **{k: row.get(k) for k in cls.fields if k in row})
        keypair.deleted, keypair.deleted_at = False, None     # never soft-deleted
        keypair.obj_reset_changes()
        return keypair

    @remotable_classmethod
    def get_by_name(cls, context, user_id, name):
        return cls._from_db_object(context, _get_from_db(context, user_id, name=name))

    @remotable_classmethod
    def destroy_by_name(cls, context, user_id, name):
        _destroy_in_db(context, user_id, name)

    @remotable
    def create(self):
        if self.id is not None:
            raise exception.NovaException("key pair already created")
        row = _create_in_db(self._context, {k: getattr(self, k) for k in (
            "name", "user_id", "fingerprint", "public_key", "type")})
        for key in ("id", "created_at", "updated_at"):
            object.__setattr__(self, key, row[key])
        self.obj_reset_changes()

    @remotable
    def destroy(self):
        _destroy_in_db(self._context, self.user_id, self.name)


class KeyPairList(NovaObject):
    """NOTE(labkit): nova's KeyPairList is an ObjectListBase; here its queries
    return a plain list of KeyPair."""
    VERSION = "1.3"

    @remotable_classmethod
    def get_by_user(cls, context, user_id, limit=None, marker=None):
        """A user's key pairs by name; ``marker`` names the last one of the page before."""
        return [KeyPair._from_db_object(context, row)
                for row in _get_from_db(context, user_id, limit=limit, marker=marker)]

    @remotable_classmethod
    def get_count_by_user(cls, context, user_id):
        with _db(context).database.transaction() as conn:
            return _COUNT.scalars(conn, {"user_id": user_id})[0]
