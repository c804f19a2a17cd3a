"""Nova's database API: every read and write of nova's tables goes through here.

Real nova: nova/db/main/api.py and the API-database objects
(nova/objects/build_request.py ...).  Each function takes the request
context first, as nova's do, and reaches the database through
``context.db`` — which only services with database access have
(nova-api, nova-conductor, nova-scheduler; never nova-compute).

NOTE(labkit): nova keeps two databases, the cell database (nova/db/main/api.py,
instances, actions, migrations, compute nodes, services) and the API database
(nova/db/api/api.py and the objects over it: build requests, request specs,
mappings, flavors, key pairs, server groups).  labkit runs one nova database that
holds both sets of tables, so their functions live together in this one module
(and api_services.py) instead of at either upstream path.

This module is one of the trace's three seams: each call records one ``db``
hop, and a write that changes an instance's states records them before and
after, which is how the state timeline is built.
"""
import sqlalchemy as sa

from labkit.db import update_row
from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db import queries as q
from labkit.nova.utils import utcnow_str

STATE_KEYS = q.STATE_KEYS


class DbHandle:
    """One service's way into nova's database, and the trace it records to."""

    def __init__(self, database, trace, node):
        self.database, self.trace, self.node = database, trace, node

    def record(self, context, name, payload=None, **extra):
        if self.trace is not None and self.trace.enabled:
            self.trace.record("db", self.node, "database", name, context.trace_id,
                              payload=payload, **extra)


def _db(context):
    handle = getattr(context, "db", None)
    if handle is None:
        raise RuntimeError("this service has no database access (nova-compute "
                           "must go through the conductor)")
    return handle


def _row(row):
    return dict(row._mapping) if row is not None else None


# -- flavors (API database) ------------------------------------------------------
def flavor_create(context, values):
    with _db(context).database.transaction() as conn:
        conn.execute(m.flavors.insert(), values)


def flavor_get_all(context):
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(m.flavors).where(m.flavors.c.disabled.is_(False))
                            .order_by(m.flavors.c.id)).all()
    return [_row(r) for r in rows]


def flavor_get_by_flavor_id(context, flavorid):
    handle = _db(context)
    with handle.database.transaction() as conn:
        row = q.FLAVOR_BY_FLAVORID.first(conn, {"flavorid": str(flavorid)})
    handle.record(context, "flavor_get_by_flavor_id", {"flavorid": flavorid})
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


# -- build requests, request specs, instance mappings (API database) ---------------
def build_request_create(context, instance_uuid, project_id, instance, bdms, tags):
    handle = _db(context)
    with handle.database.transaction() as conn:
        flavor = instance["nova_object.data"].get("flavor") or {}
        q.BUILD_REQUEST_INSERT.insert(conn, {
            "instance_uuid": instance_uuid, "project_id": project_id, "instance": instance,
            "vcpus": flavor.get("vcpus"), "memory_mb": flavor.get("memory_mb"),
            "block_device_mappings": bdms, "tags": tags, "created_at": utcnow_str()})
    handle.record(context, "build_request_create", None, instance_uuid=instance_uuid,
                  states={"before": None, "after": {
                      k: instance["nova_object.data"].get(k) for k in STATE_KEYS}})


def build_request_get_by_instance_uuid(context, instance_uuid):
    with _db(context).database.transaction() as conn:
        return q.BUILD_REQUEST_BY_UUID.first(conn, {"uuid": instance_uuid})


def build_request_get_all(context, project_id=None):
    """[(instance uuid, the instance primitive as JSON text)], newest first.

    The text is decoded by the caller, for the requests it needs: a list asks for
    a page of them, not all.
    """
    b = m.build_requests.c
    query = sa.select(b.instance_uuid, sa.type_coerce(b.instance, sa.Text))
    if project_id is not None:
        query = query.where(b.project_id == project_id)
    with _db(context).database.transaction() as conn:
        return conn.execute(query.order_by(b.id.desc())).all()


def build_request_destroy(context, instance_uuid):
    handle = _db(context)
    with handle.database.transaction() as conn:
        count = q.BUILD_REQUEST_DESTROY.execute(conn, {"uuid": instance_uuid})
    handle.record(context, "build_request_destroy", None, instance_uuid=instance_uuid)
    return count


def request_spec_create(context, instance_uuid, spec):
    with _db(context).database.transaction() as conn:
        q.SPEC_INSERT.insert(conn, {"instance_uuid": instance_uuid, "spec": spec})


def request_spec_get_by_instance_uuid(context, instance_uuid):
    with _db(context).database.transaction() as conn:
        row = q.SPEC_BY_UUID.first(conn, {"uuid": instance_uuid})
    return row["spec"] if row else None


def request_spec_save(context, instance_uuid, spec):
    with _db(context).database.transaction() as conn:
        conn.execute(q.SPEC_UPDATE, {"uuid": instance_uuid, "spec": spec})


def instance_mapping_create(context, instance_uuid, project_id, user_id):
    with _db(context).database.transaction() as conn:
        q.MAPPING_INSERT.insert(conn, {
            "instance_uuid": instance_uuid, "project_id": project_id, "user_id": user_id,
            "cell_id": None})


