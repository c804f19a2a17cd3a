"""The servers resource: list, show, create, delete, and the action dispatcher.

Real nova: nova/api/openstack/compute/servers.py:ServersController (index,
detail, show, create, delete, and the reboot, os-start and os-stop actions)
and wsgi.py's action dispatch, which sends
``POST /servers/{id}/action`` to the controller method registered for the
body's key (``@wsgi.action('shelve')`` in shelve.py, and so on).
"""
import logging
import re

from labkit.nova import exception, objects, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import servers as schema
from labkit.nova.api.openstack.compute.views.servers import ViewBuilder
from labkit.nova.compute import vm_states
from labkit.wsgi.app import HTTPError

LOG = logging.getLogger(__name__)

_STATUS_TO_VM = {"ACTIVE": vm_states.ACTIVE, "BUILD": vm_states.BUILDING,
                 "SHUTOFF": vm_states.STOPPED, "ERROR": vm_states.ERROR,
                 "PAUSED": vm_states.PAUSED, "SUSPENDED": vm_states.SUSPENDED,
                 "SHELVED": vm_states.SHELVED,
                 "SHELVED_OFFLOADED": vm_states.SHELVED_OFFLOADED}


MAX_LIMIT = 1000      # [api]max_limit
# what nova's create answers (400) when a name or id in the body finds nothing
_CREATE_REFERENCE_ERRORS = {exception.ImageNotFound: "Can not find requested image",
                            exception.KeypairNotFound: "Invalid key_name provided."}


