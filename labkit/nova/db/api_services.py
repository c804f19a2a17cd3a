"""Database API for nova services and compute nodes (the scheduler reads these).

Real nova: nova/db/main/api.py (service_*, compute_node_*) — split out of
labkit's db/api.py only to keep each file short.
"""
import time

import sqlalchemy as sa

from labkit.db import Prepared, in_list
from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db.api import _db, _row
from labkit.nova.utils import utcnow_str


# The scheduler's reads on every select_destinations, built once and prepared.
_COMPUTE_NODES = Prepared(sa.select(m.compute_nodes).order_by(m.compute_nodes.c.id))
_COMPUTE_NODES_BY_UUIDS = Prepared(sa.select(m.compute_nodes).where(
    m.compute_nodes.c.uuid.in_(in_list("uuids"))).order_by(m.compute_nodes.c.id))
_SERVICES = Prepared(sa.select(m.services).order_by(m.services.c.id))
_SERVICES_BY_BINARY = Prepared(sa.select(m.services).where(
    m.services.c.binary == sa.bindparam("binary")).order_by(m.services.c.id))


def service_create(context, values):
    handle = _db(context)
    now = utcnow_str()
    values = dict(values, created_at=now, updated_at=now, last_seen_up=time.monotonic())
    with handle.database.transaction() as conn:
        values["id"] = conn.execute(m.services.insert(), values).inserted_primary_key[0]
    handle.record(context, "service_create", {"host": values["host"],
                                              "binary": values["binary"]})
    return values


def service_update(context, service_id, values):
    """Real nova: nova/db/main/api.py:service_update — a report_count that grew is a
    heartbeat (only DbDriver._report_state changes it), so the row is seen up now."""
    handle = _db(context)
    values = dict(values, updated_at=utcnow_str())
    with handle.database.transaction() as conn:
        if "report_count" in values:
            current = conn.execute(sa.select(m.services.c.report_count).where(
                m.services.c.id == service_id)).scalar()
            if values["report_count"] > (current or 0):
                values["last_seen_up"] = time.monotonic()
        conn.execute(m.services.update().where(m.services.c.id == service_id).values(**values))
        row = conn.execute(sa.select(m.services).where(m.services.c.id == service_id)).first()
    handle.record(context, "service_update", {k: v for k, v in values.items()
                                              if k not in ("updated_at", "last_seen_up")})
    return _row(row)


def service_get_all(context, binary=None):
    query, params = (_SERVICES_BY_BINARY, {"binary": binary}) if binary else (_SERVICES, {})
    with _db(context).database.transaction() as conn:
        return query.all(conn, params)


def service_get(context, service_id):
    """One service by its id, or by its uuid (nova/db/main/api.py:service_get,
    service_get_by_uuid); ServiceNotFound otherwise."""
    column = m.services.c.uuid if isinstance(service_id, str) and not service_id.isdigit() \
        else m.services.c.id
    with _db(context).database.transaction() as conn:
        row = conn.execute(sa.select(m.services).where(column == service_id)).first()
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return _row(row)


def service_destroy(context, service_id):
    """Delete a service and, for nova-compute, its compute node (service_destroy)."""
    handle = _db(context)
    with handle.database.transaction() as conn:
        row = conn.execute(sa.select(m.services).where(m.services.c.id == service_id)).first()
        if row is None:
            raise exception.ServiceNotFound(service_id=service_id)
        conn.execute(m.services.delete().where(m.services.c.id == service_id))
        if row.binary == "nova-compute":
            conn.execute(m.compute_nodes.delete().where(m.compute_nodes.c.host == row.host))
    handle.record(context, "service_destroy", {"host": row.host, "binary": row.binary})


def service_get_by_host_and_binary(context, host, binary):
    with _db(context).database.transaction() as conn:
        row = conn.execute(sa.select(m.services).where(m.services.c.host == host,
                                                       m.services.c.binary == binary)).first()
    if row is None:
        raise exception.ComputeHostNotFound(host=host)
    return _row(row)


