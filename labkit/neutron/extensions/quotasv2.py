"""neutron's quotas: ``GET /v2.0/quotas/{project_id}`` (and ``/details``, ``/default``).

Real neutron: neutron/extensions/quotasv2.py (QuotaSetsController.show, and
quotasv2_detail.py's ``details``), the limits of neutron/conf/quota.py
(``[QUOTAS]quota_network`` = 100 ...) and the used counts of
neutron/db/quota/driver_nolock.py.  Only the resources of loaded extensions
have a quota: labkit's neutron has no L3 or RBAC extension, so no router,
floating IP or RBAC policy quota.  Who may read a project's quota is
neutron/conf/policies/quotas.py's get_quota: an admin, or a ``manager`` of
the project (``lib_rules.ADMIN_OR_PROJECT_MANAGER``; a plain member may not),
and pecan's policy hook answers a refused GET with its bare 404 document
(neutron/pecan_wsgi/hooks/policy_enforcement.py:PolicyHook.after).

NOTE(labkit): read only: neutron's ``PUT`` and ``DELETE`` of a project's quota
(and its quotas table) are left out, so every project has the defaults.
"""
import sqlalchemy as sa

from labkit.keystonemiddleware.auth_token import request_context
from labkit.neutron.db import models_v2 as m
from labkit.neutron.db.models import securitygroup as sg_models
from labkit.wsgi.app import json_response

# [QUOTAS] options, neutron's defaults (a negative value is unlimited)
DEFAULT_QUOTAS = {"network": 100, "subnet": 100, "port": 500, "security_group": 10,
                  "security_group_rule": 100}
_TABLES = {"network": m.networks, "subnet": m.subnets, "port": m.ports,
           "security_group": sg_models.securitygroups,
           "security_group_rule": sg_models.securitygrouprules}


class QuotaSetsController:
    def __init__(self, plugin):
        self.plugin = plugin

    @staticmethod
    def _refused(req, project_id):
        """None if get_quota allows it, ``(role:admin) or (role:manager and
        project_id:%(project_id)s)``; else PolicyHook.after's 404, a bare
        ``{"type", "message", "detail"}`` with no NeutronError around it."""
        context = request_context(req.environ)
        if context.is_admin or ("manager" in context.roles and
                                context.project_id == project_id):
            return None
        return json_response(404, {"type": "HTTPNotFound", "detail": "",
                                   "message": "The resource could not be found."})

    def _used(self, project_id):
        with self.plugin.db.transaction() as conn:
            return {name: conn.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.project_id == project_id)).scalar() for name, table in _TABLES.items()}

    def show(self, req, project_id):
        return self._refused(req, project_id) or \
            json_response(200, {"quota": dict(DEFAULT_QUOTAS)})

    def default(self, req, project_id):
        return self.show(req, project_id)

    def details(self, req, project_id):
        """Each limit with what the project uses (``reserved`` is always 0)."""
        refused = self._refused(req, project_id)
        if refused is not None:
            return refused
        used = self._used(project_id)
        return json_response(200, {"quota": {
            name: {"limit": limit, "used": used[name], "reserved": 0}
            for name, limit in DEFAULT_QUOTAS.items()}})
