"""The neutron service: its database, its route table and its WSGI stack.

Real neutron: neutron/api/v2/router.py (APIRouter's collections, and the
security-group extension's two) and neutron/pecan_wsgi/app.py (the root
controller), behind api-paste.ini's pipeline (request_id, catch_errors,
authtoken, keystonecontext).
"""
from labkit.keystonemiddleware.auth_token import AuthProtocol
from labkit.neutron.db import models_v2
from labkit.neutron.extensions import quotasv2
from labkit.neutron.pecan_wsgi.controllers import resource, root
from labkit.neutron.plugins.ml2.plugin import Ml2Plugin
from labkit.neutron_lib.exceptions import error_body
from labkit.wsgi import service_stack
from labkit.wsgi.app import Router

NODE = "neutron"


class NeutronService:
    """neutron-server on its own port (unversioned in the catalog)."""

    def __init__(self, lab):
        self.lab = lab
        self.db = lab.database(NODE, models_v2.metadata)
        self.plugin = Ml2Plugin(self.db, lab.ids)
        if self.db.created:            # a restarted neutron process finds its ports
            self.plugin.seed(lab.data["networks"]["networks"],
                             lab.data["identities"]["projects"])
        api = resource.Controller(self.plugin)
        sgs = resource.SecurityGroupsController(self.plugin)
        quotas = quotasv2.QuotaSetsController(self.plugin)
        routes = [
            ("GET", "/", root.versions),
            ("GET", "/v2.0", root.resources),
            ("GET", "/v2.0/networks", api.list_networks),
            ("GET", "/v2.0/networks/{network_id}", api.show_network),
            ("GET", "/v2.0/subnets", api.list_subnets),
            ("GET", "/v2.0/subnets/{subnet_id}", api.show_subnet),
            ("GET", "/v2.0/ports", api.list_ports),
            ("POST", "/v2.0/ports", api.create_port),
            ("GET", "/v2.0/ports/{port_id}", api.show_port),
            ("PUT", "/v2.0/ports/{port_id}", api.update_port),
            ("DELETE", "/v2.0/ports/{port_id}", api.delete_port),
            ("GET", "/v2.0/security-groups", sgs.list_security_groups),
            ("POST", "/v2.0/security-groups", sgs.create_security_group),
            ("GET", "/v2.0/security-groups/{security_group_id}", sgs.show_security_group),
            ("PUT", "/v2.0/security-groups/{security_group_id}", sgs.update_security_group),
            ("DELETE", "/v2.0/security-groups/{security_group_id}",
             sgs.delete_security_group),
            ("GET", "/v2.0/security-group-rules", sgs.list_security_group_rules),
            ("POST", "/v2.0/security-group-rules", sgs.create_security_group_rule),
            ("GET", "/v2.0/security-group-rules/{rule_id}", sgs.show_security_group_rule),
            ("DELETE", "/v2.0/security-group-rules/{rule_id}",
             sgs.delete_security_group_rule),
            ("GET", "/v2.0/quotas/{project_id}", quotas.show),
            ("GET", "/v2.0/quotas/{project_id}/default", quotas.default),
            ("GET", "/v2.0/quotas/{project_id}/details", quotas.details),
        ]
        self.auth = AuthProtocol(Router(routes, error_body), lab, NODE, public_paths=("/",))
        self.app = service_stack(self.auth, NODE, lab, error_body)

    def stop(self):
        self.auth.close()
        self.db.close()
