"""JSON schemas for os-keypairs (nova/api/openstack/compute/schemas/keypairs.py)."""
import copy

from labkit.nova.api.openstack.compute.schemas import servers
from labkit.nova.api.validation import for_version

# nova/api/validation/parameter_types.py: keypair_name_special_chars (and _v292)
keypair_name = {"allOf": [servers.name, {"type": "string", "pattern": r"^[_\- a-zA-Z0-9]+$",
                                         "minLength": 1, "maxLength": 255}]}
keypair_name_v292 = {"allOf": [servers.name, {"type": "string",
                                              "pattern": r"^[_\-\@\. a-zA-Z0-9]+$",
                                              "minLength": 1, "maxLength": 255}]}
_key_type = {"type": "string", "enum": ["ssh", "x509"]}


def _create(name, *extra):
    """The create body: ``name`` and ``public_key``, plus ``type`` (2.2), ``user_id`` (2.10)."""
    properties = {"name": name, "public_key": {"type": "string"}}
    properties.update({key: _key_type if key == "type" else {"type": "string"}
                       for key in extra})
    return {"type": "object", "properties": {"keypair": {
        "type": "object", "properties": properties, "required": ["name"],
        "additionalProperties": False}},
        "required": ["keypair"], "additionalProperties": False}


create = _create(keypair_name)
create_v22 = _create(keypair_name, "type")
create_v210 = _create(keypair_name, "type", "user_id")
create_v292 = _create(keypair_name_v292, "type", "user_id")
create_v292["properties"]["keypair"]["required"] = ["name", "public_key"]

# query parameters: each a list of values (parameter_types.multi_params)
_multi_string = {"type": "array", "items": {"type": "string"}}
_non_negative = {"type": "array", "items": {"type": ["integer", "string"], "pattern": "^[0-9]*$",
                                            "minimum": 0, "minLength": 1}}
index_query_v210 = {"type": "object", "properties": {"user_id": _multi_string},
                    "additionalProperties": True}
index_query_v235 = copy.deepcopy(index_query_v210)
index_query_v235["properties"].update(limit=_non_negative, marker=_multi_string)
index_query_v275 = dict(index_query_v235, additionalProperties=False)
show_query_v275 = dict(index_query_v210, additionalProperties=False)


def create_schema(version):
    return for_version(version, ("2.92", create_v292), ("2.10", create_v210),
                       ("2.2", create_v22), (None, create))


def index_query(version):
    return for_version(version, ("2.75", index_query_v275), ("2.35", index_query_v235),
                       (None, index_query_v210))


def show_query(version):
    """For show and delete alike."""
    return for_version(version, ("2.75", show_query_v275), (None, index_query_v210))
