"""JSON schemas for the migrate actions (nova/api/openstack/compute/schemas/migrate_server.py).

``os-migrateLive`` before 2.25 needs ``block_migration``, ``disk_over_commit`` and
``host``; 2.25 drops ``disk_over_commit`` and lets ``block_migration`` be ``"auto"``;
2.30 adds ``force``; 2.68 takes ``force`` away again (the same body as 2.25).
"""
import copy

from labkit.nova.api.openstack.compute.schemas.services import boolean, fqdn

host = dict(fqdn, type=["string", "null"])

migrate = {
    "type": "object",
    "properties": {"migrate": {"type": ["object", "null"], "properties": {"host": host},
                               "additionalProperties": False}},
    "required": ["migrate"], "additionalProperties": False}

migrate_live = {
    "type": "object",
    "properties": {"os-migrateLive": {
        "type": "object",
        "properties": {"block_migration": boolean, "disk_over_commit": boolean, "host": host},
        "required": ["block_migration", "disk_over_commit", "host"],
        "additionalProperties": False}},
    "required": ["os-migrateLive"], "additionalProperties": False}

migrate_live_v2_25 = copy.deepcopy(migrate_live)
_v225 = migrate_live_v2_25["properties"]["os-migrateLive"]
del _v225["properties"]["disk_over_commit"]
_v225["properties"]["block_migration"] = dict(boolean, enum=boolean["enum"] + ["auto"])
_v225["required"] = ["block_migration", "host"]

migrate_live_v2_30 = copy.deepcopy(migrate_live_v2_25)
migrate_live_v2_30["properties"]["os-migrateLive"]["properties"]["force"] = boolean

# 2.68 takes ``force`` away: the body is 2.25's again
migrate_live_v2_68 = copy.deepcopy(migrate_live_v2_25)
