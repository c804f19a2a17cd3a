"""neutron's resource controllers: networks, subnets and ports, security groups and rules.

Real neutron: neutron/pecan_wsgi/controllers/resource.py (CollectionsController
get/post, ItemController get/put/delete: one pair serves every resource and
calls the plugin's get_, create_, update_ or delete_ method), with what
pecan's hooks and neutron/api/v2/base.py do around them: query filters,
``fields``, attribute policy (neutron/conf/policies/port.py and network.py:
admin-only attributes), request bodies (neutron/api/v2/base.py:
Controller.prepare_request_body, after the attribute map of
neutron_lib/api/definitions/port.py or of the security-group extension,
neutron/extensions/securitygroup.py) and the quota check.
NOTE(labkit): one method per resource and verb instead of pecan's generic
pair, so a trace names what was asked for.
"""
import re

from labkit.keystonemiddleware.auth_token import request_context
from labkit.neutron.api.v2 import base
from labkit.neutron.extensions import quotasv2, securitygroup as ext_sg
from labkit.neutron_lib.api import converters, validators
from labkit.neutron_lib.exceptions import NeutronError, OverQuota, bad_request, policy_error
from labkit.wsgi.app import json_body, json_response

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}$")

PORT_CREATE = {"network_id", "name", "admin_state_up", "mac_address", "fixed_ips", "device_id",
               "device_owner", "tenant_id", "project_id", "binding:host_id",
               "binding:vnic_type", "binding:profile", "security_groups", "description",
               "port_security_enabled"}
PORT_UPDATE = {"name", "admin_state_up", "device_id", "device_owner", "binding:host_id",
               "binding:vnic_type", "binding:profile", "description", "security_groups",
               "port_security_enabled"}
ADMIN_ONLY = {"network": ("provider:network_type", "provider:physical_network",
                          "provider:segmentation_id"),
              "port": ("binding:host_id", "binding:profile", "binding:vif_type",
                       "binding:vif_details"),
              "security_group": (), "security_group_rule": ()}
# the port attributes' checks (neutron_lib/api/definitions/port.py, portbindings.py)
_STRING = lambda data: validators.validate_string(data, 255)    # noqa: E731
PORT_CHECKS = {"name": _STRING, "network_id": _STRING, "mac_address": _STRING,
               "device_id": _STRING, "device_owner": _STRING, "description": _STRING,
               "tenant_id": _STRING, "project_id": _STRING, "binding:host_id": _STRING,
               "binding:vnic_type": _STRING, "binding:profile": validators.validate_dict,
               "fixed_ips": validators.validate_fixed_ips}
_TRUE = {"true", "1", "yes"}


def can_bind(context):
    """create_port:binding:host_id: ``rule:admin_only or rule:service_api``."""
    return context.is_admin or "service" in context.roles


