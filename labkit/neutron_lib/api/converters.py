"""The converters neutron's API applies to request attributes before validating them.

Real neutron-lib: neutron_lib/api/converters.py (convert_to_boolean: a
boolean, or its string or integer spelling; anything else is InvalidInput).
"""
from labkit.neutron_lib.exceptions import InvalidInput


def convert_to_boolean(data):
    if isinstance(data, bool):
        return data
    if isinstance(data, (str, int)) and str(data).lower() in ("true", "1", "false", "0"):
        return str(data).lower() in ("true", "1")
    raise InvalidInput(error_message=f"'{data}' cannot be converted to boolean")
