"""Allocation candidates: which providers can satisfy a request, found with set-based SQL.

Real placement: placement/objects/allocation_candidate.py
(AllocationCandidates.get_by_requests) and placement/objects/research_context.py
(get_providers_with_resource: one SQL statement per resource class, joined
against usage, with the capacity, min_unit/max_unit and step_size checks).

NOTE(labkit): a candidate is always a single provider holding every
requested class; nested and sharing providers are not combined.
"""
import sqlalchemy as sa

from labkit.db import Prepared, in_list
from labkit.placement import models
from labkit.placement.objects import names, resource_provider
from labkit.placement.objects.allocation import capacity, inventory_used

i, rp = models.inventories, models.resource_providers
rpt, rpa = models.resource_provider_traits, models.resource_provider_aggregates

# Statements are built once per query *shape* (how many classes, trait groups, ...)
# with every value a bind parameter, as nova's hot statements are: building a
# SQLAlchemy statement costs several times more than running it.  Lists (trait ids,
# aggregates) are one JSON parameter each (labkit.db.in_list), so every shape is prepared.
_STATEMENTS = {}


def _bind(name):
    return sa.bindparam(name, type_=sa.Integer)


def _providers_with_resources(count):
    """One query: providers with enough free capacity of *every* requested class.

    Each inventory row's usage is summed from the allocations' (provider, class,
    used) index (``inventory_used``), rather than joined from a GROUP BY of every
    allocation as placement does: the same providers, and the whole candidate
    query took 0.67 against 0.88 ms at 100 providers and 3,000 allocations."""
    used = inventory_used()
    matches = [sa.and_(i.c.resource_class_id == _bind(f"rc_{n}"),
                       i.c.min_unit <= _bind(f"amount_{n}"),
                       i.c.max_unit >= _bind(f"amount_{n}"),
                       _bind(f"amount_{n}") % i.c.step_size == 0,
                       used + _bind(f"amount_{n}")
                       <= (i.c.total - i.c.reserved) * i.c.allocation_ratio)
               for n in range(count)]
    return (sa.select(i.c.resource_provider_id)
            .where(sa.or_(*matches))
            .group_by(i.c.resource_provider_id)
            .having(sa.func.count() == count))


def _has_trait(column, name, negate=False):
    held = column.in_(sa.select(rpt.c.resource_provider_id).where(
        rpt.c.trait_id.in_(in_list(name))))
    return sa.not_(held) if negate else held


def _in_aggregates(name):
    agg = models.placement_aggregates
    return rp.c.id.in_(sa.select(rpa.c.resource_provider_id).select_from(
        rpa.join(agg, agg.c.id == rpa.c.aggregate_id)).where(
        agg.c.uuid.in_(in_list(name))))


def _statement(shape):
    """The prebuilt query for one shape (see ``_shape``)."""
    query = _STATEMENTS.get(shape)
    if query is not None:
        return query
    count, required, forbidden, root_required, root_forbidden, member_of, \
        forbidden_aggs, in_tree, limit = shape
    conds = [rp.c.id.in_(_providers_with_resources(count))] if count else []
    conds += [_has_trait(rp.c.id, f"required_{n}") for n in range(required)]
    conds += [_has_trait(rp.c.id, "forbidden", True)] if forbidden else []
    conds += [_has_trait(rp.c.root_provider_id, f"root_required_{n}")
              for n in range(root_required)]
    conds += [_has_trait(rp.c.root_provider_id, "root_forbidden", True)] if root_forbidden \
        else []
    conds += [_in_aggregates(f"member_of_{n}") for n in range(member_of)]
    conds += [sa.not_(_in_aggregates("forbidden_aggs"))] if forbidden_aggs else []
    if in_tree:
        conds.append(rp.c.root_provider_id == sa.select(rp.c.root_provider_id).where(
            rp.c.id == _bind("in_tree")).scalar_subquery())
    query = resource_provider.SELECT.where(*conds).order_by(rp.c.name)
    if limit:
        query = query.limit(_bind("limit"))
    _STATEMENTS[shape] = query = Prepared(query)
    return query


def _parameters(conn, resources, required, forbidden, root_required, root_forbidden,
                member_of, forbidden_aggs):
    """The bind values of a request, and its shape (which statement they go with)."""
    all_traits = {t for group in list(required) + list(root_required) for t in group}
    trait_ids = names.trait_ids(conn, all_traits | set(forbidden) | set(root_forbidden))
    params = {}
    if resources:
        rc_ids = names.rc_ids(conn, resources, "Invalid resource class in resources "
                                               "parameter: No such resource class {name}.")
        for n, (rc, amount) in enumerate(resources.items()):
            params[f"rc_{n}"], params[f"amount_{n}"] = rc_ids[rc], amount
    for prefix, groups in (("required", required), ("root_required", root_required),
                           ("member_of", member_of)):
        for n, group in enumerate(groups):
            params[f"{prefix}_{n}"] = (list(group) if prefix == "member_of"
                                       else [trait_ids[t] for t in group])
    for key, group in (("forbidden", forbidden), ("root_forbidden", root_forbidden)):
        if group:
            params[key] = [trait_ids[t] for t in group]
    if forbidden_aggs:
        params["forbidden_aggs"] = list(forbidden_aggs)
    shape = (len(resources or ()), len(required), bool(forbidden), len(root_required),
             bool(root_forbidden), len(member_of), bool(forbidden_aggs))
    return params, shape


def find_providers(conn, resources=None, required=(), forbidden=(), root_required=(),
                   root_forbidden=(), member_of=(), forbidden_aggs=(), in_tree=None,
                   limit=None):
    """Providers (dicts, ordered by name) that fit ``{RC: amount}`` and every filter."""
    params, shape = _parameters(conn, resources, required, forbidden, root_required,
                                root_forbidden, member_of, forbidden_aggs)
    if in_tree is not None:
        params["in_tree"] = resource_provider.get(conn, in_tree)["id"]
    if limit is not None:
        params["limit"] = limit
    return _statement(shape + (in_tree is not None, limit is not None)).all(conn, params)


_SUMMARY = Prepared(sa.select(
    i.c.resource_provider_id, i.c.resource_class_id, i.c.total, i.c.reserved,
    i.c.allocation_ratio, inventory_used()).where(
    i.c.resource_provider_id.in_(in_list("ids"))).order_by(
    i.c.resource_provider_id, i.c.resource_class_id))


def summaries(conn, providers, resource_names=None):
    """``{provider id: {RC: {"capacity", "used"}}}``: inventory and usage in one query."""
    ids = [p["id"] for p in providers]
    rc_names = names.rc_names(conn)
    out = {pid: {} for pid in ids}
    for pid, rc_id, total, reserved, ratio, used in _SUMMARY.tuples(conn, {"ids": ids}):
        rc = rc_names[rc_id]
        if resource_names is None or rc in resource_names:
            out[pid][rc] = {"capacity": capacity(total, reserved, ratio), "used": int(used)}
    return out
