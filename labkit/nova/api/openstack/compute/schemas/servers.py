"""JSON schemas for POST /servers (nova/api/openstack/compute/schemas/servers.py)."""
import copy

name = {"type": "string", "minLength": 1, "maxLength": 255,
        "pattern": r"^(?! )[^\x00-\x1f]*(?<! )$"}
positive_integer = {"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 1,
                    "minLength": 1}
network = {"type": "object", "properties": {
    "uuid": {"type": "string", "format": "uuid"}, "port": {"type": ["string", "null"]},
    "fixed_ip": {"type": "string", "format": "ipv4"}, "tag": {"type": "string"}},
    "additionalProperties": False}

_uuid = {"type": "string", "format": "uuid"}
# nova's _hints: the hints nova's own filters read are checked; others pass (a
# deployment's own filters may read them)
hints = {
    "type": "object",
    "properties": {
        "group": {"oneOf": [{"type": "array", "items": _uuid}, _uuid]},
        "different_host": {"oneOf": [_uuid, {"type": "array", "items": _uuid}]},
        "same_host": {"type": ["string", "array"], "items": _uuid},
    },
    "additionalProperties": True,
}

base_create = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": name,
                "imageRef": {"type": "string", "oneOf": [{"format": "uuid"},
                                                         {"maxLength": 0}]},
                "flavorRef": {"type": ["string", "integer"], "minLength": 1},
                "adminPass": {"type": "string"},
                "metadata": {"type": "object", "patternProperties": {
                    "^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string", "maxLength": 255}},
                    "additionalProperties": False},
                "networks": {"type": "array", "items": network},
                "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
                "accessIPv4": {"type": "string", "format": "ipv4"},
                "accessIPv6": {"type": "string", "format": "ipv6"},
                "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
                "key_name": {"type": "string", "minLength": 1, "maxLength": 255},
                "security_groups": {"type": "array", "items": {
                    "type": "object", "properties": {"name": {"type": "string"}},
                    "additionalProperties": False}},
                "user_data": {"type": "string", "format": "base64", "maxLength": 65535},
                "config_drive": {"type": ["boolean", "string"]},
                "min_count": positive_integer, "max_count": positive_integer,
                "return_reservation_id": {"type": ["boolean", "string"]},
                "block_device_mapping_v2": {"type": "array", "items": {"type": "object"}},
                "block_device_mapping": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["name", "flavorRef"],
            "additionalProperties": False,
        },
        "os:scheduler_hints": hints,
        "OS-SCH-HNT:scheduler_hints": hints,
    },
    "required": ["server"],
    "additionalProperties": False,
}

create_v219 = copy.deepcopy(base_create)
create_v219["properties"]["server"]["properties"]["description"] = {
    "type": ["string", "null"], "maxLength": 255, "pattern": r"^[^\x00-\x1f]*$"}

create_v237 = copy.deepcopy(create_v219)
create_v237["properties"]["server"]["properties"]["networks"] = {"oneOf": [
    {"type": "array", "items": network}, {"type": "string", "enum": ["none", "auto"]}]}
create_v237["properties"]["server"]["required"].append("networks")

create_v252 = copy.deepcopy(create_v237)
create_v252["properties"]["server"]["properties"]["tags"] = {
    "type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 60,
                               "pattern": "^[^,/]*$"}, "maxItems": 50}

# 2.74: an admin may name the host and/or the node (parameter_types.fqdn)
fqdn = {"type": "string", "pattern": "^[a-zA-Z0-9-._]*$", "minLength": 1, "maxLength": 255}
create_v274 = copy.deepcopy(create_v252)
create_v274["properties"]["server"]["properties"].update(host=fqdn, hypervisor_hostname=fqdn)

create_v290 = copy.deepcopy(create_v274)
create_v290["properties"]["server"]["properties"]["hostname"] = {
    "type": "string", "minLength": 2, "maxLength": 63}


def create_schema(version):
    for minimum, schema in (("2.90", create_v290), ("2.74", create_v274), ("2.52", create_v252),
                            ("2.37", create_v237), ("2.19", create_v219)):
        if version.matches(minimum):
            return schema
    return base_create


# the server actions servers.py handles itself (nova: schemas/servers.py)
reboot = {"type": "object", "properties": {"reboot": {
    "type": "object", "properties": {"type": {
        "type": "string", "enum": ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"]}},
    "required": ["type"], "additionalProperties": False}},
    "required": ["reboot"], "additionalProperties": False}
start_server = {"type": "object", "properties": {"os-start": {}}, "required": ["os-start"],
                "additionalProperties": False}
stop_server = {"type": "object", "properties": {"os-stop": {}}, "required": ["os-stop"],
               "additionalProperties": False}
resize = {"type": "object", "properties": {"resize": {
    "type": "object", "properties": {
        "flavorRef": {"type": ["string", "integer"], "minLength": 1},
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]}},
    "required": ["flavorRef"], "additionalProperties": False}},
    "required": ["resize"], "additionalProperties": False}
confirm_resize = {"type": "object", "properties": {"confirmResize": {}},
                  "required": ["confirmResize"], "additionalProperties": False}
revert_resize = {"type": "object", "properties": {"revertResize": {}},
                 "required": ["revertResize"], "additionalProperties": False}

# rebuild (nova: schemas/servers.py rebuild, rebuild_v219 ... rebuild_v294)
boolean = {"type": ["boolean", "string"],
           "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
                    False, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No",
                    "no"]}
_create_props = base_create["properties"]["server"]["properties"]
rebuild = {"type": "object", "properties": {"rebuild": {
    "type": "object",
    "properties": {
        "name": name, "imageRef": _uuid, "adminPass": {"type": "string"},
        "metadata": _create_props["metadata"], "preserve_ephemeral": boolean,
        "OS-DCF:diskConfig": _create_props["OS-DCF:diskConfig"],
        "accessIPv4": _create_props["accessIPv4"], "accessIPv6": _create_props["accessIPv6"],
        "personality": {"type": "array", "items": {
            "type": "object", "properties": {
                "path": {"type": "string"}, "contents": {"type": "string", "format": "base64"}},
            "additionalProperties": False}}},
    "required": ["imageRef"], "additionalProperties": False}},
    "required": ["rebuild"], "additionalProperties": False}


def _rebuild_version(base, drop=(), **add):
    schema = copy.deepcopy(base)
    props = schema["properties"]["rebuild"]["properties"]
    for key in drop:
        props.pop(key)
    props.update(add)
    return schema


rebuild_v219 = _rebuild_version(
    rebuild, description=create_v219["properties"]["server"]["properties"]["description"])
rebuild_v254 = _rebuild_version(rebuild_v219, key_name={"oneOf": [
    {"type": "string", "minLength": 1, "maxLength": 255}, {"type": "null"}]})
rebuild_v257 = _rebuild_version(rebuild_v254, drop=("personality",), user_data={
    "type": ["string", "null"], "format": "base64", "maxLength": 65535})
rebuild_v263 = _rebuild_version(rebuild_v257, trusted_image_certificates={
    "type": ["array", "null"], "minItems": 1, "maxItems": 50, "uniqueItems": True,
    "items": {"type": "string", "minLength": 1}})
rebuild_v290 = _rebuild_version(rebuild_v263, hostname={
    "type": "string", "pattern": "^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$",
    "minLength": 2, "maxLength": 63})
rebuild_v294 = _rebuild_version(rebuild_v290, hostname=fqdn)

