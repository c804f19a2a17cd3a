"""Resource providers: create, find, rename, delete, and their inventories, traits, aggregates.

Real placement: placement/objects/resource_provider.py (ResourceProvider,
_add_inventory/_set_inventory, set_traits, set_aggregates,
_increment_provider_generation) and placement/objects/inventory.py.
"""
import datetime

import sqlalchemy as sa

from labkit.db import Prepared, in_list
from labkit.placement import errors, models
from labkit.placement.errors import PlacementError
from labkit.placement.objects import names

rp = models.resource_providers


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _select():
    parent, root = rp.alias("parent"), rp.alias("root")
    return (sa.select(rp.c.id, rp.c.uuid, rp.c.name, rp.c.generation,
                      parent.c.uuid.label("parent_provider_uuid"),
                      root.c.uuid.label("root_provider_uuid"))
            .select_from(rp.outerjoin(parent, parent.c.id == rp.c.parent_provider_id)
                         .outerjoin(root, root.c.id == rp.c.root_provider_id)))


SELECT = _select()
_BY_UUID = Prepared(SELECT.where(rp.c.uuid == sa.bindparam("uuid")))


def get(conn, uuid, for_what=""):
    row = _BY_UUID.first(conn, {"uuid": uuid})
    if row is None:
        raise PlacementError(404, f"No resource provider with uuid {uuid} found{for_what}",
                             errors.RESOURCE_PROVIDER_NOT_FOUND)
    return row


def list_all(conn, provider_ids=None):
    query = SELECT.order_by(rp.c.name)
    if provider_ids is not None:
        query = query.where(rp.c.id.in_(provider_ids))
    result = conn.execute(query)
    keys = tuple(result.keys())
    return [dict(zip(keys, row)) for row in result]


def create(conn, uuid, name, parent_uuid=None):
    for column, value, code in (("name", name, errors.DUPLICATE_NAME),
                                ("uuid", uuid, errors.DEFAULT)):
        if conn.execute(sa.select(rp.c.id).where(rp.c[column] == value)).first():
            raise PlacementError(409, f"Conflicting resource provider {column}: {value} "
                                      "already exists.", code)
    parent = get(conn, parent_uuid) if parent_uuid else None
    now = utcnow()
    new_id = conn.execute(rp.insert().values(
        uuid=uuid, name=name, generation=0, created_at=now, updated_at=now,
        parent_provider_id=parent["id"] if parent else None)).inserted_primary_key[0]
    root_id = (conn.execute(sa.select(rp.c.root_provider_id).where(rp.c.id == parent["id"]))
               .scalar() if parent else new_id)
    conn.execute(rp.update().where(rp.c.id == new_id).values(root_provider_id=root_id))
    return get(conn, uuid)


def update(conn, uuid, name):
    provider = get(conn, uuid)
    clash = conn.execute(sa.select(rp.c.id).where(rp.c.name == name, rp.c.uuid != uuid)).first()
    if clash:
        raise PlacementError(409, f"Conflicting resource provider name: {name} already "
                                  "exists.", errors.DUPLICATE_NAME)
    conn.execute(rp.update().where(rp.c.id == provider["id"]).values(name=name,
                                                                     updated_at=utcnow()))
    return get(conn, uuid)


def delete(conn, uuid):
    provider = get(conn, uuid, " for delete")
    a = models.allocations
    if conn.execute(sa.select(a.c.id).where(a.c.resource_provider_id == provider["id"])).first():
        raise PlacementError(409, f"Unable to delete resource provider {uuid}: Resource "
                                  "provider has allocations.", errors.PROVIDER_IN_USE)
    if conn.execute(sa.select(rp.c.id).where(rp.c.parent_provider_id == provider["id"])).first():
        raise PlacementError(409, f"Unable to delete parent resource provider {uuid}: It "
                                  "has child resource providers.",
                             errors.PROVIDER_CANNOT_DELETE_PARENT)
    for table in (models.inventories, models.resource_provider_traits,
                  models.resource_provider_aggregates):
        conn.execute(table.delete().where(table.c.resource_provider_id == provider["id"]))
    conn.execute(rp.delete().where(rp.c.id == provider["id"]))


