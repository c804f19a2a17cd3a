"""JSON schema for os-getConsoleOutput (nova/api/openstack/compute/schemas/console_output.py).

``length``: how many of the last lines; an integer, or a string of one, at least -1.
"""
get_console_output = {"type": "object", "properties": {"os-getConsoleOutput": {
    "type": "object", "properties": {"length": {
        "type": ["integer", "string", "null"], "pattern": "^-?[0-9]+$", "minimum": -1}},
    "additionalProperties": False}},
    "required": ["os-getConsoleOutput"], "additionalProperties": False}
