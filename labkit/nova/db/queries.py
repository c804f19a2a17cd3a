"""Nova's hot SQL, built once: every value a bind parameter.

Building a SQLAlchemy statement costs about three times running it, so the
statements nova's database API runs on every request are built here, once.
Those every request repeats (a polled instance, each save, each action event)
are prepared (``labkit.db.Prepared``) to run straight on the SQLite cursor.
Real nova builds them through its ORM query helpers (nova/db/main/api.py:
model_query).
NOTE(labkit): nova has no module of prebuilt statements; this one serves
labkit's nova/db API and has no upstream counterpart to link to.
"""
import sqlalchemy as sa

from labkit.db import Prepared
from labkit.nova.db import models as m

STATE_KEYS = ("vm_state", "task_state", "power_state", "host")

INSTANCE_BY_UUID = Prepared(sa.select(m.instances).where(
    m.instances.c.uuid == sa.bindparam("uuid"), m.instances.c.deleted == 0))
INSTANCE_BY_UUID_ANY = Prepared(sa.select(m.instances).where(
    m.instances.c.uuid == sa.bindparam("uuid")))
BUILD_REQUEST_BY_UUID = Prepared(sa.select(m.build_requests).where(
    m.build_requests.c.instance_uuid == sa.bindparam("uuid")))
INSTANCE_STATES_BY_UUID = Prepared(sa.select(
    m.instances.c.id, *(m.instances.c[k] for k in STATE_KEYS)).where(
    m.instances.c.uuid == sa.bindparam("uuid"), m.instances.c.deleted == 0))


def _insert(table):
    """An INSERT of every column but the integer key (a row leaves out what it lacks)."""
    return Prepared(table.insert(), columns=tuple(c.name for c in table.columns
                                                  if c.name != "id"))


INSTANCE_INSERT, ACTION_INSERT, BUILD_REQUEST_INSERT, SPEC_INSERT, MAPPING_INSERT = map(
    _insert, (m.instances, m.instance_actions, m.build_requests, m.request_specs,
              m.instance_mappings))
FLAVOR_BY_FLAVORID = Prepared(sa.select(m.flavors).where(
    m.flavors.c.flavorid == sa.bindparam("flavorid")))
EVENT_INSERT = Prepared(m.instance_actions_events.insert().values(
    {c: sa.bindparam(f"v_{c}") for c in ("action_id", "event", "start_time", "host")}))
EVENT_FINISH = Prepared(m.instance_actions_events.update().where(
    m.instance_actions_events.c.action_id == sa.bindparam("_action_id"),
    m.instance_actions_events.c.event == sa.bindparam("_event"),
    m.instance_actions_events.c.finish_time.is_(None)).values(
    {c: sa.bindparam(f"v_{c}") for c in ("finish_time", "result", "traceback")}))
ACTION_FINISH = {with_message: Prepared(m.instance_actions.update().where(
    m.instance_actions.c.id == sa.bindparam("_action_id")).values(
    {c: sa.bindparam(f"v_{c}") for c in ("finish_time", "updated_at")
     + (("message",) if with_message else ())})) for with_message in (False, True)}
ACTION_BY_REQUEST = Prepared(sa.select(m.instance_actions).where(
    m.instance_actions.c.instance_uuid == sa.bindparam("uuid"),
    m.instance_actions.c.request_id == sa.bindparam("request_id")).order_by(
    m.instance_actions.c.id.desc()))
ACTION_LAST_CREATED = Prepared(sa.select(m.instance_actions).where(
    m.instance_actions.c.instance_uuid == sa.bindparam("uuid")).order_by(
    m.instance_actions.c.id.desc()).limit(1))
BUILD_REQUEST_DESTROY = Prepared(m.build_requests.delete().where(
    m.build_requests.c.instance_uuid == sa.bindparam("uuid")))
MAPPING_BY_UUID = Prepared(sa.select(m.instance_mappings).where(
    m.instance_mappings.c.instance_uuid == sa.bindparam("uuid")))
SPEC_BY_UUID = Prepared(sa.select(m.request_specs.c.spec).where(
    m.request_specs.c.instance_uuid == sa.bindparam("uuid")))
SPEC_UPDATE = m.request_specs.update().where(
    m.request_specs.c.instance_uuid == sa.bindparam("uuid"))

