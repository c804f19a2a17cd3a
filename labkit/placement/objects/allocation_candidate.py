"""Allocation candidates: which providers can satisfy a request, found with set-based SQL.

Real placement: placement/objects/allocation_candidate.py
(AllocationCandidates.get_by_requests) and placement/objects/research_context.py
(get_providers_with_resource: one SQL statement per resource class, joined
against usage, with the capacity, min_unit/max_unit and step_size checks).

NOTE(labkit): a candidate is always a single provider holding every
requested class; nested and sharing providers are not combined.
"""
import sqlalchemy as sa

from labkit.placement import models
from labkit.placement.objects import names, resource_provider
from labkit.placement.objects.allocation import capacity, usage_query

i, rp = models.inventories, models.resource_providers
rpt, rpa = models.resource_provider_traits, models.resource_provider_aggregates


def _providers_with_resources(rc_ids, resources):
    """One query: providers with enough free capacity of *every* requested class."""
    usage = usage_query().subquery()
    used = sa.func.coalesce(usage.c.used, 0)
    matches = [sa.and_(i.c.resource_class_id == rc_ids[rc],
                       i.c.min_unit <= amount, i.c.max_unit >= amount,
                       sa.literal(amount) % i.c.step_size == 0,
                       used + amount <= (i.c.total - i.c.reserved) * i.c.allocation_ratio)
               for rc, amount in resources.items()]
    return (sa.select(i.c.resource_provider_id)
            .select_from(i.outerjoin(usage, sa.and_(
                usage.c.resource_provider_id == i.c.resource_provider_id,
                usage.c.resource_class_id == i.c.resource_class_id)))
            .where(sa.or_(*matches))
            .group_by(i.c.resource_provider_id)
            .having(sa.func.count() == len(resources)))


def _trait_filters(column, trait_ids, any_of_groups, forbidden):
    """``column`` (a provider id) must have one trait of each group and none forbidden."""
    conds = []
    for group in any_of_groups:
        conds.append(column.in_(sa.select(rpt.c.resource_provider_id).where(
            rpt.c.trait_id.in_([trait_ids[t] for t in group]))))
    if forbidden:
        conds.append(column.not_in(sa.select(rpt.c.resource_provider_id).where(
            rpt.c.trait_id.in_([trait_ids[t] for t in forbidden]))))
    return conds


def _aggregate_filters(member_of, forbidden_aggs):
    agg = models.placement_aggregates
    in_aggs = lambda uuids: rp.c.id.in_(   # noqa: E731
        sa.select(rpa.c.resource_provider_id).select_from(
            rpa.join(agg, agg.c.id == rpa.c.aggregate_id)).where(agg.c.uuid.in_(uuids)))
    conds = [in_aggs(group) for group in member_of]
    if forbidden_aggs:
        conds.append(sa.not_(in_aggs(forbidden_aggs)))
    return conds


def find_providers(conn, resources=None, required=(), forbidden=(), root_required=(),
                   root_forbidden=(), member_of=(), forbidden_aggs=(), in_tree=None,
                   limit=None):
    """Providers (dicts, ordered by name) that fit ``{RC: amount}`` and every filter."""
    all_traits = {t for group in list(required) + list(root_required) for t in group}
    trait_ids = names.trait_ids(conn, all_traits | set(forbidden) | set(root_forbidden))
    query = sa.select(rp.c.id).order_by(rp.c.name)
    if resources:
        rc_ids = names.rc_ids(conn, resources, "Invalid resource class in resources "
                                               "parameter: No such resource class {name}.")
        query = query.where(rp.c.id.in_(_providers_with_resources(rc_ids, resources)))
    conds = (_trait_filters(rp.c.id, trait_ids, required, forbidden)
             + _trait_filters(rp.c.root_provider_id, trait_ids, root_required, root_forbidden)
             + _aggregate_filters(member_of, forbidden_aggs))
    if in_tree is not None:
        root = resource_provider.get(conn, in_tree)
        conds.append(rp.c.root_provider_id == sa.select(rp.c.root_provider_id).where(
            rp.c.id == root["id"]).scalar_subquery())
    query = query.where(*conds)
    if limit is not None:
        query = query.limit(limit)
    ids = [r.id for r in conn.execute(query)]
    order = {pid: n for n, pid in enumerate(ids)}
    return sorted(resource_provider.list_all(conn, ids), key=lambda p: order[p["id"]])


def summaries(conn, providers, resource_names=None):
    """``{provider id: {RC: {"capacity", "used"}}}``: one usage query, one inventory query."""
    ids = [p["id"] for p in providers]
    rc_names = {v: k for k, v in names.resource_classes(conn).items()}
    used = {(pid, rc): int(n) for pid, rc, n in conn.execute(usage_query(ids))}
    query = (sa.select(i.c.resource_provider_id, i.c.resource_class_id, i.c.total,
                       i.c.reserved, i.c.allocation_ratio)
             .where(i.c.resource_provider_id.in_(ids))
             .order_by(i.c.resource_provider_id, i.c.resource_class_id))
    out = {pid: {} for pid in ids}
    for pid, rc_id, total, reserved, ratio in conn.execute(query):
        rc = rc_names[rc_id]
        if resource_names is None or rc in resource_names:
            out[pid][rc] = {"capacity": capacity(total, reserved, ratio),
                            "used": used.get((pid, rc_id), 0)}
    return out
