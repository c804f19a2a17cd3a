"""Traits and resource classes, globally and on one provider.

Real placement: placement/handlers/trait.py and
placement/handlers/resource_class.py.
"""
import sqlalchemy as sa

from labkit.placement import models
from labkit.placement.errors import PlacementError
from labkit.placement.handlers import Handler
from labkit.placement.objects import names, resource_provider
from labkit.placement.util import extract_json, handler
from labkit.wsgi.app import json_response

PUT_TRAITS = {"type": "object", "properties": {
    "traits": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z0-9_]+$"},
               "uniqueItems": True},
    "resource_provider_generation": {"type": "integer"}},
    "required": ["traits", "resource_provider_generation"], "additionalProperties": False}


class TraitHandler(Handler):
    @handler("placement:traits:list", "1.6")
    def list_traits(self, req):
        """GET /traits?name=in:A,B|startswith:X&associated=true|false."""
        with self.db.transaction() as conn:
            traits = sorted(names.trait_map(conn))
            if "associated" in req.GET:
                rpt, t = models.resource_provider_traits, models.traits
                used = {r.name for r in conn.execute(
                    sa.select(t.c.name).select_from(rpt.join(t, t.c.id == rpt.c.trait_id)))}
                keep = req.GET["associated"].lower() == "true"
                traits = [n for n in traits if (n in used) == keep]
        name = req.GET.get("name", "")
        if name.startswith("in:"):
            wanted = set(name[3:].split(","))
            traits = [n for n in traits if n in wanted]
        elif name.startswith("startswith:"):
            traits = [n for n in traits if n.startswith(name[11:])]
        elif name:
            raise PlacementError(400, f"Badly formatted name parameter. Expected name query "
                                      f"string parameter in form: ?name=[in|startswith]:"
                                      f"[name1,name2|prefix]. Got: \"{name}\"")
        return json_response(200, {"traits": traits})

    @handler("placement:traits:show", "1.6")
    def get_trait(self, req, name):
        with self.db.transaction() as conn:
            if name not in names.trait_map(conn):
                raise PlacementError(404, f"No such trait(s): {name}")
        return json_response(204)

    @handler("placement:traits:update", "1.6")
    def put_trait(self, req, name):
        with self.db.transaction() as conn:
            created = names.create_custom(conn, models.traits, name)
        return json_response(201 if created else 204,
                             headers={"Location": f"/traits/{name}"})

    # -- on one provider -------------------------------------------------------------------
    def _reply(self, conn, uuid):
        p = resource_provider.get(conn, uuid)
        return json_response(200, {"traits": resource_provider.get_traits(conn, [p["id"]])[p["id"]],
                                   "resource_provider_generation": p["generation"]})

    @handler("placement:resource_providers:traits:list", "1.6")
    def list_traits_for_resource_provider(self, req, uuid):
        with self.db.transaction() as conn:
            return self._reply(conn, uuid)

    @handler("placement:resource_providers:traits:update", "1.6")
    def update_traits_for_resource_provider(self, req, uuid):
        data = extract_json(req, PUT_TRAITS)
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            resource_provider.set_traits(conn, p, data["resource_provider_generation"],
                                         data["traits"])
            return self._reply(conn, uuid)

    @handler("placement:resource_providers:traits:delete", "1.6")
    def delete_traits_for_resource_provider(self, req, uuid):
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            resource_provider.set_traits(conn, p, p["generation"], [])
        return json_response(204)

    # -- resource classes ---------------------------------------------------------------------
    @handler("placement:resource_classes:list", "1.2")
    def list_resource_classes(self, req):
        with self.db.transaction() as conn:
            classes = sorted(names.resource_classes(conn).items(), key=lambda kv: kv[1])
        return json_response(200, {"resource_classes": [
            {"name": name, "links": [{"rel": "self", "href": f"/resource_classes/{name}"}]}
            for name, _ in classes]})

    @handler("placement:resource_classes:show", "1.2")
    def get_resource_class(self, req, name):
        with self.db.transaction() as conn:
            if name not in names.resource_classes(conn):
                raise PlacementError(404, f"No such resource class {name}.")
        return json_response(200, {"name": name, "links": [
            {"rel": "self", "href": f"/resource_classes/{name}"}]})

    @handler("placement:resource_classes:update", "1.7")
    def put_resource_class(self, req, name):
        with self.db.transaction() as conn:
            created = names.create_custom(conn, models.resource_classes, name)
        return json_response(201 if created else 204,
                             headers={"Location": f"/resource_classes/{name}"})
