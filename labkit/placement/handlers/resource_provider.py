"""Resource providers and their aggregates.

Real placement: placement/handlers/resource_provider.py and
placement/handlers/aggregate.py.
"""
from labkit.placement.handlers import Handler
from labkit.placement.microversion import want
from labkit.placement.objects import allocation_candidate, resource_provider
from labkit.placement.util import extract_json, handler
from labkit.wsgi.app import json_response

UUID = {"type": "string", "format": "uuid",
        "pattern": "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   "[0-9a-fA-F]{12}$"}
POST_SCHEMA = {"type": "object", "properties": {
    "name": {"type": "string", "maxLength": 200}, "uuid": UUID,
    "parent_provider_uuid": {"anyOf": [UUID, {"type": "null"}]}},
    "required": ["name"], "additionalProperties": False}
PUT_SCHEMA = dict(POST_SCHEMA, properties={k: v for k, v in POST_SCHEMA["properties"].items()
                                           if k != "uuid"})
AGG_LIST = {"type": "array", "items": UUID, "uniqueItems": True}
AGG_SCHEMA_1_19 = {"type": "object", "properties": {
    "aggregates": AGG_LIST, "resource_provider_generation": {"type": "integer"}},
    "required": ["aggregates", "resource_provider_generation"], "additionalProperties": False}


def serialize_provider(req, p):
    """_serialize_provider: fields and links as the requested microversion shows them."""
    base = f"/resource_providers/{p['uuid']}"
    links = [("self", ""), ("inventories", "/inventories"), ("usages", "/usages")]
    for version, rel in (("1.1", "aggregates"), ("1.6", "traits"), ("1.11", "allocations")):
        if want(req, version):
            links.append((rel, "/" + rel))
    out = {"uuid": p["uuid"], "name": p["name"], "generation": p["generation"],
           "links": [{"rel": rel, "href": base + tail} for rel, tail in links]}
    if want(req, "1.14"):
        out["parent_provider_uuid"] = p["parent_provider_uuid"]
        out["root_provider_uuid"] = p["root_provider_uuid"]
    return out


class ResourceProviderHandler(Handler):
    @handler("placement:resource_providers:list")
    def list_resource_providers(self, req):
        """GET /resource_providers?name=&uuid=&in_tree=&member_of=&required=&resources=."""
        from labkit.placement.handlers.allocation_candidate import parse_filters
        params = req.GET
        filters = parse_filters(req, params)
        with self.db.transaction() as conn:
            providers = allocation_candidate.find_providers(conn, **filters)
        for key in ("name", "uuid"):
            if key in params:
                providers = [p for p in providers if p[key] == params[key]]
        return json_response(200, {"resource_providers": [serialize_provider(req, p)
                                                          for p in providers]})

    @handler("placement:resource_providers:create")
    def create_resource_provider(self, req):
        data = extract_json(req, POST_SCHEMA)
        uuid = data.get("uuid") or self.ids.uuid4()
        with self.db.transaction() as conn:
            p = resource_provider.create(conn, uuid, data["name"],
                                         data.get("parent_provider_uuid"))
        headers = {"Location": f"/resource_providers/{uuid}"}
        if want(req, "1.20"):
            return json_response(200, serialize_provider(req, p), headers=headers)
        return json_response(201, headers=headers)

    @handler("placement:resource_providers:show")
    def get_resource_provider(self, req, uuid):
        with self.db.transaction() as conn:
            return json_response(200, serialize_provider(req, resource_provider.get(conn, uuid)))

    @handler("placement:resource_providers:update")
    def update_resource_provider(self, req, uuid):
        data = extract_json(req, PUT_SCHEMA)
        with self.db.transaction() as conn:
            return json_response(200, serialize_provider(
                req, resource_provider.update(conn, uuid, data["name"])))

    @handler("placement:resource_providers:delete")
    def delete_resource_provider(self, req, uuid):
        with self.db.transaction() as conn:
            resource_provider.delete(conn, uuid)
        return json_response(204)

    # -- aggregates ---------------------------------------------------------------------
    def _aggregates(self, req, conn, p):
        body = {"aggregates": resource_provider.get_aggregates(conn, p)}
        if want(req, "1.19"):
            body["resource_provider_generation"] = conn.execute(
                resource_provider._select().where(
                    resource_provider.rp.c.id == p["id"])).first().generation
        return json_response(200, body)

    @handler("placement:resource_providers:aggregates:list", "1.1")
    def get_aggregates(self, req, uuid):
        with self.db.transaction() as conn:
            return self._aggregates(req, conn, resource_provider.get(conn, uuid))

    @handler("placement:resource_providers:aggregates:update", "1.1")
    def set_aggregates(self, req, uuid):
        new_style = want(req, "1.19")
        data = extract_json(req, AGG_SCHEMA_1_19 if new_style else AGG_LIST)
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            if new_style:
                resource_provider.set_aggregates(conn, p, data["resource_provider_generation"],
                                                 data["aggregates"])
            else:
                resource_provider.set_aggregates(conn, p, None, data)
            return self._aggregates(req, conn, p)


