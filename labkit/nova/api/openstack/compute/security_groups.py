"""A server's security groups: list them, add one, remove one.

Real nova: nova/api/openstack/compute/security_groups.py
(ServerSecurityGroupController.index, GET /servers/{id}/os-security-groups, in
nova's old group shape; SecurityGroupActionController._addSecurityGroup /
_removeSecurityGroup, which change the groups of the server's neutron ports
through nova/network/security_group_api.py).  NOTE(labkit): nova's server view then
reads the groups back from neutron's ports; labkit's view shows the names the
instance keeps, so the action also updates those.
"""
from labkit.nova import exception, policy
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.network import security_group_api
from labkit.wsgi.app import HTTPError


class ServerSecurityGroupController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    @staticmethod
    def _format_security_group(group, names):
        """_format_security_group: a rule from a group names it (or is left out when the
        caller cannot see that group), any other names its CIDR."""
        rules = []
        for rule in group["rules"]:
            out = {"id": rule["id"], "parent_group_id": rule["parent_group_id"],
                   "ip_protocol": rule["protocol"], "from_port": rule["from_port"],
                   "to_port": rule["to_port"], "group": {}, "ip_range": {}}
            if rule["group_id"]:
                if rule["group_id"] not in names:
                    continue
                out["group"] = names[rule["group_id"]]
            else:
                out["ip_range"] = {"cidr": rule["cidr"]}
            rules.append(out)
        return {"id": group["id"], "description": group["description"],
                "name": group["name"], "tenant_id": group["project_id"], "rules": rules}

    def index(self, req, server_id):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-security-groups:list", instance.project_id)
        groups = security_group_api.get_instance_security_groups(
            context, instance, self.compute_api.network_api)
        names = {g["id"]: {"name": g["name"], "tenant_id": g["project_id"]} for g in groups}
        result = [self._format_security_group(g, names) for g in groups]
        return wsgi.response(200, {"security_groups": sorted(
            result, key=lambda g: (g["tenant_id"], g["name"]))})


class SecurityGroupActionController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    @staticmethod
    def _parse(body, action):
        try:
            name = body[action]["name"]
        except TypeError:
            raise HTTPError(400, "Missing parameter dict") from None
        except KeyError:
            raise HTTPError(400, "Security group not specified") from None
        if not isinstance(name, str) or not name.strip():
            raise HTTPError(400, "Security group name cannot be empty")
        return name

    def _change(self, req, server_id, body, action, change):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, f"os_compute_api:os-security-groups:{action}",
                     instance.project_id)
        name = self._parse(body, action + "SecurityGroup")
        try:
            group = change(context, instance, name, self.compute_api.network_api)
        except exception.SecurityGroupNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        except exception.NoUniqueMatch as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.Invalid as exc:      # not in the group; the port refused it
            raise HTTPError(400, exc.format_message()) from None
        names = [n for n in instance.security_groups or [] if n != group["name"]]
        instance.security_groups = names + [group["name"]] if action == "add" else names
        instance.save()
        return wsgi.response(202)

    def _addSecurityGroup(self, req, server_id, body):
        return self._change(req, server_id, body, "add", security_group_api.add_to_instance)

    def _removeSecurityGroup(self, req, server_id, body):
        return self._change(req, server_id, body, "remove",
                            security_group_api.remove_from_instance)
