"""os-services (admin): the nova services, whether they are up, and switching them off.

Real nova: nova/api/openstack/compute/services.py:ServiceController.  ``state``
(up/down) comes from the servicegroup API — the service's heartbeats — and
``status`` (enabled/disabled) from the services table.  Before 2.53 a service
is named by host and binary in the body of ``PUT /os-services/{action}``
(enable, disable, disable-log-reason, and force-down from 2.11); from 2.53 by
its uuid in ``PUT /os-services/{service_id}``, and ``id`` is that uuid.  A compute
cannot be forced back up while evacuations from it wait for its restart.
"""
import uuid

from labkit.nova import exception, objects, policy, utils
from labkit.nova.api import validation
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute.schemas import services as schema
from labkit.wsgi.app import HTTPError

_TRUE = {"true", "1", "on", "yes"}


def _bool(value):
    """oslo_utils.strutils.bool_from_string over the schema's accepted values."""
    return value if isinstance(value, bool) else str(value).lower() in _TRUE


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class ServiceController:
    def __init__(self, host_api, aggregate_api):
        self.host_api, self.aggregate_api = host_api, aggregate_api
        self.servicegroup_api = host_api.servicegroup_api
        self.actions = {"enable": self._enable, "disable": self._disable,
                        "disable-log-reason": self._disable_log_reason}

    def _get_services(self, req):
        """Every service, by ``host`` and ``binary`` if the query names them."""
        context = req.environ["nova.context"]
        services = self.host_api.service_get_all(context, set_zones=True)
        host, binary = req.GET.get("host"), req.GET.get("binary")
        return [s for s in services if (not host or s.host == host)
                and (not binary or s.binary == binary)]

    def _get_service_detail(self, svc, req, additional_fields=()):
        detail = {"binary": svc.binary, "host": svc.host,
                  "id": svc.uuid if req.api_version_request.matches("2.53") else svc.id,
                  "zone": svc.availability_zone,
                  "status": "disabled" if svc.disabled else "enabled",
                  "state": "up" if self.servicegroup_api.service_is_up(svc) else "down",
                  "updated_at": self.servicegroup_api.get_updated_time(svc),
                  "disabled_reason": svc.disabled_reason}
        for field in additional_fields:
            detail[field] = bool(svc[field])
        return detail

    def index(self, req):
        """GET /os-services: binary, host, zone, status, state, updated_at ... of each."""
        policy.check(req.environ["nova.context"], "os_compute_api:os-services:list")
        validation.validate_query(req, schema.index_query_v275 if req.api_version_request.matches(
            "2.75") else schema.index_query)
        extra = ("forced_down",) if req.api_version_request.matches("2.11") else ()
        return wsgi.response(200, {"services": [self._get_service_detail(s, req, extra)
                                                for s in self._get_services(req)]})

    # -- before 2.53: PUT /os-services/{enable|disable|disable-log-reason|force-down} ---------
    def update(self, req, service_id):
        context = req.environ["nova.context"]
        body = wsgi.loads(req)
        if req.api_version_request.matches("2.53"):
            validation.validate(body, schema.update_v253)
            return self._update_v253(req, context, service_id, body)
        validation.validate(body, schema.update_v211 if req.api_version_request.matches(
            "2.11") else schema.update)
        policy.check(context, "os_compute_api:os-services:update")
        actions = dict(self.actions)
        if req.api_version_request.matches("2.11"):
            actions["force-down"] = self._forced_down
        if service_id not in actions:
            raise HTTPError(404, "Unknown action")
        return wsgi.response(200, actions[service_id](body, context))

    def _enable(self, body, context):
        return self._enable_disable(body, context, "enabled",
                                    {"disabled": False, "disabled_reason": None})

    def _disable(self, body, context, reason=None):
        return self._enable_disable(body, context, "disabled",
                                    {"disabled": True, "disabled_reason": reason})

    def _disable_log_reason(self, body, context):
        if "disabled_reason" not in body:
            raise HTTPError(400, "Missing disabled reason field")
        return self._disable(body, context, body["disabled_reason"])

    def _enable_disable(self, body, context, status, params_to_update):
        ret = {"service": {"host": body["host"], "binary": body["binary"], "status": status}}
        if params_to_update.get("disabled_reason"):
            ret["service"]["disabled_reason"] = params_to_update["disabled_reason"]
        self._update(context, body["host"], body["binary"], params_to_update)
        return ret

    def _forced_down(self, body, context):
        if "forced_down" not in body:
            raise HTTPError(400, "Missing forced_down field")
        forced_down = _bool(body["forced_down"])
        if body["binary"] == "nova-compute" and forced_down is False:
            self._check_for_evacuations(context, body["host"])
        self._update(context, body["host"], body["binary"], {"forced_down": forced_down})
        return {"service": {"host": body["host"], "binary": body["binary"],
                            "forced_down": forced_down}}

    def _check_for_evacuations(self, context, hostname):
        """Refuse to force a host back up while its evacuations still wait for it.

        An evacuation record from ``hostname`` still ``done`` means its nova-compute has
        not started again: its start-up (ComputeManager._destroy_evacuated_instances)
        destroys the evacuated guests and sets the records ``completed``.  Real nova:
        ServiceController._check_for_evacuations (400, not yet 409).
        """
        if objects.MigrationList.get_by_filters(context, {
                "source_compute": hostname, "status": "done",
                "migration_type": "evacuation"}):
            raise HTTPError(400, f"Unable to force up host {hostname} as `done` evacuation "
                                 "migration records remain associated with the host. Ensure "
                                 "the compute service has been restarted, allowing these "
                                 "records to move to `completed` before retrying this request.")

    def _update(self, context, host, binary, payload):
        if binary != "nova-compute":
            raise HTTPError(400, f"Updating a {binary} service is not supported. Only "
                                 "nova-compute services can be updated.")
        try:
            self.host_api.service_update_by_host_and_binary(context, host, binary, payload)
        except exception.HostBinaryNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None

    # -- 2.53 and later: PUT /os-services/{service_uuid} ---------------------------------
    def _update_v253(self, req, context, service_id, body):
        if not _is_uuid(service_id):
            raise HTTPError(400, f"Invalid uuid {service_id}")
        policy.check(context, "os_compute_api:os-services:update")
        try:
            service = self.host_api.service_get_by_id(context, service_id)
        except exception.ServiceNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        if service.binary != "nova-compute":
            raise HTTPError(400, f"Updating a {service.binary} service is not supported. "
                                 "Only nova-compute services can be updated.")
        if body.get("status") == "enabled":
            if body.get("disabled_reason"):
                raise HTTPError(400, "Specifying 'disabled_reason' with status 'enabled' "
                                     "is invalid.")
            service.disabled, service.disabled_reason = False, None
        elif body.get("status") == "disabled":
            service.disabled, service.disabled_reason = True, body.get("disabled_reason")
        if "forced_down" in body:
            service.forced_down = _bool(body["forced_down"])
            if service.forced_down is False:
                self._check_for_evacuations(context, service.host)
        if not service.obj_what_changed():
            raise HTTPError(400, "No updates were requested. Fields 'status' or "
                                 "'forced_down' should be specified.")
        self.host_api.service_update(context, service)
        service = self.host_api.service_get_all(context, {"id": service.id}, set_zones=True)[0]
        return wsgi.response(200, {"service": self._get_service_detail(
            service, req, ("forced_down",))})

    def delete(self, req, service_id):
        """DELETE /os-services/{id}: refused while a compute host runs servers."""
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-services:delete")
        if req.api_version_request.matches("2.53"):
            if not _is_uuid(service_id):
                raise HTTPError(400, f"Invalid uuid {service_id}")
        else:
            try:
                utils.validate_integer(service_id, "id")
            except exception.InvalidInput as exc:
                raise HTTPError(400, exc.format_message()) from None
        try:
            service = self.host_api.service_get_by_id(context, service_id)
        except exception.ServiceNotFound:
            raise HTTPError(404, f"Service {service_id} not found.") from None
        if service.binary == "nova-compute":
            self._delete_compute(context, service)
        service.destroy()
        return wsgi.response(204)

    def _delete_compute(self, context, service):
        """Leave the aggregates and delete the host's resource provider."""
        if self.host_api.instance_count_by_host(context, service.host):
            raise HTTPError(409, "Unable to delete compute service that is hosting "
                                 "instances. Migrate or delete the instances first.")
        for aggregate in self.aggregate_api.get_aggregates_by_host(context, service.host):
            self.aggregate_api.remove_host_from_aggregate(context, aggregate.id, service.host)
        try:
            nodes = objects.ComputeNodeList.get_all_by_host(context, service.host)
        except exception.ComputeHostNotFound:
            return                # nova deletes a service whose nodes are gone, too
        for node in nodes:
            self.aggregate_api.placement_client.delete_resource_provider(context, node["uuid"])
