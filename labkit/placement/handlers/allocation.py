"""Allocations: a consumer's claims on providers (the scheduler's claim is a PUT here).

Real placement: placement/handlers/allocation.py (list_for_consumer,
list_for_resource_provider, set_allocations_for_consumer, set_allocations,
delete_allocations) and placement/schemas/allocation.py.
"""
import functools

from labkit.placement.handlers import Handler
from labkit.placement.microversion import want
from labkit.placement.objects import allocation, resource_provider
from labkit.placement.util import extract_json, handler
from labkit.wsgi.app import json_response

UUID = {"type": "string", "pattern": "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                                     "[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"}
RESOURCES = {"type": "object", "minProperties": 1,
             "patternProperties": {"^[A-Z0-9_]+$": {"type": "integer", "minimum": 1}},
             "additionalProperties": False}
ALLOCATIONS_DICT = {"type": "object",
                    "patternProperties": {"^[0-9a-fA-F-]{32,36}$": {
                        "type": "object",
                        "properties": {"resources": RESOURCES,
                                       "generation": {"type": ["integer", "null"]}},
                        "required": ["resources"], "additionalProperties": False}},
                    "additionalProperties": False}
ALLOCATIONS_LIST = {"type": "array", "minItems": 1, "items": {
    "type": "object",
    "properties": {"resource_provider": {"type": "object", "properties": {"uuid": UUID},
                                         "required": ["uuid"]},
                   "resources": RESOURCES},
    "required": ["resource_provider", "resources"]}}


def consumer_schema(req):
    """PUT /allocations/{consumer}'s body schema at the requested microversion."""
    return _consumer_schema(want(req, "1.12"), want(req, "1.8"), want(req, "1.28"),
                            want(req, "1.38"))


@functools.lru_cache(maxsize=None)
def _consumer_schema(dict_style, v1_8, v1_28, v1_38):
    """Built once per combination, so its compiled validator is reused."""
    props = {"allocations": ALLOCATIONS_DICT if dict_style else ALLOCATIONS_LIST,
             "project_id": {"type": "string", "minLength": 1, "maxLength": 255},
             "user_id": {"type": "string", "minLength": 1, "maxLength": 255}}
    required = ["allocations"] + (["project_id", "user_id"] if v1_8 else [])
    if v1_28:
        props["consumer_generation"] = {"type": ["integer", "null"]}
        required.append("consumer_generation")
    if v1_38:
        props["consumer_type"] = {"type": "string"}
    schema = {"type": "object", "properties": props, "required": required,
              "additionalProperties": False}
    if dict_style and not v1_28:
        props["allocations"] = dict(ALLOCATIONS_DICT, minProperties=1)
    return schema


def post_schema(req):
    """POST /allocations' body schema at the requested microversion (from 1.13): each
    consumer's entry is PUT's body, its allocations possibly empty (placement's
    POST_ALLOCATIONS_V1_13, _V1_28, _V1_38)."""
    return _post_schema(want(req, "1.28"), want(req, "1.38"))


@functools.lru_cache(maxsize=None)
def _post_schema(v1_28, v1_38):
    """Built once per combination, as _consumer_schema."""
    schema = _consumer_schema(True, True, v1_28, v1_38)
    entry = dict(schema, properties=dict(schema["properties"], allocations=ALLOCATIONS_DICT))
    return {"type": "object", "minProperties": 1,
            "patternProperties": {"^[0-9a-fA-F-]{32,36}$": entry},
            "additionalProperties": False}


def _normalize(req, data):
    """Both body styles → ``{rp uuid: {RC: amount}}``."""
    if want(req, "1.12"):
        return {rp: entry["resources"] for rp, entry in data["allocations"].items()}
    return {a["resource_provider"]["uuid"]: a["resources"] for a in data["allocations"]}


class AllocationHandler(Handler):
    @handler("placement:allocations:list")
    def list_for_consumer(self, req, consumer_uuid):
        with self.db.transaction() as conn:
            allocations = allocation.get_consumer_allocations(conn, consumer_uuid)
            consumer = allocation.get_consumer(conn, consumer_uuid)
        if not want(req, "1.12"):
            allocations = {rp: {"generation": a["generation"], "resources": a["resources"]}
                           for rp, a in allocations.items()}
        body = {"allocations": allocations}
        if consumer and want(req, "1.12"):
            body["project_id"], body["user_id"] = consumer["project_id"], consumer["user_id"]
            if want(req, "1.28"):
                body["consumer_generation"] = consumer["generation"]
        return json_response(200, body)

    @handler("placement:allocations:update")
    def set_allocations_for_consumer(self, req, consumer_uuid):
        data = extract_json(req, consumer_schema(req))
        with self.db.transaction() as conn:   # check and write in one transaction
            allocation.replace_all(conn, consumer_uuid, _normalize(req, data),
                                   data.get("project_id", "<none>"),
                                   data.get("user_id", "<none>"),
                                   data.get("consumer_generation"),
                                   check_generation=want(req, "1.28"))
        return json_response(204)

    @handler("placement:allocations:manage", "1.13")
    def set_allocations(self, req):
        """POST /allocations: several consumers, all or nothing."""
        data = extract_json(req, post_schema(req))
        with self.db.transaction() as conn:
            for consumer_uuid, body in data.items():
                allocation.replace_all(conn, consumer_uuid, _normalize(req, body),
                                       body["project_id"], body["user_id"],
                                       body.get("consumer_generation"),
                                       check_generation=want(req, "1.28"))
        return json_response(204)

    @handler("placement:allocations:delete")
    def delete_allocations(self, req, consumer_uuid):
        with self.db.transaction() as conn:
            allocation.delete_consumer(conn, consumer_uuid)
        return json_response(204)

    @handler("placement:resource_providers:allocations:list")
    def list_for_resource_provider(self, req, uuid):
        with self.db.transaction() as conn:
            p = resource_provider.get(conn, uuid)
            return json_response(200, {
                "allocations": allocation.provider_allocations(conn, p),
                "resource_provider_generation": p["generation"]})