class Controller:
    def __init__(self, plugin):
        self.plugin = plugin

    # -- shaping the output -----------------------------------------------------------
    @staticmethod
    def _view(context, kind, obj, fields):
        """Drop admin-only attributes for others, then keep only ``fields`` if asked."""
        allowed = can_bind(context) if kind == "port" else context.is_admin
        if not allowed:
            obj = {k: v for k, v in obj.items() if k not in ADMIN_ONLY[kind]}
        if fields:
            obj = {k: v for k, v in obj.items() if k in fields}
        return obj

    @staticmethod
    def _matches(obj, params):
        """Neutron's query filters: every given attribute equals one of its values."""
        for key in set(params.keys()) - {"fields", "limit", "marker", "sort_key", "sort_dir"}:
            if key not in obj or isinstance(obj[key], (list, dict)):
                continue     # unknown (or structured) filters are ignored
            wanted = params.getall(key)
            value = obj[key]
            if isinstance(value, bool):
                if not any((w.lower() in _TRUE) == value for w in wanted):
                    return False
            elif str(value) not in wanted and value not in wanted:
                return False
        return True

    def _show(self, req, kind, get, resource_id):
        """One resource by id, cut to ``?fields=`` (neutron's Controller.show)."""
        context = request_context(req.environ)
        return json_response(200, {kind: self._view(context, kind, get(context, resource_id),
                                                    req.GET.getall("fields"))})

    def _list(self, req, kind, collection, objects):
        context = request_context(req.environ)
        fields = req.GET.getall("fields")
        body = [self._view(context, kind, o, fields) for o in objects
                if self._matches(o, req.GET)]
        return json_response(200, {collection: body})

    # -- networks and subnets -------------------------------------------------------------
    def list_networks(self, req):
        return self._list(req, "network", "networks",
                          self.plugin.get_networks(request_context(req.environ)))

    def show_network(self, req, network_id):
        return self._show(req, "network", self.plugin.get_network, network_id)

    def list_subnets(self, req):
        subnets = self.plugin.get_subnets(request_context(req.environ))
        return json_response(200, {"subnets": [
            {k: v for k, v in s.items() if not req.GET.getall("fields")
             or k in req.GET.getall("fields")}
            for s in subnets if self._matches(s, req.GET)]})

    def show_subnet(self, req, subnet_id):
        subnet = self.plugin.get_subnet(request_context(req.environ), subnet_id)
        fields = req.GET.getall("fields")
        return json_response(200, {"subnet": {k: v for k, v in subnet.items()
                                              if not fields or k in fields}})

    # -- ports ------------------------------------------------------------------------------
    def list_ports(self, req):
        context = request_context(req.environ)
        column_filters = {k: req.GET.getall(k) for k in ("id", "network_id", "device_id",
                                                         "device_owner", "mac_address")
                          if k in req.GET}
        ports = self.plugin.get_ports(context, column_filters)
        wanted_ips = [dict(part.split("=", 1) for part in [f] if "=" in part)
                      for f in req.GET.getall("fixed_ips")]
        if wanted_ips:
            ports = [p for p in ports if all(any(all(ip.get(k) == v for k, v in w.items())
                                                 for ip in p["fixed_ips"])
                                             for w in wanted_ips)]
        return self._list(req, "port", "ports", ports)

    def show_port(self, req, port_id):
        return self._show(req, "port", self.plugin.get_port, port_id)

    @staticmethod
    def _body(req, allowed):
        body = json_body(req, lambda code, msg: NeutronError(code, "HTTPBadRequest", msg))
        if not isinstance(body, dict) or not isinstance(body.get("port"), dict):
            raise NeutronError(400, "HTTPBadRequest", "Resource body required")
        port = body["port"]
        unknown = sorted(set(port) - allowed)
        if unknown:
            raise NeutronError(400, "HTTPBadRequest",
                               "Unrecognized attribute(s) '" + ", ".join(unknown) + "'")
        for attr in ("admin_state_up", "port_security_enabled"):
            if attr in port:
                port[attr] = converters.convert_to_boolean(port[attr])
        for attr, check in PORT_CHECKS.items():
            msg = check(port[attr]) if attr in port and port[attr] is not None else None
            if msg:
                raise bad_request(f"Invalid input for {attr}. Reason: {msg}.")
        return port

    def create_port(self, req):
        context = request_context(req.environ)
        port = self._body(req, PORT_CREATE)
        if "network_id" not in port:
            raise NeutronError(400, "HTTPBadRequest",
                               "Failed to parse request. Required attribute 'network_id' not "
                               "specified")
        owner = port.get("project_id") or port.get("tenant_id") or context.project_id
        if owner != context.project_id and not context.is_admin:
            raise NeutronError(400, "HTTPBadRequest",
                               "Specifying 'project_id' or 'tenant_id' other than the "
                               "authenticated project in request requires admin privileges")
        if port.get("binding:host_id") and not can_bind(context):
            raise policy_error("rule:create_port and rule:create_port:binding:host_id")
        network = self.plugin.get_network(context, port["network_id"])
        if not (context.is_admin or network["shared"]
                or network["project_id"] == context.project_id):
            raise NeutronError(403, "HTTPForbidden",
                               f"Tenant {context.project_id} not allowed to create port on "
                               "this network")
        port["project_id"] = owner
        if "security_groups" in port:
            port["security_groups"] = _uuid_list(port["security_groups"])
        created = self.plugin.create_port(context, port, network)
        return json_response(201, {"port": self._view(context, "port", created, None)})

    def update_port(self, req, port_id):
        context = request_context(req.environ)
        changes = self._body(req, PORT_UPDATE | {"network_id", "mac_address", "fixed_ips"})
        for key in ("network_id", "mac_address", "fixed_ips"):
            if key in changes:
                raise NeutronError(400, "HTTPBadRequest",
                                   f"Cannot update read-only attribute {key}")
        if "binding:host_id" in changes and not can_bind(context):
            raise policy_error("rule:update_port and rule:update_port:binding:host_id")
        if "security_groups" in changes:
            changes["security_groups"] = _uuid_list(changes["security_groups"])
        port = self.plugin.update_port(context, port_id, changes)
        return json_response(200, {"port": self._view(context, "port", port, None)})

    def delete_port(self, req, port_id):
        self.plugin.delete_port(request_context(req.environ), port_id)
        return json_response(204)


