"""glance's database API: images with their properties and tags, and who may see them.

Real glance: glance/db/sqlalchemy/api.py (image_create, image_get,
image_get_all, image_update, image_destroy, is_image_visible).
NOTE(labkit): real glance's ImageRepo is in glance/db/__init__.py and calls
those functions; labkit's runs their SQL itself, here beside them.
"""
import datetime

import sqlalchemy as sa

from labkit.db import Prepared, in_list, update_row
from labkit.glance.db.sqlalchemy import models

BASE_COLUMNS = tuple(c.name for c in models.images.columns
                     if c.name not in ("deleted", "deleted_at"))

# The statements every image read and write runs, built once with bind parameters
# (building SQLAlchemy statements per call costs more than running them).
_I, _P, _T = models.images, models.image_properties, models.image_tags
_SELECT_IMAGES = sa.select(*[_I.c[n] for n in BASE_COLUMNS])
# The reads and writes of one image (every boot, shelve and unshelve makes some) are
# prepared (labkit.db.Prepared); lists of images only build their filters per call.
_IMAGE_BY_ID = Prepared(_SELECT_IMAGES.where(_I.c.id == sa.bindparam("image_id"),
                                             _I.c.deleted.is_(False)))
_PROPERTIES_OF = Prepared(sa.select(_P.c.image_id, _P.c.name, _P.c.value).where(
    _P.c.image_id.in_(in_list("ids"))).order_by(_P.c.name))
_TAGS_OF = Prepared(sa.select(_T.c.image_id, _T.c.value).where(
    _T.c.image_id.in_(in_list("ids"))).order_by(_T.c.id))
_EXISTS = Prepared(sa.select(_I.c.id).where(_I.c.id == sa.bindparam("image_id")))
_INSERT_IMAGE = Prepared(_I.insert(), columns=tuple(c.name for c in _I.columns))
_INSERT_PROPERTY = Prepared(_P.insert(), columns=("image_id", "name", "value"))
_INSERT_TAG = Prepared(_T.insert(), columns=("image_id", "value"))
_DELETE_PROPERTIES = Prepared(_P.delete().where(_P.c.image_id == sa.bindparam("image_id")))
_DELETE_TAGS = Prepared(_T.delete().where(_T.c.image_id == sa.bindparam("image_id")))


class Invalid(ValueError):
    """Data the database cannot keep (glance/common/exception.py:Invalid; a 400)."""


def _validate_db_int(**kwargs):
    """Each value at most 2 ** 31 - 1, the largest a 4-byte INT column keeps.

    Real glance: glance/db/sqlalchemy/api.py:_validate_db_int, which
    _validate_image runs on every image create and update."""
    max_int = 2 ** 31 - 1
    for key, value in kwargs.items():
        if value and value > max_int:
            raise Invalid(f"'{key}' value out of range, must not exceed {max_int}.")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


def is_image_visible(context, image):
    """Public and community images are everyone's; others only their owner's (or admin's)."""
    if context.is_admin or image["visibility"] in ("public", "community"):
        return True
    return context.project_id is not None and image["owner"] == context.project_id


class ImageRepo:
    def __init__(self, db):
        self.db = db

    def _load(self, conn, rows):
        """Rows → image dicts with ``properties`` and ``tags`` (two queries, not N)."""
        images = {row.id: dict(row._asdict(), properties={}, tags=[]) for row in rows}
        if images:
            ids = {"ids": list(images)}
            for image_id, name, value in _PROPERTIES_OF.tuples(conn, ids):
                images[image_id]["properties"][name] = value
            for image_id, value in _TAGS_OF.tuples(conn, ids):
                images[image_id]["tags"].append(value)
        return list(images.values())

    def get(self, image_id):
        """The image, or None when unknown or deleted."""
        with self.db.transaction() as conn:
            found = self._load(conn, _IMAGE_BY_ID.rows(conn, {"image_id": image_id}))
        return found[0] if found else None

    def list(self, filters, sort):
        """Every non-deleted image matching exact-match ``filters``, in ``sort`` order."""
        i = models.images
        query = _SELECT_IMAGES.where(i.c.deleted.is_(False))
        for key, value in filters.items():
            if key == "id":
                query = query.where(i.c.id.in_(value))
            elif key == "tag":
                t = models.image_tags
                query = query.where(i.c.id.in_(sa.select(t.c.image_id).where(t.c.value == value)))
            else:
                query = query.where(i.c[key] == value)
        for key, direction in sort:
            query = query.order_by(i.c[key].desc() if direction == "desc" else i.c[key].asc())
        with self.db.transaction() as conn:
            return self._load(conn, conn.execute(query).all())

    def exists(self, image_id):
        with self.db.transaction() as conn:
            return _EXISTS.first(conn, {"image_id": image_id}) is not None

    def create(self, values, properties, tags):
        _validate_db_int(min_disk=values.get("min_disk"), min_ram=values.get("min_ram"))
        now = utcnow()
        row = dict(values, created_at=now, updated_at=now, deleted=False)
        with self.db.transaction() as conn:
            _INSERT_IMAGE.execute(conn, row)
            self._write_extras(conn, row["id"], properties, tags)
        return self.get(row["id"])

    def _write_extras(self, conn, image_id, properties, tags):
        if properties is not None:
            _DELETE_PROPERTIES.execute(conn, {"image_id": image_id})
            _INSERT_PROPERTY.executemany(conn, [{"image_id": image_id, "name": k, "value": v}
                                                for k, v in properties.items()])
        if tags is not None:
            _DELETE_TAGS.execute(conn, {"image_id": image_id})
            _INSERT_TAG.executemany(conn, [{"image_id": image_id, "value": v}
                                           for v in dict.fromkeys(tags)])

    def update(self, image_id, values, properties=None, tags=None, from_status=None):
        """Update columns (and replace properties/tags when given).

        With ``from_status``, only if the image is still in that status
        (glance's compare-and-swap on status); returns False if it was not.
        """
        _validate_db_int(min_disk=values.get("min_disk"), min_ram=values.get("min_ram"))
        values = dict(values, updated_at=utcnow())
        match = {"deleted": False}
        if from_status is not None:
            match["status"] = from_status
        with self.db.transaction() as conn:
            if update_row(conn, _I, values, image_id, match=match) == 0:
                return False
            self._write_extras(conn, image_id, properties, tags)
        return True

    def destroy(self, image_id):
        """Soft delete, as glance does: status ``deleted`` and ``deleted=True``."""
        now = utcnow()
        return self.update(image_id, {"status": "deleted", "deleted": True, "deleted_at": now})
