"""JSON schemas for os-quota-sets (nova/api/openstack/compute/schemas/quota_sets.py)."""
import copy

from labkit.nova.api.validation import for_version

# -1 is unlimited; at most the database's MAX_INT (nova/db/constants.py)
_common_quota = {"type": ["integer", "string"], "pattern": "^-?[0-9]+$", "minimum": -1,
                 "maximum": 0x7FFFFFFF}
# parameter_types.boolean
boolean = {"type": ["boolean", "string"],
           "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
                    False, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No",
                    "no"]}
RESOURCES = ("instances", "cores", "ram", "floating_ips", "fixed_ips", "metadata_items",
             "key_pairs", "security_groups", "security_group_rules", "injected_files",
             "injected_file_content_bytes", "injected_file_path_bytes", "server_groups",
             "server_group_members")
# what 2.36 (the network proxies) and 2.57 (personality files) took out
FILTERED_QUOTAS_v236 = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"]
FILTERED_QUOTAS_v257 = FILTERED_QUOTAS_v236 + ["injected_files", "injected_file_content_bytes",
                                               "injected_file_path_bytes"]


def _update(filtered):
    properties = {r: _common_quota for r in RESOURCES if r not in filtered}
    properties["force"] = boolean
    return {"type": "object", "properties": {"quota_set": {
        "type": "object", "properties": properties, "additionalProperties": False}},
        "required": ["quota_set"], "additionalProperties": False}


update, update_v236, update_v257 = map(_update, ([], FILTERED_QUOTAS_v236,
                                                 FILTERED_QUOTAS_v257))

show_query = {"type": "object", "properties": {
    "user_id": {"type": "array", "items": {"type": "string"}}},
    "additionalProperties": True}
show_query_v275 = dict(copy.deepcopy(show_query), additionalProperties=False)


def filtered_quotas(version):
    return for_version(version, ("2.57", FILTERED_QUOTAS_v257), ("2.36", FILTERED_QUOTAS_v236),
                       (None, []))


def update_schema(version):
    return for_version(version, ("2.57", update_v257), ("2.36", update_v236), (None, update))


def query(version):
    """show, detail, update and delete take ``user_id`` (and, from 2.75, nothing else)."""
    return for_version(version, ("2.75", show_query_v275), (None, show_query))
