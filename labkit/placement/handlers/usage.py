"""Usages: per provider, and per project (what quota checks read).

Real placement: placement/handlers/usage.py.
"""
from labkit.placement.errors import PlacementError
from labkit.placement.handlers import Handler
from labkit.placement.objects import allocation, resource_provider
from labkit.placement.util import handler
from labkit.wsgi.app import json_response


class UsageHandler(Handler):
    @handler("placement:resource_providers:usages")
    def list_usages(self, req, uuid):
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            return json_response(200, {"usages": allocation.provider_usages(conn, p),
                                       "resource_provider_generation": p["generation"]})

    @handler("placement:usages", "1.9")
    def get_total_usages(self, req):
        if "project_id" not in req.GET:
            raise PlacementError(400, "Invalid query string parameters: 'project_id' is a "
                                      "required property")
        with self.db.transaction() as conn:
            usages = allocation.project_usages(conn, req.GET["project_id"],
                                               req.GET.get("user_id"))
        return json_response(200, {"usages": usages})
