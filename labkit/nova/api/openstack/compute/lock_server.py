"""The lock and unlock actions (nova/api/openstack/compute/lock_server.py)."""
from labkit.nova import policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import shelve as schema


class LockServerController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def _lock(self, req, server_id, body):
        """Lock a server instance: only admins may then act on it."""
        context = req.environ["nova.context"]
        reason = None
        if req.api_version_request.matches("2.73"):
            validation.validate(body, schema.lock_v273)
            reason = (body["lock"] or {}).get("locked_reason")
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-lock-server:lock", instance.project_id)
        self.compute_api.lock(context, instance, reason=reason)
        return wsgi.response(202)

    def _unlock(self, req, server_id, body):
        """Unlock a server instance (an admin's lock needs an admin to undo it)."""
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-lock-server:unlock", instance.project_id)
        if not self.compute_api.is_expected_locked_by(context, instance):
            policy.check(context, "os_compute_api:os-lock-server:unlock:unlock_override",
                         instance.project_id)
        self.compute_api.unlock(context, instance)
        return wsgi.response(202)
