"""The REST layer: query filters, ``fields``, attribute policy, request bodies.

Real neutron: neutron/api/v2/base.py (Controller.index/show/create/update/
delete, _validate_network_tenant_ownership), neutron/api/v2/attributes.py
(which attributes a POST/PUT may carry), neutron/conf/policies/port.py and
network.py (admin-only attributes), neutron/api/versions.py.
"""
from labkit.keystone.middleware import request_context
from labkit.neutron.exceptions import NeutronError, policy_error
from labkit.wsgi.app import json_body, json_response

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
                       "binding:vif_details")}
RESOURCES = (("network", "networks"), ("subnet", "subnets"), ("port", "ports"))
_TRUE = {"true", "1", "yes"}


def can_bind(context):
    """create_port:binding:host_id: ``rule:admin_only or rule:service_api``."""
    return context.is_admin or "service" in context.roles


def versions(req):
    return json_response(200, {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"rel": "self", "href": f"{req.host_url}/v2.0/"}]}]})


def resources(req):
    return json_response(200, {"resources": [
        {"name": name, "collection": collection,
         "links": [{"rel": "self", "href": f"{req.host_url}/v2.0/{collection}"}]}
        for name, collection in RESOURCES]})


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
        context = request_context(req.environ)
        net = self.plugin.get_network(context, network_id)
        return json_response(200, {"network": self._view(context, "network", net,
                                                         req.GET.getall("fields"))})

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
        context = request_context(req.environ)
        port = self.plugin.get_port(context, port_id)
        return json_response(200, {"port": self._view(context, "port", port,
                                                      req.GET.getall("fields"))})

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
        port = self.plugin.update_port(context, port_id, changes)
        return json_response(200, {"port": self._view(context, "port", port, None)})

    def delete_port(self, req, port_id):
        self.plugin.delete_port(request_context(req.environ), port_id)
        return json_response(204)
