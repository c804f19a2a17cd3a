"""Resource class and trait names ↔ ids.

Real placement: placement/objects/resource_class.py, placement/objects/trait.py
and placement/attribute_cache.py (the name caches).  As there, the maps are
read from the database once and kept: they are read again when a name is not
in them, and dropped when a class or trait is created (or a transaction rolls
back).  NOTE(labkit): the cache lives in the database connection's ``info``,
so each lab (each placement database) has its own.
"""
import re

import sqlalchemy as sa

from labkit.placement import models, standard
from labkit.placement.errors import PlacementError

CUSTOM = re.compile(r"^CUSTOM_[A-Z0-9_]+$")


def seed(conn):
    conn.execute(models.resource_classes.insert(),
                 [{"id": n, "name": name} for n, name in enumerate(standard.RESOURCE_CLASSES)])
    conn.execute(models.traits.insert(), [{"name": name} for name in standard.TRAITS])


_CACHE = "labkit.placement.names"
_SELECT = {"rc": sa.select(models.resource_classes.c.name, models.resource_classes.c.id),
           "trait": sa.select(models.traits.c.name, models.traits.c.id)}


def _cache(conn):
    cache = conn.info.get(_CACHE)
    if cache is None:
        cache = conn.info[_CACHE] = {}
        sa.event.listen(conn, "rollback", lambda _conn: cache.clear())
    return cache


def _lookup(conn, kind, names=(), refresh=False):
    """The cached ``{name: id}`` of ``kind``, read again if it lacks one of ``names``."""
    cache = _cache(conn)
    known = cache.get(kind)
    if refresh or known is None or any(name not in known for name in names):
        known = cache[kind] = {r.name: r.id for r in conn.execute(_SELECT[kind])}
        cache.pop(kind + "-by-id", None)
    return known


def forget(conn):
    """Drop the cached names (a class or trait was created)."""
    _cache(conn).clear()


def resource_classes(conn):
    """``{name: id}`` for every resource class."""
    return dict(_lookup(conn, "rc", refresh=True))


def rc_names(conn, ids=()):
    """``{id: name}`` for every resource class (read again if one of ``ids`` is unknown)."""
    cache = _cache(conn)
    by_id = cache.get("rc-by-id")
    if by_id is None or any(rc_id not in by_id for rc_id in ids):
        known = _lookup(conn, "rc", refresh=by_id is not None)
        by_id = cache["rc-by-id"] = {v: k for k, v in known.items()}
    return by_id


def rc_ids(conn, names, message="No such resource class {name}."):
    known = _lookup(conn, "rc", names)
    for name in names:
        if name not in known:
            raise PlacementError(400, message.format(name=name))
    return {name: known[name] for name in names}


def trait_map(conn):
    """``{name: id}`` for every trait."""
    return dict(_lookup(conn, "trait", refresh=True))


def trait_ids(conn, names):
    """``{name: id}``; 400 ``No such trait(s)`` for unknown names."""
    known = _lookup(conn, "trait", names)
    missing = sorted(set(names) - set(known))
    if missing:
        raise PlacementError(400, "No such trait(s): " + ", ".join(missing))
    return {name: known[name] for name in names}


def create_custom(conn, table, name):
    """Create a CUSTOM_* trait or class; False if it already existed."""
    if not CUSTOM.match(name) or len(name) > 255:
        raise PlacementError(400, 'The trait is invalid. A valid trait must be no longer than '
                                  '255 characters, start with the prefix "CUSTOM_" and use '
                                  'following characters: "A"-"Z", "0"-"9" and "_"'
                             if table is models.traits else
                             f"'{name}' does not match '^CUSTOM\\\\_[A-Z0-9_]+$'")
    exists = conn.execute(sa.select(table.c.id).where(table.c.name == name)).first()
    if exists:
        return False
    values = {"name": name}
    if table is models.resource_classes:    # custom classes start at 10000, as in placement
        top = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
        values["id"] = max(top + 1, 10000)
    conn.execute(table.insert(), values)
    forget(conn)
    return True
