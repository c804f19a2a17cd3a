"""The limits document (nova/api/openstack/compute/views/limits.py:ViewBuilder).

Each quota becomes one or two ``max*`` names, and the counted ones a
``total*Used``; ``rate`` limits are long gone and always empty.
"""
LIMIT_NAMES = {
    "ram": ["maxTotalRAMSize"], "instances": ["maxTotalInstances"],
    "cores": ["maxTotalCores"], "key_pairs": ["maxTotalKeypairs"],
    "floating_ips": ["maxTotalFloatingIps"],
    "metadata_items": ["maxServerMeta", "maxImageMeta"],
    "injected_files": ["maxPersonality"],
    "injected_file_content_bytes": ["maxPersonalitySize"],
    "security_groups": ["maxSecurityGroups"],
    "security_group_rules": ["maxSecurityGroupRules"],
    "server_groups": ["maxServerGroups"], "server_group_members": ["maxServerGroupMembers"],
}
USED_NAMES = {"totalRAMUsed": "ram", "totalCoresUsed": "cores",
              "totalInstancesUsed": "instances", "totalFloatingIpsUsed": "floating_ips",
              "totalSecurityGroupsUsed": "security_groups",
              "totalServerGroupsUsed": "server_groups"}


def build(quotas, filtered_limits=(), max_image_meta=True):
    """``quotas``: {resource: {"limit", "in_use"}} (QuotaEngine.get_project_quotas)."""
    absolute = {}
    for name, value in quotas.items():
        if name in LIMIT_NAMES and value["limit"] is not None and name not in filtered_limits:
            for limit_name in LIMIT_NAMES[name]:
                if max_image_meta or limit_name != "maxImageMeta":
                    absolute[limit_name] = value["limit"]
    absolute.update((shown, quotas[key]["in_use"]) for shown, key in USED_NAMES.items()
                    if key in quotas and key not in filtered_limits)
    return {"limits": {"rate": [], "absolute": absolute}}