class ServersController:
    def __init__(self, lab, compute_api, actions):
        self.lab = lab
        self.compute_api = compute_api
        self.view = ViewBuilder(lab.endpoints["nova-api"], compute_api)
        self.actions = actions            # {"shelve": fn(req, id, body), ...}

    # -- reads ----------------------------------------------------------------------
    def _get_servers(self, req, is_detail):
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:servers:detail" if is_detail
                     else "os_compute_api:servers:index")
        params = req.GET
        opts = {}
        if params.get("all_tenants") not in (None, "0", "false", "False") and context.is_admin:
            opts["all_tenants"] = True
        if params.get("host") and context.is_admin:
            opts["host"] = params["host"]
        # nova turns these into search options (compute/api.py:get_all), which filter
        # the database and the servers still being scheduled alike
        name, status = params.get("name"), params.get("status")
        if name:
            try:
                re.compile(name)
            except re.error:
                raise HTTPError(400, f"Invalid name regex: {name}") from None
            opts["display_name"] = name
        if status:
            opts["vm_state"] = _STATUS_TO_VM.get(status.upper()) or "unknown-status"
        limit, marker = self._limit_and_marker(params)
        # a short list shows id, name and links: nova loads no extras for it
        try:
            instances = self.compute_api.get_all(context, opts, limit=limit, marker=marker,
                                                 expected_attrs=None if is_detail else [])
        except exception.MarkerNotFound:
            raise HTTPError(400, f"marker [{marker}] not found") from None
        if not is_detail:
            body = {"servers": [self.view.basic(req, i) for i in instances]}
        else:
            faults = objects.InstanceFaultList.get_latest_by_instance_uuids(
                context, [i.uuid for i in instances if i.vm_state == vm_states.ERROR])
            specs = (self.view.request_specs(context, [i.uuid for i in instances])
                     if req.api_version_request.matches("2.96") else {})
            statuses = (self.compute_api.get_instances_host_statuses(context, instances)
                        if req.api_version_request.matches("2.16") and context.is_admin else {})
            body = {"servers": [self.view.show(req, i, faults.get(i.uuid),
                                               request_spec=specs.get(i.uuid, {}),
                                               host_status=statuses.get(i.uuid))
                                for i in instances]}
        links = self.view.collection_links(req, instances, limit,
                                           "servers/detail" if is_detail else "servers")
        if links:
            body["servers_links"] = links
        return wsgi.response(200, body)

    @staticmethod
    def _limit_and_marker(params):
        """(page size, marker): ``limit`` at most [api]max_limit (1000), as nova's
        api/openstack/common.py:get_limit_and_marker."""
        limit = params.get("limit")
        if limit is not None and not limit.isdigit():
            raise HTTPError(400, "Invalid input for query parameters limit. "
                                 f"Value: {limit}. '{limit}' is not a 'positive_integer'")
        return (min(int(limit), MAX_LIMIT) if limit is not None else MAX_LIMIT,
                params.get("marker"))

    def index(self, req):
        return self._get_servers(req, is_detail=False)

    def detail(self, req):
        return self._get_servers(req, is_detail=True)

    def show(self, req, server_id):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:servers:show", instance.project_id)
        fault = None
        if instance.vm_state == vm_states.ERROR:
            fault = objects.InstanceFault.get_latest_for_instance(context, instance.uuid)
        return wsgi.response(200, {"server": self.view.show(req, instance, fault,
                                                            show_server_groups=True)})

    def ips(self, req, server_id, network=None):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        addresses = self.view._addresses(instance)
        if network is None:
            return wsgi.response(200, {"addresses": addresses})
        if network not in addresses:
            raise HTTPError(404, "Instance is not a member of specified network")
        return wsgi.response(200, {network: addresses[network]})

    # -- create ----------------------------------------------------------------------
    def create(self, req):
        """Validate, then compute_api.create; 202 before any host is chosen."""
        context = req.environ["nova.context"]
        body = wsgi.loads(req)
        validation.validate(body, schema.create_schema(req.api_version_request))
        policy.check(context, "os_compute_api:servers:create", context.project_id)
        server = body["server"]
        min_count = int(server.get("min_count", 1))
        max_count = int(server.get("max_count", min_count))
        if min_count > max_count:
            raise HTTPError(400, "min_count must be <= max_count")
        try:
            flavor = self._flavor(context, server["flavorRef"])
            image_href = server.get("imageRef") or ""
            if not image_href:
                raise HTTPError(400, "Can not find requested image")
            networks = _requested_networks(server.get("networks"))
            admin_password = server.get("adminPass")
            if admin_password is None and self.lab.conf.enable_instance_password:
                admin_password = self.lab.ids.password()
            hints = body.get("os:scheduler_hints") or body.get("OS-SCH-HNT:scheduler_hints")
            instances, resv_id = self.compute_api.create(
                context, flavor, image_href, min_count, max_count,
                display_name=server["name"], display_description=server.get("description"),
                requested_networks=networks, metadata=server.get("metadata"),
                admin_password=admin_password, key_name=server.get("key_name"),
                **self._hosts_for_create(req, context, server),
                security_groups=[g["name"] for g in server.get("security_groups", [])
                                 if "name" in g] or None,
                scheduler_hints=hints, tags=server.get("tags"))
        except (exception.ImageNotFound, exception.KeypairNotFound) as exc:
            raise HTTPError(400, _CREATE_REFERENCE_ERRORS[type(exc)]) from None
        except (exception.NetworkNotFound, exception.SecurityGroupNotFound,
                exception.InstanceGroupNotFound, exception.ComputeHostNotFound) as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.NoUniqueMatch as exc:
            raise HTTPError(409, exc.format_message()) from None
        except (exception.OverQuota, exception.ImageNotAuthorized) as exc:
            raise HTTPError(403, exc.format_message()) from None
        except exception.Invalid as exc:      # 400, or 409 for NetworkAmbiguous
            raise HTTPError(exc.code, exc.format_message()) from None
        if str(server.get("return_reservation_id")).lower() == "true":
            return wsgi.response(202, {"reservation_id": resv_id})
        body = self.view.create(req, instances[0],
                                admin_password if self.lab.conf.enable_instance_password
                                else None)
        location = body["server"]["links"][0]["href"]
        return wsgi.response(202, body, {"Location": location})

    def _hosts_for_create(self, req, context, server):
        """The zone, and the host or node an admin asks for: ``zone:host:node`` (forced:
        the scheduler skips its filters) or, from 2.74, ``host`` and
        ``hypervisor_hostname`` (requested: the filters still run), never both."""
        try:
            zone, host, node = self.compute_api.parse_availability_zone(
                context, server.get("availability_zone"))
        except exception.InvalidInput as exc:
            raise HTTPError(400, exc.format_message()) from None
        if host or node:
            policy.check(context, "os_compute_api:servers:create:forced_host",
                         context.project_id)
            zone = self._validate_host_availability_zone(context, zone, host)
        kwargs = {"availability_zone": zone, "forced_host": host, "forced_node": node}
        if not req.api_version_request.matches("2.74"):
            return kwargs
        # nova: _process_hosts_for_create
        requested_host, requested_node = server.get("host"), server.get("hypervisor_hostname")
        if requested_host or requested_node:
            policy.check(context, "compute:servers:create:requested_destination",
                         context.project_id)
            if host or node:
                raise HTTPError(400, "One mechanism with host and/or hypervisor_hostname and "
                                     "another mechanism with zone:host:node are mutually "
                                     "exclusive.")
        return dict(kwargs, requested_host=requested_host,
                    requested_hypervisor_hostname=requested_node)

    def _validate_host_availability_zone(self, context, availability_zone, host):
        """The zone to keep with a forced host: the requested one if the host is in it,
        else none (nova logs a warning and lets the host decide, bug #1934770)."""
        if not availability_zone:
            return availability_zone
        host_zones = [a.availability_zone for a in objects.AggregateList.get_by_host(
            context, host) if a.availability_zone]
        default = self.lab.conf.default_availability_zone
        if availability_zone == (host_zones[0] if host_zones else default):
            return availability_zone
        LOG.warning("Requested availability zone '%s' but forced host '%s' does not belong "
                    "to this availability zone; ignoring the requested availability zone "
                    "to avoid bug #1934770", availability_zone, host)
        return None

    def _flavor(self, context, flavor_ref):
        ref = str(flavor_ref).rstrip("/").rsplit("/", 1)[-1]
        try:
            return _flavor_for_instance(objects.Flavor.get_by_flavor_id(context, ref))
        except exception.FlavorNotFound:
            raise HTTPError(400, "Invalid flavorRef provided.") from None

    # -- delete and actions ----------------------------------------------------------------
    def delete(self, req, server_id):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:servers:delete", instance.project_id)
        try:
            self.compute_api.delete(context, instance)
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(204)

    def action(self, req, server_id):
        """One place where every server action is dispatched by the body's key."""
        body = wsgi.loads(req)
        name = wsgi.action_name(body, self.actions)
        return self.actions[name](req, server_id, body)

    def _reboot(self, req, server_id, body):
        """``reboot`` {"type": "SOFT"|"HARD"}: 202, then nova-compute reboots it."""
        validation.validate(body, schema.reboot)
        return common.instance_action(
            self.compute_api, req, server_id, "os_compute_api:servers:reboot", "reboot",
            self.compute_api.reboot, body["reboot"]["type"].upper())

    def _resize(self, req, server_id, body):
        """``resize`` {"flavorRef"}: 202, then the conductor finds a host for the new
        flavor; the server waits in VERIFY_RESIZE for confirmResize or revertResize."""
        validation.validate(body, schema.resize)
        disk_config = body["resize"].get("OS-DCF:diskConfig")
        try:
            return common.instance_action(
                self.compute_api, req, server_id, "os_compute_api:servers:resize", "resize",
                self.compute_api.resize, str(body["resize"]["flavorRef"]), True, None,
                None if disk_config is None else disk_config == "AUTO")
        except exception.OverQuota as exc:
            raise HTTPError(403, exc.format_message()) from None
        except exception.ServiceUnavailable as exc:
            raise HTTPError(409, exc.format_message()) from None
        except (exception.CannotResizeDisk, exception.CannotResizeToSameFlavor,
                exception.FlavorNotFound, exception.FlavorMemoryTooSmall,
                exception.FlavorDiskTooSmall) as exc:
            raise HTTPError(400, exc.format_message()) from None

    def _confirm_resize(self, req, server_id, body):
        """``confirmResize``: 204; the source host drops the old guest and its claim."""
        validation.validate(body, schema.confirm_resize)
        self._finish_resize_action(req, server_id, "confirm_resize", "confirmResize",
                                   self.compute_api.confirm_resize)
        return wsgi.response(204)

    def _revert_resize(self, req, server_id, body):
        """``revertResize``: 202; the server goes back to its source host and flavor."""
        validation.validate(body, schema.revert_resize)
        return self._finish_resize_action(req, server_id, "revert_resize", "revertResize",
                                          self.compute_api.revert_resize)

    def _finish_resize_action(self, req, server_id, rule, action, compute_action):
        """nova's _confirm_resize and _revert_resize: no finished resize is a 400."""
        try:
            return common.instance_action(self.compute_api, req, server_id,
                                          f"os_compute_api:servers:{rule}", action,
                                          compute_action)
        except exception.MigrationNotFound:
            raise HTTPError(400, "Instance has not been resized.") from None
        except exception.FlavorNotFound:
            raise HTTPError(400, "Flavor used by the instance could not be found.") from None
        except exception.ServiceUnavailable as exc:
            raise HTTPError(409, exc.format_message()) from None

    def _start(self, req, server_id, body):
        """``os-start``: a stopped (SHUTOFF) server powers on."""
        validation.validate(body, schema.start_server)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:servers:start", "start",
                                      self.compute_api.start)

    def _stop(self, req, server_id, body):
        """``os-stop``: an ACTIVE (or ERROR) server powers off."""
        validation.validate(body, schema.stop_server)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:servers:stop", "stop",
                                      self.compute_api.stop)

    def _rebuild(self, req, server_id, body):
        """``rebuild``: the server re-made from ``imageRef`` on its own host; 202 with the
        server as it is now (a shorter view before 2.75) and its new adminPass."""
        v = req.api_version_request
        validation.validate(body, validation.for_version(
            v, ("2.94", schema.rebuild_v294), ("2.90", schema.rebuild_v290),
            ("2.63", schema.rebuild_v263), ("2.57", schema.rebuild_v257),
            ("2.54", schema.rebuild_v254), ("2.19", schema.rebuild_v219),
            (None, schema.rebuild)))
        rebuild = body["rebuild"]
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:servers:rebuild", instance.project_id)
        if v.matches("2.63") and "trusted_image_certificates" in rebuild:
            policy.check(context, "os_compute_api:servers:rebuild:trusted_certs",
                         instance.project_id)
        password = rebuild.get("adminPass")
        if password is None and self.lab.conf.enable_instance_password:
            password = self.lab.ids.password()
        try:
            self.compute_api.rebuild(context, instance, rebuild["imageRef"], password,
                                     **_rebuild_kwargs(v, rebuild))
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "rebuild", server_id)
        except (exception.ImageNotFound, exception.KeypairNotFound) as exc:
            raise HTTPError(400, _REBUILD_REFERENCE_ERRORS[type(exc)]) from None
        except exception.OverQuota as exc:
            raise HTTPError(403, exc.format_message()) from None
        except exception.Invalid as exc:     # ImageNotActive, the flavor too small
            raise HTTPError(400, exc.format_message()) from None
        instance = common.get_instance(self.compute_api, context, server_id)
        server = self.view.rebuild(req, instance)
        if self.lab.conf.enable_instance_password:
            server["adminPass"] = password
        return wsgi.response(202, {"server": server})