def increment_generation(conn, provider, expected=None):
    """Bump a provider's generation, failing with 409 if ``expected`` is stale.

    Real placement: _increment_provider_generation (an UPDATE ... WHERE
    generation = :expected that must touch one row).
    """
    expected = provider["generation"] if expected is None else expected
    if expected != provider["generation"]:    # stale (or a number no column could hold)
        raise PlacementError(409, "resource provider generation conflict",
                             errors.CONCURRENT_UPDATE)
    done = conn.execute(rp.update().where(rp.c.id == provider["id"],
                                          rp.c.generation == expected)
                        .values(generation=expected + 1, updated_at=utcnow())).rowcount
    if not done:
        raise PlacementError(409, "resource provider generation conflict",
                             errors.CONCURRENT_UPDATE)
    return expected + 1


# -- inventories -------------------------------------------------------------------------
def get_inventories(conn, provider):
    i = models.inventories
    rc_names = names.rc_names(conn)
    return {rc_names[r.resource_class_id]: {
        "total": r.total, "reserved": r.reserved, "min_unit": r.min_unit,
        "max_unit": r.max_unit, "step_size": r.step_size,
        "allocation_ratio": r.allocation_ratio}
        for r in conn.execute(sa.select(i).where(i.c.resource_provider_id == provider["id"])
                              .order_by(i.c.resource_class_id))}


def set_inventories(conn, provider, generation, inventories):
    """Replace all inventory (PUT .../inventories), checking generation and usage."""
    rc_ids = names.rc_ids(conn, inventories, "Unknown resource class in inventory for "
                                             f"resource provider {provider['uuid']}: {{name}}")
    i, a = models.inventories, models.allocations
    in_use = {r.resource_class_id for r in conn.execute(
        sa.select(a.c.resource_class_id).where(a.c.resource_provider_id == provider["id"])
        .distinct())}
    rc_names = names.rc_names(conn)
    for rc_id in in_use - set(rc_ids.values()):
        raise PlacementError(409, f"update conflict: Inventory for '{rc_names[rc_id]}' on "
                                  f"resource provider '{provider['uuid']}' in use.",
                             errors.INVENTORY_INUSE)
    increment_generation(conn, provider, generation)
    conn.execute(i.delete().where(i.c.resource_provider_id == provider["id"]))
    if inventories:
        conn.execute(i.insert(), [dict(inv, resource_provider_id=provider["id"],
                                       resource_class_id=rc_ids[rc])
                                  for rc, inv in inventories.items()])


# -- traits and aggregates --------------------------------------------------------------------
_TRAITS_OF = Prepared(
    sa.select(models.resource_provider_traits.c.resource_provider_id, models.traits.c.name)
    .select_from(models.resource_provider_traits.join(
        models.traits, models.traits.c.id == models.resource_provider_traits.c.trait_id))
    .where(models.resource_provider_traits.c.resource_provider_id.in_(in_list("ids")))
    .order_by(models.traits.c.name))


def get_traits(conn, provider_ids):
    """``{provider id: [trait names, sorted]}``."""
    out = {pid: [] for pid in provider_ids}
    for pid, name in _TRAITS_OF.tuples(conn, {"ids": list(provider_ids)}):
        out[pid].append(name)
    return out


def set_traits(conn, provider, generation, trait_names):
    ids = names.trait_ids(conn, trait_names)
    increment_generation(conn, provider, generation)
    rpt = models.resource_provider_traits
    conn.execute(rpt.delete().where(rpt.c.resource_provider_id == provider["id"]))
    if ids:
        conn.execute(rpt.insert(), [{"trait_id": tid, "resource_provider_id": provider["id"]}
                                    for tid in set(ids.values())])


def get_aggregates(conn, provider):
    agg, rpa = models.placement_aggregates, models.resource_provider_aggregates
    return [r.uuid for r in conn.execute(
        sa.select(agg.c.uuid).select_from(rpa.join(agg, agg.c.id == rpa.c.aggregate_id))
        .where(rpa.c.resource_provider_id == provider["id"]).order_by(agg.c.uuid))]


def set_aggregates(conn, provider, generation, aggregate_uuids):
    agg, rpa = models.placement_aggregates, models.resource_provider_aggregates
    if generation is not None:
        increment_generation(conn, provider, generation)
    ids = []
    for uuid in dict.fromkeys(aggregate_uuids):
        row = conn.execute(sa.select(agg.c.id).where(agg.c.uuid == uuid)).first()
        ids.append(row.id if row else
                   conn.execute(agg.insert().values(uuid=uuid)).inserted_primary_key[0])
    conn.execute(rpa.delete().where(rpa.c.resource_provider_id == provider["id"]))
    if ids:
        conn.execute(rpa.insert(), [{"resource_provider_id": provider["id"],
                                     "aggregate_id": aid} for aid in ids])