def instance_mapping_update(context, instance_uuid, **values):
    with _db(context).database.transaction() as conn:
        update_row(conn, m.instance_mappings, values, instance_uuid, "instance_uuid")


def instance_mapping_get(context, instance_uuid):
    with _db(context).database.transaction() as conn:
        return q.MAPPING_BY_UUID.first(conn, {"uuid": instance_uuid})


# -- instances (cell database) -------------------------------------------------------
def instance_create(context, values):
    handle = _db(context)
    values = dict(values)
    values.setdefault("created_at", utcnow_str())
    values["updated_at"] = values.get("updated_at") or values["created_at"]
    flavor = values.get("flavor") or {}
    row = dict(values, vcpus=flavor.get("vcpus"), memory_mb=flavor.get("memory_mb"))
    with handle.database.transaction() as conn:
        values["id"] = q.INSTANCE_INSERT.insert(conn, row)
    handle.record(context, "instance_create", None, instance_uuid=values["uuid"],
                  states={"before": None, "after": {k: values.get(k) for k in STATE_KEYS}})
    return values


def instance_get_by_uuid(context, uuid, read_deleted="no"):
    query = q.INSTANCE_BY_UUID if read_deleted == "no" else q.INSTANCE_BY_UUID_ANY
    with _db(context).database.transaction() as conn:
        row = query.first(conn, {"uuid": uuid})
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return row


# The JSON columns that stand for nova's separate tables (models.py): nova joins
# those only for the ``expected_attrs`` a caller asks for.
INSTANCE_EXTRAS = ("flavor", "metadata", "system_metadata", "info_cache", "security_groups",
                   "tags")


def instance_get_all_by_filters(context, filters=None, limit=None, marker=None,
                                expected_attrs=None):
    """Instances matching ``filters``, newest first.

    ``filters``: project_id, host, user_id, vm_state, task_state (None: no task),
    display_name, uuid (a list) and deleted.  ``expected_attrs`` lists the extras
    (INSTANCE_EXTRAS) to load besides the instance's own columns, as nova's does;
    ``None`` loads them all.  ``marker``
    (an instance uuid) and ``limit`` page in SQL, as nova/db/main/api.py's
    instance_get_all_by_filters_sort does; an unknown marker raises MarkerNotFound.
    """
    filters = filters or {}
    if expected_attrs is None:
        query = sa.select(m.instances)
    else:
        query = sa.select(*(c for c in m.instances.c
                            if c.name not in INSTANCE_EXTRAS or c.name in expected_attrs))
    if not filters.get("deleted"):
        query = query.where(m.instances.c.deleted == 0)
    for key in ("project_id", "host", "user_id", "vm_state"):
        if filters.get(key) is not None:
            query = query.where(getattr(m.instances.c, key) == filters[key])
    if "task_state" in filters:            # None matches no task (IS NULL), as in nova
        query = query.where(m.instances.c.task_state == filters["task_state"])
    if filters.get("display_name"):        # a regular expression, matched in SQL as nova does
        query = query.where(m.instances.c.display_name.regexp_match(filters["display_name"]))
    if filters.get("uuid") is not None:
        query = query.where(m.instances.c.uuid.in_(filters["uuid"]))
    query = query.order_by(m.instances.c.created_at.desc(), m.instances.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with _db(context).database.transaction() as conn:
        if marker is not None:
            query = query.where(_after_marker(conn, marker))
        return [_row(r) for r in conn.execute(query).all()]


def _after_marker(conn, marker):
    """The rows after ``marker`` in (created_at, id) descending order; nova reads the
    marker even when it is deleted."""
    i = m.instances.c
    row = conn.execute(sa.select(i.created_at, i.id).where(i.uuid == marker)).first()
    if row is None:
        raise exception.MarkerNotFound(marker=marker)
    return sa.or_(i.created_at < row.created_at,
                  sa.and_(i.created_at == row.created_at, i.id < row.id))


def _instance_update(conn, instance_id, values):
    update_row(conn, m.instances, values, instance_id)


def instance_update_and_get_original(context, uuid, values, expected=None):
    """Update one instance, compare-and-swap on ``expected`` {'task_state': [...]}.

    Raises UnexpectedTaskStateError (409 at the API) when another request got
    there first, as nova/db/main/api.py:_instance_update does.

    NOTE(labkit): nova returns the whole row before and after; labkit reads only
    the id and the state columns (the whole row decodes six JSON columns on every
    save), so ``old`` holds those and ``new`` adds the values written.
    """
    handle = _db(context)
    values = dict(values)
    values["updated_at"] = utcnow_str()
    with handle.database.transaction() as conn:
        old = q.INSTANCE_STATES_BY_UUID.first(conn, {"uuid": uuid})
        if old is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        for key, allowed in (expected or {}).items():
            if old[key] not in allowed:
                raise exception.UnexpectedTaskStateError(
                    instance_uuid=uuid, expected={key: list(allowed)},
                    actual={key: old[key]})
        _instance_update(conn, old["id"], values)
    new = dict(old, **values)
    before = {k: old[k] for k in STATE_KEYS}
    after = {k: new[k] for k in STATE_KEYS}
    handle.record(context, "instance_update_and_get_original",
                  {k: v for k, v in values.items() if k not in ("updated_at",)},
                  instance_uuid=uuid,
                  states={"before": before, "after": after} if before != after else None)
    return old, new


def instance_destroy(context, uuid):
    handle = _db(context)
    now = utcnow_str()
    with handle.database.transaction() as conn:
        row = q.INSTANCE_STATES_BY_UUID.first(conn, {"uuid": uuid})
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        _instance_update(conn, row["id"], {
            "deleted": row["id"], "deleted_at": now, "terminated_at": now,
            "vm_state": "deleted", "task_state": None, "updated_at": now})
    handle.record(context, "instance_destroy", None, instance_uuid=uuid,
                  states={"before": {k: row[k] for k in STATE_KEYS},
                          "after": {"vm_state": "deleted", "task_state": None,
                                    "power_state": row["power_state"], "host": row["host"]}})


# -- instance actions and events -------------------------------------------------------
def action_start(context, values):
    handle = _db(context)
    with handle.database.transaction() as conn:
        values = dict(values, id=q.ACTION_INSERT.insert(conn, values))
    handle.record(context, "action_start", {"action": values["action"]},
                  instance_uuid=values["instance_uuid"])
    return values


def _action_by_request(conn, instance_uuid, request_id):
    return q.ACTION_BY_REQUEST.first(conn, {"uuid": instance_uuid, "request_id": request_id})


def _current_action(conn, context, instance_uuid):
    """The action this request started: by its own request id, or the global one.

    A context with no project (a periodic task's or init_host's admin context) started
    no action: its events go to the instance's newest action instead, as nova's
    action_event_start/finish do (nova/db/main/api.py:_action_get_last_created_by_instance_uuid).
    Returns ``(action, found_by_request)``.
    """
    action = _action_by_request(conn, instance_uuid, context.request_id) or \
        _action_by_request(conn, instance_uuid, context.global_request_id)
    if action is not None:
        return action, True
    if not context.project_id:
        action = q.ACTION_LAST_CREATED.first(conn, {"uuid": instance_uuid})
    if action is None:
        raise exception.InstanceActionNotFound(request_id=context.request_id,
                                               instance_uuid=instance_uuid)
    return action, False


def action_get_by_request_id(context, instance_uuid, request_id):
    with _db(context).database.transaction() as conn:
        return _action_by_request(conn, instance_uuid, request_id)


def actions_get(context, instance_uuid):
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(m.instance_actions).where(
            m.instance_actions.c.instance_uuid == instance_uuid)
            .order_by(m.instance_actions.c.id.desc())).all()
    return [_row(r) for r in rows]


