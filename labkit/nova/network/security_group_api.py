"""What nova-api asks neutron about security groups before it accepts a boot.

Real nova: nova/network/security_group_api.py:validate_name, which asks
python-neutronclient's find_resourceid_by_name_or_id: first a group with that
id, then one with that name in the caller's project.  Its "not found" text is
the client's, and the API returns it as a 400.
"""
from urllib.parse import quote

from labkit.nova import exception


def find(context, name, network_api):
    """The group (its id and name) named, or with the id, ``name``: SecurityGroupNotFound,
    or NoUniqueMatch when two of the project's groups bear that name.

    ``network_api``: the caller's labkit.nova.network.neutron.API (nova builds a
    neutron client from the context here)."""
    def groups(query):
        resp = network_api._call(context, "GET",
                                 f"/security-groups?{query}&fields=id&fields=name")
        return resp.json().get("security_groups", []) if resp.status == 200 else []

    by_id = groups("id=" + quote(name, safe=""))
    if by_id:
        return by_id[0]
    by_name = groups(f"name={quote(name, safe='')}&tenant_id={quote(context.project_id)}")
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