def compute_node_create(context, values):
    handle = _db(context)
    values = dict(values, updated_at=utcnow_str())
    with handle.database.transaction() as conn:
        values["id"] = conn.execute(m.compute_nodes.insert(), values).inserted_primary_key[0]
    handle.record(context, "compute_node_create", {"host": values["host"]})
    return values


def compute_node_update(context, node_id, values):
    values = dict(values, updated_at=utcnow_str())
    with _db(context).database.transaction() as conn:
        conn.execute(m.compute_nodes.update().where(m.compute_nodes.c.id == node_id)
                     .values(**values))


def compute_node_get_all(context, uuids=None):
    query, params = (_COMPUTE_NODES, {}) if uuids is None else \
        (_COMPUTE_NODES_BY_UUIDS, {"uuids": list(uuids)})
    with _db(context).database.transaction() as conn:
        return query.all(conn, params)


def compute_node_get_by_host(context, host):
    with _db(context).database.transaction() as conn:
        row = conn.execute(sa.select(m.compute_nodes).where(
            m.compute_nodes.c.host == host)).first()
    if row is None:
        raise exception.ComputeHostNotFound(host=host)
    return _row(row)


def instance_count_by_host(context):
    """{host: (instances, vcpus used, ram used)} for the hypervisors API."""
    i = m.instances
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(i.c.host, sa.func.count(), i.c.flavor)
                            .where(i.c.deleted == 0, i.c.host.is_not(None))
                            .group_by(i.c.host)).all()
    return {r[0]: r[1] for r in rows}


def instance_uuids_by_host(context, hosts):
    """{host: [uuid, ...]} of the not-deleted instances on ``hosts`` (the scheduler's
    HostState.instances)."""
    i = m.instances
    out = {}
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(i.c.host, i.c.uuid).where(
            i.c.deleted == 0, i.c.host.in_(list(hosts)))).all()
    for host, uuid in rows:
        out.setdefault(host, []).append(uuid)
    return out


def instances_count_for_project(context, project_id):
    """(instances, cores, ram) a project uses, counted as nova counts quota since Pike.

    NOTE(labkit): nova (nova/quota.py:_instances_cores_ram_count_legacy) counts
    the cells' instances only and rechecks in the conductor once the instance
    exists there; labkit has no recheck, so it also counts the build requests
    still waiting for a host (once each: not those whose instance the conductor
    has created already).  Both are summed in SQL over plain columns: decoding, or
    even json_extract over, every pending build request on every POST made a
    burst of boots cost O(n²).
    """
    params = {"project_id": project_id}
    with _db(context).database.transaction() as conn:
        (count, cores, ram), = _INSTANCE_COUNTS.tuples(conn, params)
        (builds, build_cores, build_ram), = _BUILD_REQUEST_COUNTS.tuples(conn, params)
    return count + builds, cores + build_cores, ram + build_ram


def _usage(table):
    return (sa.func.count(table.c.id),
            *(sa.func.coalesce(sa.func.sum(table.c[key]), 0) for key in ("vcpus", "memory_mb")))


# Real nova: nova/objects/instance.py:InstanceList._get_counts_in_db, one
# ``SELECT count(id), sum(vcpus), sum(memory_mb)`` over the instances' own columns.
_INSTANCE_COUNTS = Prepared(sa.select(*_usage(m.instances)).where(
    m.instances.c.deleted == 0, m.instances.c.project_id == sa.bindparam("project_id")))
# NOTE(labkit): build requests carry their flavor's vcpus and memory_mb as columns
# (models.py) so that waiting builds are summed the same way
_BUILD_REQUEST_COUNTS = Prepared(sa.select(*_usage(m.build_requests)).where(
    m.build_requests.c.project_id == sa.bindparam("project_id"),
    # the conductor creates the instance before it destroys the build request
    ~sa.exists().where(m.instances.c.uuid == m.build_requests.c.instance_uuid)))
