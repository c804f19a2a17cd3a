"""JSON schemas for pause and unpause (nova/api/openstack/compute/schemas/pause_server.py).

As nova's, any value is accepted for the action's key (nova means to restrict it to null).
"""
pause = {"type": "object", "properties": {"pause": {}}, "required": ["pause"],
         "additionalProperties": False}
unpause = {"type": "object", "properties": {"unpause": {}}, "required": ["unpause"],
           "additionalProperties": False}
