"""The Quotas object: the limits an operator set, read from and written to the API database.

Real nova: nova/objects/quotas.py (Quotas and its ``_*_in_db`` queries of the
``quotas``, ``project_user_quotas`` and ``quota_classes`` tables).  A row is a
limit that differs from the default; a resource with no row takes the
"default" quota class's limit, else the ``[quota]`` option (nova/quota.py).

NOTE(labkit): nova also looks in the cell database's legacy quota tables
(main_db_api.quota_get_all_by_project ...), empty since Pike's migration; labkit
has the API database's only.  Counting and checking (Quotas.count_as_dict,
check_deltas) live on labkit's QuotaEngine (labkit/nova/quota.py), which each
lab builds from its own ``[quota]`` options, where nova's object calls the
process-wide ``quota.QUOTAS``.
"""
import sqlalchemy as sa

from labkit.db import Prepared
from labkit.nova import exception
from labkit.nova.db import models as m
from labkit.nova.db.api import _db
from labkit.nova.objects.base import NovaObject, remotable_classmethod

DEFAULT_QUOTA_NAME = "default"           # nova/db/main/api.py:_DEFAULT_QUOTA_NAME
# quotas set for a user still apply to the whole project (nova/db/main/api.py)
PER_PROJECT_QUOTAS = ("fixed_ips", "floating_ips", "networks")

_q, _u, _c = m.quotas.c, m.project_user_quotas.c, m.quota_classes.c
# read on every POST /servers: prepared
_PROJECT = Prepared(sa.select(_q.resource, _q.hard_limit).where(
    _q.project_id == sa.bindparam("project_id")))
_PROJECT_USER = Prepared(sa.select(_u.resource, _u.hard_limit).where(
    _u.project_id == sa.bindparam("project_id"), _u.user_id == sa.bindparam("user_id")))
_CLASS = Prepared(sa.select(_c.resource, _c.hard_limit).where(
    _c.class_name == sa.bindparam("class_name")))


def _limits(query, params, context, **ids):
    with _db(context).database.transaction() as conn:
        rows = query.tuples(conn, params)
    return dict(ids, **{resource: limit for resource, limit in rows})


def _per_user(resource, user_id):
    return bool(user_id) and resource not in PER_PROJECT_QUOTAS


class Quotas(NovaObject):
    VERSION = "1.3"
    fields = ("reservations", "project_id", "user_id")

    # -- reads ---------------------------------------------------------------------------
    @classmethod
    def get_all_by_project(cls, context, project_id):
        """{"project_id": ..., resource: limit} for the limits set on a project."""
        return _limits(_PROJECT, {"project_id": project_id}, context, project_id=project_id)

    @classmethod
    def get_all_by_project_and_user(cls, context, project_id, user_id):
        return _limits(_PROJECT_USER, {"project_id": project_id, "user_id": user_id},
                       context, project_id=project_id, user_id=user_id)

    @classmethod
    def get_all(cls, context, project_id):
        """Every per-user limit set in a project (the rows)."""
        with _db(context).database.transaction() as conn:
            rows = conn.execute(sa.select(m.project_user_quotas).where(
                _u.project_id == project_id)).all()
        return [dict(r._mapping) for r in rows]

    @classmethod
    def get_all_class_by_name(cls, context, class_name):
        return _limits(_CLASS, {"class_name": class_name}, context, class_name=class_name)

    @classmethod
    def get_default_class(cls, context):
        return cls.get_all_class_by_name(context, DEFAULT_QUOTA_NAME)

    # -- writes --------------------------------------------------------------------------
    @remotable_classmethod
    def create_limit(cls, context, project_id, resource, limit, user_id=None):
        """A new limit; QuotaExists if the project (or user) has one for ``resource``."""
        per_user = _per_user(resource, user_id)
        table = m.project_user_quotas if per_user else m.quotas
        values = {"project_id": project_id, "resource": resource, "hard_limit": limit}
        if per_user:
            values["user_id"] = user_id
        handle = _db(context)
        with handle.database.transaction() as conn:      # one writer at a time
            if conn.execute(sa.select(table.c.id).filter_by(**{
                    k: v for k, v in values.items() if k != "hard_limit"})).first():
                raise exception.QuotaExists(project_id=project_id, resource=resource)
            conn.execute(table.insert(), values)
        handle.record(context, "quota_create", values)

    @remotable_classmethod
    def update_limit(cls, context, project_id, resource, limit, user_id=None):
        per_user = _per_user(resource, user_id)
        table = m.project_user_quotas if per_user else m.quotas
        query = table.update().where(table.c.project_id == project_id,
                                     table.c.resource == resource)
        if per_user:
            query = query.where(table.c.user_id == user_id)
        handle = _db(context)
        with handle.database.transaction() as conn:
            changed = conn.execute(query.values(hard_limit=limit)).rowcount
        if not changed:
            if per_user:
                raise exception.ProjectUserQuotaNotFound(project_id=project_id,
                                                         user_id=user_id)
            raise exception.ProjectQuotaNotFound(project_id=project_id)
        handle.record(context, "quota_update", {"project_id": project_id,
                                                "resource": resource, "hard_limit": limit})

    @remotable_classmethod
    def destroy_all_by_project(cls, context, project_id):
        """Every limit set on a project and its users: back to the defaults."""
        handle = _db(context)
        with handle.database.transaction() as conn:
            per_project = conn.execute(m.quotas.delete().where(
                _q.project_id == project_id)).rowcount
            per_user = conn.execute(m.project_user_quotas.delete().where(
                _u.project_id == project_id)).rowcount
        if not per_project and not per_user:
            raise exception.ProjectQuotaNotFound(project_id=project_id)
        handle.record(context, "quota_destroy_all_by_project", {"project_id": project_id})

    @remotable_classmethod
    def destroy_all_by_project_and_user(cls, context, project_id, user_id):
        handle = _db(context)
        with handle.database.transaction() as conn:
            deleted = conn.execute(m.project_user_quotas.delete().where(
                _u.project_id == project_id, _u.user_id == user_id)).rowcount
        if not deleted:
            raise exception.ProjectUserQuotaNotFound(project_id=project_id, user_id=user_id)
        handle.record(context, "quota_destroy_all_by_project_and_user",
                      {"project_id": project_id, "user_id": user_id})
