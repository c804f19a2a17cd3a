"""Resource class and trait names ↔ ids.

Real placement: placement/objects/resource_class.py, placement/objects/trait.py
and placement/attribute_cache.py (the name caches).
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


def resource_classes(conn):
    """``{name: id}`` for every resource class."""
    rc = models.resource_classes
    return {r.name: r.id for r in conn.execute(sa.select(rc.c.name, rc.c.id))}


def rc_ids(conn, names, message="No such resource class {name}."):
    known = resource_classes(conn)
    for name in names:
        if name not in known:
            raise PlacementError(400, message.format(name=name))
    return {name: known[name] for name in names}


def trait_map(conn):
    t = models.traits
    return {r.name: r.id for r in conn.execute(sa.select(t.c.name, t.c.id))}


def trait_ids(conn, names):
    """``{name: id}``; 400 ``No such trait(s)`` for unknown names."""
    known = trait_map(conn)
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
    return True