# -- security groups and rules (the security-group extension's resources) -------------------
def _uuid_list(value):
    """``security_groups`` of a port: None -> [], else a list of distinct UUIDs."""
    if value is None:
        return []
    msg = None
    if not isinstance(value, list):
        msg = f"'{value}' is not a list"
    elif len(set(map(str, value))) != len(value):
        msg = "Duplicate items in the list: '" + ", ".join(
            sorted({str(v) for v in value if list(map(str, value)).count(str(v)) > 1})) + "'"
    else:
        msg = next((f"'{v}' is not a valid UUID" for v in value
                    if not isinstance(v, str) or not _UUID.match(v)), None)
    if msg:
        raise bad_request(f"Invalid input for security_groups. Reason: {msg}.")
    return value


class SecurityGroupsController(Controller):
    """``/v2.0/security-groups`` and ``/v2.0/security-group-rules``."""

    def _check_quota(self, resource, project_id):
        """base.py:Controller._create's reservation: OverQuota (409) at the [QUOTAS] limit."""
        limit = quotasv2.DEFAULT_QUOTAS[resource]
        if 0 <= limit <= self.plugin.count_security_resources(resource, project_id):
            raise OverQuota(overs=[resource])

    def list_security_groups(self, req):
        context = request_context(req.environ)
        project = req.GET.get("project_id") or req.GET.get("tenant_id")
        return self._list(req, "security_group", "security_groups",
                          self.plugin.get_security_groups(context, project_id=project))

    def show_security_group(self, req, security_group_id):
        return self._show(req, "security_group", self.plugin.get_security_group,
                          security_group_id)

    def create_security_group(self, req):
        context = request_context(req.environ)
        group = base.prepare_request_body(req, context, "security_group", is_create=True)
        self.plugin._ensure_default_security_group(context, group["project_id"])
        self._check_quota("security_group", group["project_id"])
        return json_response(201, {"security_group": self.plugin.create_security_group(
            context, group)})

    def update_security_group(self, req, security_group_id):
        context = request_context(req.environ)
        changes = base.prepare_request_body(req, context, "security_group", is_create=False)
        return json_response(200, {"security_group": self.plugin.update_security_group(
            context, security_group_id, changes)})

    def delete_security_group(self, req, security_group_id):
        self.plugin.delete_security_group(request_context(req.environ), security_group_id)
        return json_response(204)

    def list_security_group_rules(self, req):
        context = request_context(req.environ)
        return self._list(req, "security_group_rule", "security_group_rules",
                          self.plugin.get_security_group_rules(context))

    def show_security_group_rule(self, req, rule_id):
        return self._show(req, "security_group_rule", self.plugin.get_security_group_rule,
                          rule_id)

    def create_security_group_rule(self, req):
        context = request_context(req.environ)
        new = base.prepare_request_body(req, context, "security_group_rule", is_create=True)
        if new["remote_group_id"] is not None and not isinstance(new["remote_group_id"], str):
            raise ext_sg.SecurityGroupNotFound(id=new["remote_group_id"])
        self._check_quota("security_group_rule", new["project_id"])
        return json_response(201, {"security_group_rule":
                                    self.plugin.create_security_group_rule(context, new)})

    def delete_security_group_rule(self, req, rule_id):
        self.plugin.delete_security_group_rule(request_context(req.environ), rule_id)
        return json_response(204)
