"""The evacuate action: rebuild a server whose host is down on another host (admin).

Real nova: nova/api/openstack/compute/evacuate.py:EvacuateController._evacuate.
The host named must be a compute host (404) other than the server's (400); the
server's own host must be down (stopped, or forced down through os-services),
else nova-api refuses with ComputeServiceInUse (400).  Microversions: before
2.14 the body says ``onSharedStorage`` and the answer carries the new adminPass;
from 2.14 the answer is empty; 2.29 adds ``force`` (skip the scheduler for the
named host), 2.68 takes it away; from 2.95 the evacuated server ends stopped.
It answers 200, not 202 (nova keeps it "for backwards compatibility").
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import evacuate as schema
from labkit.nova.compute import vm_states
from labkit.wsgi.app import HTTPError

_TRUE = ("true", "1", "on", "yes")


class EvacuateController:
    def __init__(self, lab, compute_api, host_api):
        self.lab, self.compute_api, self.host_api = lab, compute_api, host_api

    def _get_password(self, req, evacuate_body, on_shared_storage):
        """The new admin password: the body's, else a generated one (none before 2.14
        for a disk on shared storage, which keeps its password)."""
        if "adminPass" in evacuate_body:
            if on_shared_storage and not req.api_version_request.matches("2.14"):
                raise HTTPError(400, "admin password can't be changed on existing disk")
            return evacuate_body["adminPass"]
        if on_shared_storage:
            return None
        return self.lab.ids.password()

    def _evacuate(self, req, server_id, body):
        """Permit admins to evacuate a server from a failed host to a new one."""
        v = req.api_version_request
        validation.validate(body, validation.for_version(
            v, ("2.68", schema.evacuate_v268), ("2.29", schema.evacuate_v229),
            ("2.14", schema.evacuate_v214), (None, schema.evacuate)))
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-evacuate", instance.project_id)
        evacuate_body = body["evacuate"]
        host = evacuate_body.get("host")
        target_state = vm_states.STOPPED if v.matches("2.95") else None
        on_shared_storage = None if v.matches("2.14") else \
            str(evacuate_body["onSharedStorage"]).lower() in _TRUE
        force = None
        if v.matches("2.29"):      # from 2.68 the schema refuses "force": it is False
            force = str(evacuate_body.get("force", False)).lower() in _TRUE
            if force and not host:
                raise HTTPError(400, "Can't force to a non-provided destination")
        password = self._get_password(req, evacuate_body, on_shared_storage)
        if host is not None:
            try:
                self.host_api.service_get_by_compute_host(context, host)
            except exception.ComputeHostNotFound:
                raise HTTPError(404, f"Compute host {host} not found.") from None
        if instance.host == host:
            raise HTTPError(400, "The target host can't be the same one.")
        try:
            self.compute_api.evacuate(context, instance, host, on_shared_storage, password,
                                      force, target_state)
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "evacuate", server_id)
        except exception.ComputeServiceInUse as exc:
            raise HTTPError(400, exc.format_message()) from None
        if not v.matches("2.14") and self.lab.conf.enable_instance_password:
            return wsgi.response(200, {"adminPass": password})
        return wsgi.response(200, None)
