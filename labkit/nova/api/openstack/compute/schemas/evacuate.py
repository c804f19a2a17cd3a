"""JSON schemas for the evacuate action (nova/api/openstack/compute/schemas/evacuate.py)."""
import copy

from labkit.nova.api.openstack.compute.schemas.servers import boolean, fqdn

evacuate = {"type": "object", "properties": {"evacuate": {
    "type": "object",
    "properties": {"host": fqdn, "onSharedStorage": boolean, "adminPass": {"type": "string"}},
    "required": ["onSharedStorage"], "additionalProperties": False}},
    "required": ["evacuate"], "additionalProperties": False}

# 2.14: no more onSharedStorage (nova asks the driver)
evacuate_v214 = copy.deepcopy(evacuate)
del evacuate_v214["properties"]["evacuate"]["properties"]["onSharedStorage"]
del evacuate_v214["properties"]["evacuate"]["required"]

# 2.29: ``force`` skips the scheduler for the named host; 2.68 takes it away again
evacuate_v229 = copy.deepcopy(evacuate_v214)
evacuate_v229["properties"]["evacuate"]["properties"]["force"] = boolean

# 2.68 is 2.14's body; 2.95 keeps it (but the server ends stopped)
evacuate_v268 = copy.deepcopy(evacuate_v214)
