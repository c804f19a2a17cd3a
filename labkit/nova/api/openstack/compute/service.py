"""nova-api: the compute API as a WSGI application.

Real nova: the paste pipeline in nova/api-paste.ini (request id, faultwrap,
sizelimit, keystonemiddleware's authtoken, nova/api/auth.py's
NovaKeystoneContext, then APIRouterV21).  labkit's pipeline has the same
order; version documents are served before authentication, as nova's are.
"""
import re

from labkit.context import RequestContext
from labkit.keystonemiddleware.auth_token import AuthProtocol, request_context
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute import (flavors, flavors_extraspecs, hypervisors, images,
                                               instance_actions, lock_server, routes,
                                               security_groups, servers, shelve, versions)
from labkit.nova.api.openstack.compute import (keypairs, limits, quota_sets,
                                               simple_tenant_usage)
from labkit.nova.api.openstack.compute import console_output, pause_server, suspend_server
from labkit.nova.api.openstack.compute import evacuate
from labkit.nova.api.openstack.compute import migrations
from labkit.nova.api.openstack.compute import migrate_server, server_migrations
from labkit.nova.api.openstack.identity import Identity
from labkit.nova.quota import QuotaEngine
from labkit.nova.api.openstack.compute import (aggregates, availability_zone, server_groups,
                                               services)
from labkit.nova import objects
from labkit.nova.compute import api as compute_api
# NOTE(labkit): the database connection only (DbHandle, the tables' metadata), as
# nova/config.py:parse_args configures nova/db/api/api.py's and nova/db/main/api.py's
# context managers at start; every read and write goes through labkit.nova.objects.
from labkit.nova.db import api as db
from labkit.nova.db import models
from labkit.wsgi import service_stack
from labkit.wsgi.app import json_response

NODE = "nova-api"
_COLLECTIONS = {"servers", "flavors", "images", "os-hypervisors", "limits", "extensions",
                "os-availability-zone", "os-keypairs", "os-networks", "os-quota-sets",
                "os-simple-tenant-usage", "os-services",
                "os-aggregates", "os-server-groups", "os-migrations"}
_PATH = re.compile(r"^/(v2\.1|v2)(?:/(.*))?$")


class NovaKeystoneContext:
    """Make ``environ['nova.context']`` from keystonemiddleware's headers (nova/api/auth.py)."""

    def __init__(self, app, db_handle):
        self.app, self.db_handle = app, db_handle

    def __call__(self, environ, start_response):
        ctxt = request_context(environ)
        # nova keeps only the catalog entries its services call (nova/context.py)
        ctxt.service_catalog = [s for s in ctxt.service_catalog
                                if s.get("type") in ("image", "network", "placement")]
        ctxt.db, ctxt.indirection_api, ctxt.service_node = self.db_handle, None, NODE
        url_project = environ.get("nova.url_project_id")
        if url_project and url_project != ctxt.project_id:
            body = wsgi.fault_body(400, f"Malformed request URL: URL's project_id "
                                        f"'{url_project}' doesn't match Context's project_id "
                                        f"'{ctxt.project_id}'")
            return json_response(400, body)(environ, start_response)
        environ["nova.context"] = ctxt
        return self.app(environ, start_response)


