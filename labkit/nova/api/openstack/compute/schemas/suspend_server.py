"""JSON schemas for suspend and resume (nova/api/openstack/compute/schemas/suspend_server.py).

As nova's, any value is accepted for the action's key (nova means to restrict it to null).
"""
suspend = {"type": "object", "properties": {"suspend": {}}, "required": ["suspend"],
           "additionalProperties": False}
resume = {"type": "object", "properties": {"resume": {}}, "required": ["resume"],
          "additionalProperties": False}
