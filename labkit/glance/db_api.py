"""glance's database API: images with their properties and tags, and who may see them.

Real glance: glance/db/sqlalchemy/api.py (image_create, image_get,
image_get_all, image_update, image_destroy, is_image_visible).
"""
import datetime

import sqlalchemy as sa

from labkit.glance import models

BASE_COLUMNS = tuple(c.name for c in models.images.columns
                     if c.name not in ("deleted", "deleted_at"))


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
        images = {row.id: dict(row._mapping, properties={}, tags=[]) for row in rows}
        if images:
            p, t = models.image_properties, models.image_tags
            for row in conn.execute(sa.select(p.c.image_id, p.c.name, p.c.value)
                                    .where(p.c.image_id.in_(images)).order_by(p.c.name)):
                images[row.image_id]["properties"][row.name] = row.value
            for row in conn.execute(sa.select(t.c.image_id, t.c.value)
                                    .where(t.c.image_id.in_(images)).order_by(t.c.id)):
                images[row.image_id]["tags"].append(row.value)
        return list(images.values())

    def get(self, image_id):
        """The image, or None when unknown or deleted."""
        i = models.images
        query = sa.select(*[i.c[n] for n in BASE_COLUMNS]).where(
            i.c.id == image_id, i.c.deleted.is_(False))
        with self.db.transaction() as conn:
            found = self._load(conn, conn.execute(query).all())
        return found[0] if found else None

    def list(self, filters, sort):
        """Every non-deleted image matching exact-match ``filters``, in ``sort`` order."""
        i = models.images
        query = sa.select(*[i.c[n] for n in BASE_COLUMNS]).where(i.c.deleted.is_(False))
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
            return conn.execute(sa.select(models.images.c.id).where(
                models.images.c.id == image_id)).first() is not None

    def create(self, values, properties, tags):
        now = utcnow()
        row = dict(values, created_at=now, updated_at=now, deleted=False)
        with self.db.transaction() as conn:
            conn.execute(models.images.insert(), row)
            self._write_extras(conn, row["id"], properties, tags)
        return self.get(row["id"])

    def _write_extras(self, conn, image_id, properties, tags):
        if properties is not None:
            p = models.image_properties
            conn.execute(p.delete().where(p.c.image_id == image_id))
            if properties:
                conn.execute(p.insert(), [{"image_id": image_id, "name": k, "value": v}
                                          for k, v in properties.items()])
        if tags is not None:
            t = models.image_tags
            conn.execute(t.delete().where(t.c.image_id == image_id))
            if tags:
                conn.execute(t.insert(), [{"image_id": image_id, "value": v}
                                          for v in dict.fromkeys(tags)])

    def update(self, image_id, values, properties=None, tags=None, from_status=None):
        """Update columns (and replace properties/tags when given).

        With ``from_status``, only if the image is still in that status
        (glance's compare-and-swap on status); returns False if it was not.
        """
        i = models.images
        query = i.update().where(i.c.id == image_id, i.c.deleted.is_(False))
        if from_status is not None:
            query = query.where(i.c.status == from_status)
        with self.db.transaction() as conn:
            if conn.execute(query.values(dict(values, updated_at=utcnow()))).rowcount == 0:
                return False
            self._write_extras(conn, image_id, properties, tags)
        return True

    def destroy(self, image_id):
        """Soft delete, as glance does: status ``deleted`` and ``deleted=True``."""
        now = utcnow()
        return self.update(image_id, {"status": "deleted", "deleted": True, "deleted_at": now})
