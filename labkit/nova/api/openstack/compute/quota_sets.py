"""os-quota-sets: a project's (or a user's) limits; an admin sets them.

Real nova: nova/api/openstack/compute/quota_sets.py:QuotaSetsController —
show, detail (each limit with ``in_use`` and ``reserved``), defaults, update
(a new limit must lie between what is used and what the project has left to
give, unless ``force``), delete (back to the defaults).  2.36 hides the network
quotas, 2.57 the personality files.
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute.schemas import quota_sets as schema
from labkit.nova.objects.quotas import Quotas
from labkit.wsgi.app import HTTPError

_TRUE = ("1", "t", "true", "on", "y", "yes")     # oslo_utils.strutils.bool_from_string


def _format_quota_set(project_id, quota_set, filtered):
    result = {"id": str(project_id)} if project_id else {}
    result.update((k, v) for k, v in sorted(quota_set.items()) if k not in filtered)
    return {"quota_set": result}


def _validate_quota_limit(resource, limit, minimum, maximum):
    def conv_inf(value):
        return float("inf") if value == -1 else value
    if conv_inf(limit) < conv_inf(minimum):
        raise HTTPError(400, f"Quota limit {limit} for {resource} must be greater than or "
                             f"equal to already used and reserved {minimum}.")
    if conv_inf(limit) > conv_inf(maximum):
        raise HTTPError(400, f"Quota limit {limit} for {resource} must be less than or "
                             f"equal to {maximum}.")


class QuotaSetsController:
    def __init__(self, quotas, identity):
        self.quotas, self.identity = quotas, identity

    def _start(self, req, project_id, action):
        """(context, user_id): the policy, the query and (but for delete) keystone's word
        that the project exists."""
        context = req.environ["nova.context"]
        policy.check(context, f"os_compute_api:os-quota-sets:{action}", project_id)
        validation.validate_query(req, schema.query(req.api_version_request))
        if action != "delete":
            self.identity.verify_project_id(context, project_id)
        user_id = req.GET.getall("user_id")[0] if "user_id" in req.GET else None
        return context, user_id

    def _get_quotas(self, context, project_id, user_id=None, usages=False):
        if user_id:
            values = self.quotas.get_user_quotas(context, project_id, user_id, usages=usages)
        else:
            values = self.quotas.get_project_quotas(context, project_id, usages=usages)
        if usages:                 # nova stopped reserving: "reserved" is always 0
            reserved = self.quotas.get_reserved()
            return {k: dict(v, reserved=reserved) for k, v in values.items()}
        return {k: v["limit"] for k, v in values.items()}

    def show(self, req, project_id):
        context, user_id = self._start(req, project_id, "show")
        return wsgi.response(200, _format_quota_set(
            project_id, self._get_quotas(context, project_id, user_id),
            schema.filtered_quotas(req.api_version_request)))

    def detail(self, req, project_id):
        context, user_id = self._start(req, project_id, "detail")
        return wsgi.response(200, _format_quota_set(
            project_id, self._get_quotas(context, project_id, user_id, usages=True),
            schema.filtered_quotas(req.api_version_request)))

    def defaults(self, req, project_id):
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-quota-sets:defaults", project_id)
        self.identity.verify_project_id(context, project_id)
        return wsgi.response(200, _format_quota_set(
            project_id, self.quotas.get_defaults(context),
            schema.filtered_quotas(req.api_version_request)))

    def update(self, req, project_id):
        """Check every new limit first, then write them all (nova's two passes)."""
        body = wsgi.loads(req)
        validation.validate(body, schema.update_schema(req.api_version_request))
        context, user_id = self._start(req, project_id, "update")
        quota_set = body["quota_set"]
        force = str(quota_set.get("force", "False")).lower() in _TRUE
        settable = self.quotas.get_settable_quotas(context, project_id, user_id=user_id)
        valid = {}
        for key, value in quota_set.items():
            if key == "force" or (not value and value != 0):
                continue
            value = int(value)
            if not force:
                _validate_quota_limit(key, value, settable[key]["minimum"],
                                      settable[key]["maximum"])
            valid[key] = value
        for key, value in valid.items():
            try:
                Quotas.create_limit(context, project_id, key, value, user_id=user_id)
            except exception.QuotaExists:
                Quotas.update_limit(context, project_id, key, value, user_id=user_id)
        return wsgi.response(200, _format_quota_set(
            None, self._get_quotas(context, project_id, user_id),
            schema.filtered_quotas(req.api_version_request)))

    def delete(self, req, project_id):
        context, user_id = self._start(req, project_id, "delete")
        try:
            if user_id:
                Quotas.destroy_all_by_project_and_user(context, project_id, user_id)
            else:
                Quotas.destroy_all_by_project(context, project_id)
        except exception.QuotaNotFound:
            pass         # nova's delete expects no error: nothing set is nothing to undo
        return wsgi.response(202)
