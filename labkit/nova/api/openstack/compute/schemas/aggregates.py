"""JSON schemas for os-aggregates (nova/api/openstack/compute/schemas/aggregates.py)."""
from labkit.nova.api.openstack.compute.schemas.servers import name
from labkit.nova.api.openstack.compute.schemas.services import fqdn

# parameter_types.az_name: printable, no ':', no leading or trailing whitespace
# (nova: oneOf az_name or null; one schema with both types says the same)
_availability_zone = {"type": ["string", "null"], "minLength": 1, "maxLength": 255,
                      "pattern": r"^(?!\s)[^\x00-\x1f:]*(?<!\s)$"}

create = {
    "type": "object",
    "properties": {
        "aggregate": {
            "type": "object",
            "properties": {"name": name, "availability_zone": _availability_zone},
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["aggregate"],
    "additionalProperties": False,
}

update = {
    "type": "object",
    "properties": {
        "aggregate": {
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 255,
                                    "pattern": r"^[^\x00-\x1f]*\S[^\x00-\x1f]*$"},
                           "availability_zone": _availability_zone},
            "additionalProperties": False,
            "anyOf": [{"required": ["name"]}, {"required": ["availability_zone"]}],
        },
    },
    "required": ["aggregate"],
    "additionalProperties": False,
}


def _host_action(action):
    return {
        "type": "object",
        "properties": {action: {"type": "object", "properties": {"host": fqdn},
                                "required": ["host"], "additionalProperties": False}},
        "required": [action],
        "additionalProperties": False,
    }


add_host = _host_action("add_host")
remove_host = _host_action("remove_host")

# parameter_types.metadata_with_null
set_metadata = {
    "type": "object",
    "properties": {
        "set_metadata": {
            "type": "object",
            "properties": {"metadata": {
                "type": "object",
                "patternProperties": {"^[a-zA-Z0-9-_:. ]{1,255}$": {
                    "type": ["string", "null"], "maxLength": 255}},
                "additionalProperties": False}},
            "required": ["metadata"],
            "additionalProperties": False,
        },
    },
    "required": ["set_metadata"],
    "additionalProperties": False,
}