def action_event_start(context, instance_uuid, event, host=None):
    handle = _db(context)
    with handle.database.transaction() as conn:
        action, _ = _current_action(conn, context, instance_uuid)
        q.EVENT_INSERT.execute(conn, {
            "v_action_id": action["id"], "v_event": event, "v_start_time": utcnow_str(),
            "v_host": host})
    handle.record(context, "action_event_start", {"event": event}, instance_uuid=instance_uuid)


def action_event_finish(context, instance_uuid, event, result="Success", tb=None):
    handle = _db(context)
    now = utcnow_str()
    with handle.database.transaction() as conn:
        action, update_action = _current_action(conn, context, instance_uuid)
        q.EVENT_FINISH.execute(conn, {"_action_id": action["id"], "_event": event,
                                     "v_finish_time": now, "v_result": result, "v_traceback": tb})
        if update_action:       # nova leaves an action it only fell back on as it was
            q.ACTION_FINISH[result == "Error"].execute(conn, {
                "_action_id": action["id"], "v_finish_time": now, "v_updated_at": now,
                "v_message": "Error"})
    handle.record(context, "action_event_finish", {"event": event, "result": result},
                  instance_uuid=instance_uuid)


def action_events_get(context, action_id):
    ev = m.instance_actions_events
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(ev).where(ev.c.action_id == action_id)
                            .order_by(ev.c.id)).all()
    return [_row(r) for r in rows]


def instance_fault_create(context, values):
    handle = _db(context)
    values = dict(values, created_at=utcnow_str())
    with handle.database.transaction() as conn:
        conn.execute(m.instance_faults.insert(), values)
    handle.record(context, "instance_fault_create", {"message": values["message"]},
                  instance_uuid=values["instance_uuid"])


def instance_fault_get_by_instance_uuids(context, uuids):
    f = m.instance_faults
    with _db(context).database.transaction() as conn:
        rows = conn.execute(sa.select(f).where(f.c.instance_uuid.in_(uuids))
                            .order_by(f.c.id.desc())).all()
    out = {}
    for r in rows:
        out.setdefault(r.instance_uuid, _row(r))
    return out
