"""JSON schemas for the shelve actions (nova/api/openstack/compute/schemas/shelve.py)."""
shelve = {"type": "object", "properties": {"shelve": {"type": ["null", "object"],
                                                      "additionalProperties": False}},
          "required": ["shelve"], "additionalProperties": False}
shelve_offload = {"type": "object", "properties": {
    "shelveOffload": {"type": ["null", "object"], "additionalProperties": False}},
    "required": ["shelveOffload"], "additionalProperties": False}
unshelve_v277 = {"type": "object", "properties": {"unshelve": {"oneOf": [
    {"type": "null"},
    {"type": "object", "properties": {"availability_zone": {"type": ["string", "null"]},
                                      "host": {"type": "string"}},
     "additionalProperties": False}]}}, "required": ["unshelve"],
    "additionalProperties": False}
unshelve = {"type": "object", "properties": {"unshelve": {"type": ["null", "object"]}},
            "required": ["unshelve"], "additionalProperties": False}
lock_v273 = {"type": "object", "properties": {"lock": {"oneOf": [
    {"type": "null"}, {"type": "object", "properties": {
        "locked_reason": {"type": "string", "minLength": 1, "maxLength": 255}},
        "additionalProperties": False}]}}, "required": ["lock"], "additionalProperties": False}