# what nova's rebuild answers (400) when a name or id in the body finds nothing
_REBUILD_REFERENCE_ERRORS = {exception.ImageNotFound: "Cannot find image for rebuild",
                             exception.KeypairNotFound: "Invalid key_name provided."}


def _rebuild_kwargs(version, rebuild):
    """The instance's new attributes from a rebuild body, as nova's _rebuild gathers them
    (helpers.translate_attributes(REBUILD), then 2.54 key_name, 2.90 hostname, the name,
    description and metadata).

    NOTE(labkit): labkit's servers keep no disk config (``OS-DCF:diskConfig``), user
    data (2.57) or trusted certificates (2.63): they are checked, not kept."""
    kwargs = {"files_to_inject": rebuild["personality"]} if "personality" in rebuild else {}
    for attr, name in (("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6"),
                       ("name", "display_name"), ("description", "display_description"),
                       ("metadata", "metadata")):
        if attr in rebuild:
            kwargs[name] = rebuild[attr]
    if "preserve_ephemeral" in rebuild:
        kwargs["preserve_ephemeral"] = str(rebuild["preserve_ephemeral"]).lower() in (
            "true", "1", "on", "yes")
    if version.matches("2.54") and "key_name" in rebuild:
        kwargs["key_name"] = rebuild["key_name"]
    if version.matches("2.90") and "hostname" in rebuild:
        kwargs["hostname"] = rebuild["hostname"]
    return kwargs


def _requested_networks(networks):
    """The request's ``networks`` as nova keeps them: "auto", "none" or [{uuid|port|fixed_ip}]."""
    if not isinstance(networks, list):
        return networks
    for network in networks:       # nova's _get_requested_networks reads network['uuid']
        if not network.get("port") and "uuid" not in network:
            raise HTTPError(400, "Bad network format: missing 'uuid'")
    return [{k: v for k, v in n.items() if k in ("uuid", "port", "fixed_ip")} for n in networks]


def _flavor_for_instance(row):
    """The flavor as it is embedded in an instance (nova keeps a copy per instance)."""
    return {"id": row["id"], "flavorid": row["flavorid"], "name": row["name"],
            "memory_mb": row["memory_mb"], "vcpus": row["vcpus"], "root_gb": row["root_gb"],
            "ephemeral_gb": row["ephemeral_gb"], "swap": row["swap"],
            "extra_specs": row["extra_specs"] or {}}