class NovaAPIService:
    node = NODE

    def __init__(self, lab):
        self.lab = lab
        self.db = db.DbHandle(lab.database("nova", models.metadata), lab.trace, NODE)
        if self.db.database.created:      # a restarted nova-api finds its flavors
            self._seed_flavors(lab)
        base = lab.endpoints[NODE]
        self.compute_api = compute_api.API(lab, NODE)
        c = {"servers": None, "shelve": shelve.ShelveController(self.compute_api),
             "lock_server": lock_server.LockServerController(self.compute_api),
             "pause_server": pause_server.PauseServerController(self.compute_api),
             "suspend_server": suspend_server.SuspendServerController(self.compute_api),
             "console_output": console_output.ConsoleOutputController(self.compute_api),
             "flavors": flavors.FlavorsController(base),
             "flavor_extra_specs": flavors_extraspecs.FlavorExtraSpecsController(),
             "security_groups": security_groups.SecurityGroupActionController(
                 self.compute_api),
             "server_security_groups": security_groups.ServerSecurityGroupController(
                 self.compute_api),
             "images": images.ImagesController(base, self.compute_api.image_api),
             "instance_actions": instance_actions.InstanceActionsController(self.compute_api),
             "hypervisors": hypervisors.HypervisorsController(lab.conf)}
        self.identity = Identity(lab, NODE)
        quotas = QuotaEngine(lab.conf)
        c.update(keypairs=keypairs.KeypairController(compute_api.KeypairAPI(lab)),
                 limits=limits.LimitsController(quotas),
                 quota_sets=quota_sets.QuotaSetsController(quotas, self.identity),
                 simple_tenant_usage=simple_tenant_usage.SimpleTenantUsageController(),
                 migrations=migrations.MigrationsController())
        self.host_api = compute_api.HostAPI(lab)
        self.aggregate_api = compute_api.AggregateAPI(lab, NODE)
        c.update(services=services.ServiceController(self.host_api, self.aggregate_api),
                 availability_zone=availability_zone.AvailabilityZoneController(self.host_api),
                 aggregates=aggregates.AggregateController(self.aggregate_api),
                 server_groups=server_groups.ServerGroupController(lab))
        c["evacuate"] = evacuate.EvacuateController(lab, self.compute_api, self.host_api)
        c.update(migrate_server=migrate_server.MigrateServerController(self.compute_api),
                 server_migrations=server_migrations.ServerMigrationsController(
                     self.compute_api))
        # the action table names servers.py's own actions (reboot, os-start ...) too
        c["servers"] = servers.ServersController(lab, self.compute_api, {})
        c["servers"].actions.update(routes.server_actions(c))
        router = wsgi.ComputeRouter(routes.route_list(c), lab.conf.max_api_version)
        self.versions = versions.Versions(base, lab.conf.max_api_version)
        self.api = AuthProtocol(NovaKeystoneContext(router, self.db), lab, NODE)
        self.app = service_stack(self._dispatch, NODE, lab, wsgi.fault_body,
                                 compute_header=True)

    def _seed_flavors(self, lab):
        ctxt = RequestContext(request_id="req-seed")
        ctxt.db = db.DbHandle(self.db.database, None, NODE)
        for f in lab.data["flavors"]["flavors"]:
            objects.Flavor(ctxt, flavorid=f["id"], name=f["name"], memory_mb=f["ram"],
                           vcpus=f["vcpus"], root_gb=f["disk"], ephemeral_gb=f["ephemeral"],
                           swap=f["swap"], is_public=f["is_public"], rxtx_factor=1.0,
                           description=None, extra_specs={}).create()

    def _dispatch(self, environ, start_response):
        """Versions without auth; ``/v2.1[/<project_id>]/...`` and ``/v2/<project_id>/...``."""
        path = environ.get("PATH_INFO") or "/"
        if path in ("", "/"):
            return self.versions.root()(environ, start_response)
        m = _PATH.match(path)
        if m is None:
            return json_response(404, wsgi.fault_body(404, "The resource could not be "
                                                           "found."))(environ, start_response)
        version, rest = m.group(1), (m.group(2) or "").strip("/")
        if not rest:
            return self.versions.show(version)(environ, start_response)
        head, _, tail = rest.partition("/")
        script = f"/{version}"
        if head not in _COLLECTIONS:
            if not tail:    # /v2.1/<something> that is neither a collection nor a project
                return json_response(404, wsgi.fault_body(404, "The resource could not be "
                                                               "found."))(environ, start_response)
            environ["nova.url_project_id"] = head
            script, rest = f"{script}/{head}", tail
        if version == "v2":
            for key in ("HTTP_OPENSTACK_API_VERSION", "HTTP_X_OPENSTACK_NOVA_API_VERSION"):
                environ.pop(key, None)
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + script
        environ["PATH_INFO"] = "/" + rest
        return self.api(environ, start_response)

    def stop(self):
        self.compute_api.close()
        self.identity.close()
        self.aggregate_api.close()
        self.api.close()
