"""A provider's inventories: replace all, show, delete.

Real placement: placement/handlers/inventory.py.
"""
from labkit.placement.errors import PlacementError
from labkit.placement.handlers import Handler
from labkit.placement.microversion import want
from labkit.placement.models import MAX_INT
from labkit.placement.objects import resource_provider
from labkit.placement.util import extract_json, handler
from labkit.wsgi.app import json_response

DEFAULTS = {"reserved": 0, "min_unit": 1, "max_unit": MAX_INT, "step_size": 1,
            "allocation_ratio": 1.0}
_INT = {"type": "integer", "maximum": MAX_INT}
INVENTORY = {"type": "object", "properties": {
    "total": dict(_INT, minimum=1), "reserved": dict(_INT, minimum=0),
    "min_unit": dict(_INT, minimum=1), "max_unit": dict(_INT, minimum=1),
    "step_size": dict(_INT, minimum=1),
    "allocation_ratio": {"type": "number", "maximum": 3.40282e+38, "exclusiveMinimum": 0}},
    "required": ["total"], "additionalProperties": False}
PUT_SCHEMA = {"type": "object", "properties": {
    "resource_provider_generation": {"type": "integer"},
    "inventories": {"type": "object",
                    "patternProperties": {"^[A-Z0-9_]+$": INVENTORY},
                    "additionalProperties": False}},
    "required": ["resource_provider_generation", "inventories"], "additionalProperties": False}


def _validate(req, provider, inventories):
    """Fill in defaults; reserved may not exceed total (nor equal it before 1.26)."""
    out = {}
    for rc, inv in inventories.items():
        inv = dict(DEFAULTS, **inv)
        bad = inv["reserved"] > inv["total"] or (
            inv["reserved"] == inv["total"] and not want(req, "1.26"))
        if bad:
            raise PlacementError(400, f"Unable to update inventory for resource provider "
                                      f"{provider['uuid']}: Invalid inventory for '{rc}' on "
                                      f"resource provider '{provider['uuid']}'. The reserved "
                                      "value is greater than or equal to total.")
        if inv["min_unit"] > inv["max_unit"]:
            raise PlacementError(400, f"Unable to update inventory for resource provider "
                                      f"{provider['uuid']}: Invalid inventory for '{rc}'. "
                                      "min_unit is greater than max_unit.")
        out[rc] = inv
    return out


class InventoryHandler(Handler):
    def _reply(self, conn, uuid):
        p = resource_provider.get(conn, uuid)
        return json_response(200, {"inventories": resource_provider.get_inventories(conn, p),
                                   "resource_provider_generation": p["generation"]})

    @handler("placement:resource_providers:inventories:list")
    def get_inventories(self, req, uuid):
        with self.db.transaction() as conn:
            return self._reply(conn, uuid)

    @handler("placement:resource_providers:inventories:show")
    def get_inventory(self, req, uuid, resource_class):
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            inventories = resource_provider.get_inventories(conn, p)
        if resource_class not in inventories:
            raise PlacementError(404, f"No inventory of class {resource_class} for {uuid}")
        return json_response(200, dict(inventories[resource_class],
                                       resource_provider_generation=p["generation"]))

    @handler("placement:resource_providers:inventories:update")
    def set_inventories(self, req, uuid):
        data = extract_json(req, PUT_SCHEMA)
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            inventories = _validate(req, p, data["inventories"])
            resource_provider.set_inventories(conn, p, data["resource_provider_generation"],
                                              inventories)
            return self._reply(conn, uuid)

    @handler("placement:resource_providers:inventories:delete", "1.5")
    def delete_inventories(self, req, uuid):
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            resource_provider.set_inventories(conn, p, p["generation"], {})
        return json_response(204)
