"""The security-group extension: its errors, its converters and its attribute map.

Real neutron: neutron/extensions/securitygroup.py (the exceptions,
convert_protocol, convert_ethertype_to_case_insensitive,
convert_validate_port_value, convert_ip_prefix_to_cidr and
RESOURCE_ATTRIBUTE_MAP, which the generic API controller validates a request
body against), with the protocol names of neutron_lib/constants.py.
NOTE(labkit): no remote_address_group_id (the address-group extension) and
no security-group RBAC (``shared`` is always false).
"""
import ipaddress

from labkit.neutron_lib.api.converters import convert_to_boolean
from labkit.neutron_lib.api.validators import validate_string
from labkit.neutron_lib.exceptions import InUse, InvalidCIDR, InvalidInput, NotFound

# neutron_lib/constants.py:IP_PROTOCOL_MAP, in its order
IP_PROTOCOL_MAP = {"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0,
                   "icmp": 1, "igmp": 2, "ip": 0, "ipip": 4, "ipv6-encap": 41,
                   "ipv6-frag": 44, "ipv6-icmp": 58, "icmpv6": 58, "ipv6-nonxt": 59,
                   "ipv6-opts": 60, "ipv6-route": 43, "ospf": 89, "pgm": 113, "rsvp": 46,
                   "sctp": 132, "tcp": 6, "udp": 17, "udplite": 136, "vrrp": 112}
SG_RULE_PROTO_ANY = (None, "any")
sg_supported_protocols = SG_RULE_PROTO_ANY + tuple(IP_PROTOCOL_MAP)
sg_supported_ethertypes = ["IPv4", "IPv6"]
SG_PORT_PROTO_NAMES = ("dccp", "sctp", "tcp", "udp", "udplite")
SG_PORT_PROTO_NUMS = (33, 132, 6, 17, 136)
IPV6_ONLY_PROTOCOLS = ("ipv6-encap", "ipv6-frag", "ipv6-icmp", "icmpv6", "ipv6-nonxt",
                       "ipv6-opts", "ipv6-route", "41", "44", "58", "59", "60", "43")
NAME_FIELD_SIZE = 255
DESCRIPTION_FIELD_SIZE = 255
UUID_FIELD_SIZE = 36


# -- the extension's exceptions ---------------------------------------------------------
class SecurityGroupInvalidPortRange(InvalidInput):
    message = "For TCP/UDP protocols, port_range_min must be <= port_range_max"


class SecurityGroupInvalidProtocolForPort(InvalidInput):
    message = ("Ports cannot be specified for protocol %(protocol)s. "
               "Ports are only supported for %(valid_port_protocols)s.")


class SecurityGroupInvalidPortValue(InvalidInput):
    message = "Invalid value for port %(port)s"


class SecurityGroupInvalidIcmpValue(InvalidInput):
    message = "Invalid value for ICMP %(field)s (%(attr)s) %(value)s. It must be 0 to 255."


class SecurityGroupEthertypeConflictWithProtocol(InvalidInput):
    message = "Invalid ethertype %(ethertype)s for protocol %(protocol)s."


class SecurityGroupMissingIcmpType(InvalidInput):
    message = ("ICMP code (port-range-max) %(value)s is provided but ICMP type "
               "(port-range-min) is missing.")


class SecurityGroupInUse(InUse):
    message = "Security Group %(id)s in use."


class SecurityGroupCannotRemoveDefault(InUse):
    message = "Insufficient rights for removing default security group."


class SecurityGroupCannotUpdateDefault(InUse):
    message = "Updating default security group not allowed."


class SecurityGroupDefaultAlreadyExists(InUse):
    message = "Default security group already exists."


class SecurityGroupRuleInvalidProtocol(InvalidInput):
    message = ("Security group rule protocol %(protocol)s not supported. Only protocol "
               "values %(values)s and integer representations [0 to 255] are supported.")


class SecurityGroupMultipleRemoteEntites(InvalidInput):
    message = ("Only one of remote_ip_prefix or remote_group_id or "
               "remote_address_group_id may be provided.")


class SecurityGroupProtocolRequiredWithPorts(InvalidInput):
    message = "Must also specify protocol if port range is given."


class SecurityGroupNotFound(NotFound):
    message = "Security group %(id)s does not exist"


