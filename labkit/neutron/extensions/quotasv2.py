"""neutron's quotas: ``GET /v2.0/quotas/{project_id}`` (and ``/details``, ``/default``).

Real neutron: neutron/extensions/quotasv2.py (QuotaSetsController.show, and
quotasv2_detail.py's ``details``), the limits of neutron/conf/quota.py
(``[QUOTAS]quota_network`` = 100 ...) and the used counts of
neutron/db/quota/driver_nolock.py.  Only the resources of loaded extensions
have a quota: labkit's neutron has no L3 or RBAC extension, so no router,
floating IP or RBAC policy quota.

NOTE(labkit): read only: neutron's ``PUT`` and ``DELETE`` of a project's quota
(and its quotas table) are left out, so every project has the defaults.
"""
import sqlalchemy as sa

from labkit.keystone.middleware import request_context
from labkit.neutron import models as m
from labkit.neutron.exceptions import policy_error
from labkit.wsgi.app import json_response

# [QUOTAS] options, neutron's defaults (a negative value is unlimited)
DEFAULT_QUOTAS = {"network": 100, "subnet": 100, "port": 500, "security_group": 10,
                  "security_group_rule": 100}
_TABLES = {"network": m.networks, "subnet": m.subnets, "port": m.ports,
           "security_group": m.securitygroups, "security_group_rule": m.securitygrouprules}


class QuotaSetsController:
    def __init__(self, plugin):
        self.plugin = plugin

    @staticmethod
    def _check(req, project_id):
        """get_quota: ``rule:admin_only or project_id:%(project_id)s``."""
        context = request_context(req.environ)
        if not (context.is_admin or context.project_id == project_id):
            raise policy_error("get_quota")

    def _used(self, project_id):
        with self.plugin.db.transaction() as conn:
            return {name: conn.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.project_id == project_id)).scalar() for name, table in _TABLES.items()}

    def show(self, req, project_id):
        self._check(req, project_id)
        return json_response(200, {"quota": dict(DEFAULT_QUOTAS)})

    def default(self, req, project_id):
        self._check(req, project_id)
        return json_response(200, {"quota": dict(DEFAULT_QUOTAS)})

    def details(self, req, project_id):
        """Each limit with what the project uses (``reserved`` is always 0)."""
        self._check(req, project_id)
        used = self._used(project_id)
        return json_response(200, {"quota": {
            name: {"limit": limit, "used": used[name], "reserved": 0}
            for name, limit in DEFAULT_QUOTAS.items()}})
