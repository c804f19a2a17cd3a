"""The attribute checks neutron's API applies to request bodies.

Real neutron-lib: neutron_lib/api/validators/__init__.py (validate_string,
validate_fixed_ips, validate_dict ...: each returns a message, or None when
the value is good).  The converters are neutron_lib/api/converters.py.
"""


def validate_string(data, max_len=None):
    if not isinstance(data, str):
        return f"'{data}' is not a valid string"
    if max_len is not None and len(data) > max_len:
        return f"'{data}' exceeds maximum length of {max_len}"
    return None


def validate_dict(data):
    if not isinstance(data, dict):
        return f"'{data}' is not a dictionary"
    return None


def validate_fixed_ips(data):
    if not isinstance(data, list):
        return f"Invalid data format for fixed IP: '{data}'"
    for fixed_ip in data:
        if not isinstance(fixed_ip, dict):
            return f"Invalid data format for fixed IP: '{fixed_ip}'"
        for key in ("subnet_id", "ip_address"):
            if key in fixed_ip and not isinstance(fixed_ip[key], str):
                return f"Invalid data format for fixed IP: '{fixed_ip}'"
    return None
