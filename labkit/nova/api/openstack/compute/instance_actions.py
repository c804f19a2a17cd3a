"""os-instance-actions: what was done to a server, by whom, and each step's result.

Real nova: nova/api/openstack/compute/instance_actions.py.  Events are
shown to admins, and to everyone from microversion 2.51 (without tracebacks).
"""
from labkit.nova import objects, policy
from labkit.nova.api.openstack import common, wsgi
from labkit.wsgi.app import HTTPError

_ACTION_KEYS = ("action", "instance_uuid", "request_id", "user_id", "project_id",
                "start_time", "message")


class InstanceActionsController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    @staticmethod
    def _action(row, version):
        out = {k: row[k] for k in _ACTION_KEYS}
        out["start_time"] = (row["start_time"] or "")[:26]
        if version.matches("2.58"):
            out["updated_at"] = (row["updated_at"] or row["start_time"] or "")[:26]
        return out

    def index(self, req, server_id):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-instance-actions:list", instance.project_id)
        rows = objects.InstanceActionList.get_by_instance_uuid(context, instance.uuid)
        v = req.api_version_request
        return wsgi.response(200, {"instanceActions": [self._action(r, v) for r in rows]})

    def show(self, req, server_id, request_id):
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-instance-actions:show", instance.project_id)
        row = objects.InstanceAction.get_by_request_id(context, instance.uuid, request_id)
        if row is None:
            raise HTTPError(404, f"Action {request_id} not found")
        v = req.api_version_request
        action = self._action(row, v)
        admin = policy.check(context, "os_compute_api:os-instance-actions:events", fatal=False)
        if admin or v.matches("2.51"):
            events = []
            for ev in objects.InstanceActionEventList.get_by_action(context, row["id"]):
                event = {"event": ev["event"], "start_time": (ev["start_time"] or "")[:26],
                         "finish_time": (ev["finish_time"] or "")[:26] or None,
                         "result": ev["result"]}
                if admin:
                    event["traceback"] = ev["traceback"]
                if v.matches("2.62"):
                    event["host"] = ev["host"] if admin else ""
                    event["hostId"] = ""
                if v.matches("2.84") and admin:
                    event["details"] = ev["details"]
                events.append(event)
            action["events"] = events
        return wsgi.response(200, {"instanceAction": action})


