"""JSON schemas for os-services (nova/api/openstack/compute/schemas/services.py)."""
import copy

# nova/api/validation/parameter_types.py: fqdn and boolean
fqdn = {"type": "string", "pattern": "^[a-zA-Z0-9-._]*$", "minLength": 1, "maxLength": 255}
boolean = {"type": ["boolean", "string"],
           "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
                    False, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No",
                    "no"]}
_reason = {"type": "string", "minLength": 1, "maxLength": 255}

update = {
    "type": "object",
    "properties": {
        "host": fqdn,
        "binary": {"type": "string", "minLength": 1, "maxLength": 255},
        "disabled_reason": _reason,
    },
    "required": ["host", "binary"],
    "additionalProperties": False,
}

update_v211 = copy.deepcopy(update)
update_v211["properties"]["forced_down"] = boolean

# 2.53: the service is named by its uuid in the path; status and/or forced_down
update_v253 = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "disabled_reason": _reason,
        "forced_down": boolean,
    },
    "additionalProperties": False,
}

# GET /os-services: host and binary (each query parameter a list of values); from
# 2.75 no other parameter is allowed
index_query = {
    "type": "object",
    "properties": {"host": {"type": "array", "items": {"type": "string"}},
                   "binary": {"type": "array", "items": {"type": "string"}}},
    "additionalProperties": True,
}
index_query_v275 = copy.deepcopy(index_query)
index_query_v275["additionalProperties"] = False
