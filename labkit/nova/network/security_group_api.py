"""What nova-api asks neutron about security groups: a boot's, and a server's.

Real nova: nova/network/security_group_api.py — validate_name, which asks
python-neutronclient's find_resourceid_by_name_or_id: first a group with that
id, then one with that name in the caller's project (its "not found" text is
the client's, and the API returns it as a 400); add_to_instance and
remove_from_instance, which change the groups of every port of the server.
"""
from urllib.parse import quote

from labkit.nova import exception
from labkit.nova.network.neutron import RequestURITooLong


def find(context, name, network_api):
    """The group (its id and name) named, or with the id, ``name``: SecurityGroupNotFound,
    or NoUniqueMatch when two of the project's groups bear that name.

    ``network_api``: the caller's labkit.nova.network.neutron.API (nova builds a
    neutron client from the context here)."""
    def groups(query):
        resp = network_api._call(context, "GET",
                                 f"/security-groups?{query}&fields=id&fields=name")
        return resp.json().get("security_groups", []) if resp.status == 200 else []

    try:
        by_id = groups("id=" + quote(name, safe=""))
        if by_id:
            return by_id[0]
        by_name = groups(f"name={quote(name, safe='')}&tenant_id={quote(context.project_id)}")
    except RequestURITooLong:
        # NOTE(labkit): nova re-raises the client's RequestURITooLong as it is (not a
        # 404): a 500 (add_to_instance, validate_name).  A name that long names no
        # group (neutron keeps 255 characters of a name), so labkit answers not found.
        by_name = []
    if len(by_name) > 1:
        raise exception.NoUniqueMatch(f"Multiple security_group matches found for name "
                                      f"'{name}', use an ID to be more specific.")
    if not by_name:
        raise exception.SecurityGroupNotFound(
            f"Unable to find security_group with name or id '{name}'")
    return by_name[0]


def validate_name(context, name, network_api):
    """The id of the group ``name`` names (see find)."""
    return find(context, name, network_api)["id"]


def _group_for_project(context, name, network_api):
    try:
        return find(context, name, network_api)
    except exception.SecurityGroupNotFound:
        raise exception.SecurityGroupNotFound(
            f"Security group {name} is not found for project {context.project_id}") from None


def _ports_of(context, instance, network_api):
    resp = network_api._call(context, "GET", f"/ports?device_id={quote(instance.uuid)}")
    ports = resp.json().get("ports", []) if resp.status == 200 else []
    if not ports:
        raise exception.SecurityGroupNotFound(
            f"instance_id {instance.uuid} could not be found as device id on any ports")
    return ports


def _set_port_groups(context, port, group_ids, network_api):
    resp = network_api._call(context, "PUT", f"/ports/{port['id']}",
                             {"port": {"security_groups": group_ids}})
    if resp.status == 400:         # a group the port is in already: neutron's "Duplicate"
        raise exception.SecurityGroupCannotBeApplied(
            resp.json().get("NeutronError", {}).get("message"))
    if resp.status >= 400:
        raise exception.NovaException(f"port update failed ({resp.status})")


def add_to_instance(context, instance, name, network_api):
    """Put every port of the instance in the group; returns the group (id, name)."""
    group = _group_for_project(context, name, network_api)
    for port in _ports_of(context, instance, network_api):
        _set_port_groups(context, port, port["security_groups"] + [group["id"]], network_api)
    return group


def remove_from_instance(context, instance, name, network_api):
    """Take every port of the instance out of the group; returns the group (id, name)."""
    group = _group_for_project(context, name, network_api)
    found = False
    for port in _ports_of(context, instance, network_api):
        if group["id"] in port["security_groups"]:
            found = True
            _set_port_groups(context, port, [g for g in port["security_groups"]
                                             if g != group["id"]], network_api)
    if not found:
        raise exception.SecurityGroupNotExistsForInstance(security_group_id=name,
                                                          instance_id=instance.uuid)
    return group


def _convert_to_nova_security_group_rule_format(rule):
    """A neutron rule in nova's old shape (only ingress rules are shown)."""
    protocol = rule["protocol"]
    if protocol and rule["port_range_min"] is None and rule["port_range_max"] is None:
        ports = (1, 65535) if protocol.upper() in ("TCP", "UDP") else (-1, -1)
    else:
        ports = (rule["port_range_min"], rule["port_range_max"])
    return {"id": rule["id"], "parent_group_id": rule["security_group_id"],
            "protocol": protocol, "from_port": ports[0], "to_port": ports[1],
            "group_id": rule["remote_group_id"],
            "cidr": rule["remote_ip_prefix"] or "0.0.0.0/0"}     # parse_cidr


def _convert_to_nova_security_group_format(group):
    return {"id": group["id"], "description": group["description"], "name": group["name"],
            "project_id": group["tenant_id"],
            "rules": [_convert_to_nova_security_group_rule_format(r)
                      for r in group["security_group_rules"] if r["direction"] == "ingress"]}


def get_instance_security_groups(context, instance, network_api):
    """The groups of the instance's ports, detailed, in nova's shape (its own ports only).

    Real nova: get_instance_security_groups(detailed=True), through
    get_instances_security_groups_bindings."""
    resp = network_api._call(context, "GET", f"/ports?device_id={quote(instance.uuid)}")
    ids = []
    for port in resp.json().get("ports", []) if resp.status == 200 else []:
        ids += [g for g in port["security_groups"] if g not in ids]
    if not ids:
        return []
    query = "&".join("id=" + quote(g) for g in ids)
    groups = network_api._call(context, "GET", f"/security-groups?{query}").json().get(
        "security_groups", [])
    return [_convert_to_nova_security_group_format(g) for g in groups]
