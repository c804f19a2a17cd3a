"""JSON schemas for os-server-groups (nova/api/openstack/compute/schemas/server_groups.py).

NOTE(labkit): nova's ``policies`` uses ``prefixItems``; labkit validates with
Draft 4, whose tuple form is ``items`` as a list.
"""
import copy

from labkit.nova.api.openstack.compute.schemas.servers import name, positive_integer

create = {
    "type": "object",
    "properties": {
        "server_group": {
            "type": "object",
            "properties": {
                "name": name,
                "policies": {
                    # one item only, one of these; a single string ``policy`` from 2.64
                    "type": "array",
                    "items": [{"type": "string", "enum": ["anti-affinity", "affinity"]}],
                    "uniqueItems": True, "minItems": 1, "maxItems": 1,
                    "additionalItems": False,
                },
            },
            "required": ["name", "policies"],
            "additionalProperties": False,
        },
    },
    "required": ["server_group"],
    "additionalProperties": False,
}

create_v215 = copy.deepcopy(create)
create_v215["properties"]["server_group"]["properties"]["policies"]["items"][0]["enum"].extend(
    ["soft-anti-affinity", "soft-affinity"])

create_v264 = copy.deepcopy(create_v215)
_group = create_v264["properties"]["server_group"]
del _group["properties"]["policies"]
_group["required"] = ["name", "policy"]
_group["properties"]["policy"] = {
    "type": "string", "enum": ["anti-affinity", "affinity", "soft-anti-affinity",
                               "soft-affinity"]}
_group["properties"]["rules"] = {
    "type": "object", "properties": {"max_server_per_host": positive_integer},
    "additionalProperties": False}

# GET /os-server-groups (parameter_types.non_negative_integer, each a list of values)
_non_negative_integer = {"type": "array", "items": {
    "type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 0, "minLength": 1}}
index_query = {
    "type": "object",
    "properties": {"all_projects": {"type": "array", "items": {"type": "string"}},
                   "limit": _non_negative_integer, "offset": _non_negative_integer},
    "additionalProperties": True,
}
index_query_v275 = copy.deepcopy(index_query)
index_query_v275["additionalProperties"] = False