class SecurityGroupRuleNotFound(NotFound):
    message = "Security group rule %(id)s does not exist"


class SecurityGroupRuleExists(InUse):
    message = "Security group rule already exists. Rule id is %(rule_id)s."


class SecurityGroupRuleParameterConflict(InvalidInput):
    message = "Conflicting value ethertype %(ethertype)s for CIDR %(cidr)s"


class SecurityGroupRuleInvalidEtherType(InvalidInput):
    message = ("Security group rule for ethertype '%(ethertype)s' not supported. "
               "Allowed values are %(values)s.")


# -- converters (``convert_to`` in the attribute map) ------------------------------------
def convert_protocol(value):
    """None/"any" -> None; 0..255 -> that number as a string; a known name -> lower case."""
    if value in SG_RULE_PROTO_ANY:
        return None
    if isinstance(value, int) and not isinstance(value, bool) or \
            isinstance(value, str) and value.isdigit():
        if 0 <= int(value) <= 255:
            return str(int(value))
    elif isinstance(value, str) and value.lower() in sg_supported_protocols:
        return value.lower()
    raise SecurityGroupRuleInvalidProtocol(protocol=value, values=sg_supported_protocols)


def convert_ethertype_to_case_insensitive(value):
    if isinstance(value, str):
        for ethertype in sg_supported_ethertypes:
            if ethertype.lower() == value.lower():
                return ethertype
    raise SecurityGroupRuleInvalidEtherType(ethertype=value, values=sg_supported_ethertypes)


def convert_validate_port_value(port):
    """oslo netutils.is_valid_port: an integer (or its string) 0..65535."""
    if port is None:
        return None
    if isinstance(port, bool):
        raise SecurityGroupInvalidPortValue(port=port)
    try:
        value = int(port)
    except (ValueError, TypeError, OverflowError):
        raise SecurityGroupInvalidPortValue(port=port) from None
    if 0 <= value <= 65535:
        return value
    raise SecurityGroupInvalidPortValue(port=port)


def convert_ip_prefix_to_cidr(ip_prefix):
    """``10.0.0.5`` -> ``10.0.0.5/32``; netaddr keeps host bits, as ``strict=False`` does."""
    if not ip_prefix:
        return None
    if not isinstance(ip_prefix, str):
        raise InvalidCIDR(input=ip_prefix)
    try:
        return str(ipaddress.ip_interface(ip_prefix))
    except (ValueError, TypeError):
        raise InvalidCIDR(input=ip_prefix) from None


def _validate_name_not_default(data, max_len=NAME_FIELD_SIZE):
    msg = validate_string(data, max_len)
    if msg:
        return msg
    if data.lower() == "default":
        raise SecurityGroupDefaultAlreadyExists()
    return None


def _validate_values(valid):
    def check(data):
        if isinstance(data, (list, dict)) or data not in valid:
            return f"{data} is not in valid_values"     # neutron-lib's words, as they are
        return None
    return check


def _string(max_len):
    return lambda data: validate_string(data, max_len)


# -- the attribute map -----------------------------------------------------------------
# attribute: (allow_post, allow_put, default or REQUIRED, convert_to, validate)
REQUIRED = object()
_STANDARD = {"description": (True, True, "", None, _string(DESCRIPTION_FIELD_SIZE))}
RESOURCE_ATTRIBUTE_MAP = {
    "security_groups": dict(_STANDARD, **{
        "name": (True, True, "", None, _validate_name_not_default),
        "stateful": (True, True, True, convert_to_boolean, None),
    }),
    "security_group_rules": dict(_STANDARD, **{
        "security_group_id": (True, False, REQUIRED, None, _string(UUID_FIELD_SIZE)),
        "remote_group_id": (True, False, None, None, None),
        "direction": (True, False, REQUIRED, None, _validate_values(("ingress", "egress"))),
        "protocol": (True, False, None, convert_protocol, None),
        "port_range_min": (True, False, None, convert_validate_port_value, None),
        "port_range_max": (True, False, None, convert_validate_port_value, None),
        "ethertype": (True, False, "IPv4", convert_ethertype_to_case_insensitive, None),
        "remote_ip_prefix": (True, False, None, convert_ip_prefix_to_cidr, None),
    }),
}
