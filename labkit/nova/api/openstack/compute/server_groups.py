"""os-server-groups: named groups of servers that share a placement policy.

Real nova: nova/api/openstack/compute/server_groups.py:ServerGroupController.
A group has one policy — affinity, anti-affinity (2.1), soft-affinity,
soft-anti-affinity (2.15) — shown as ``policies: [policy]`` with an empty
``metadata`` until 2.64, and as ``policy`` plus ``rules`` from 2.64
(``max_server_per_host``, anti-affinity only).  A server joins a group by
booting with the scheduler hint ``group``; ``members`` lists only members not
deleted.  Creating a group counts against the ``server_groups`` quota.
"""
from labkit.nova import exception, objects, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute.schemas import server_groups as schema
from labkit.nova.quota import QuotaEngine
from labkit.wsgi.app import HTTPError

MAX_LIMIT = 1000      # [api]max_limit


def _get_not_deleted(context, uuids):
    """The members that still exist: built and not deleted, or still being scheduled.

    NOTE(labkit): nova finds those still being scheduled by their instance mappings
    with no cell yet (InstanceMappingList.get_by_instance_uuids); labkit by their
    build requests.
    """
    uuids = list(uuids)
    if not uuids:
        return []
    built = {instance.uuid for instance in objects.InstanceList.get_by_filters(
        context, {"uuid": uuids}, expected_attrs=[])}
    return [u for u in uuids if u in built or _being_scheduled(context, u)]


def _being_scheduled(context, instance_uuid):
    try:
        objects.BuildRequest.get_by_instance_uuid(context, instance_uuid)
    except exception.BuildRequestNotFound:
        return False
    return True


def _check_server_groups_quota(context, quotas, delta):
    """403 in nova's words when the project (or user) would pass its ``server_groups``
    quota (objects.Quotas.check_deltas over InstanceGroupList.get_counts)."""
    try:
        quotas.check_deltas(context, {"server_groups": delta}, context.project_id,
                            context.user_id)
    except exception.OverQuota:
        raise HTTPError(403, "Quota exceeded, too many server groups.") from None


class ServerGroupController:
    def __init__(self, lab):
        self.lab = lab
        self.quotas = QuotaEngine(lab.conf)

    def _format_server_group(self, context, group, req, not_deleted=None):
        v = req.api_version_request
        server_group = {"id": group.uuid, "name": group.name}
        if v.matches("2.64"):
            server_group["policy"], server_group["rules"] = group.policy, group.rules or {}
        else:
            server_group["policies"], server_group["metadata"] = group.policies, {}
        members = group.members or []
        server_group["members"] = (sorted(set(members) & not_deleted) if not_deleted is not None
                                   else _get_not_deleted(context, members))
        if v.matches("2.13"):
            server_group["project_id"], server_group["user_id"] = group.project_id, \
                group.user_id
        return server_group

    def _get(self, context, group_id):
        try:
            return objects.InstanceGroup.get_by_uuid(context, group_id)
        except exception.InstanceGroupNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None

    def show(self, req, group_id):
        context = req.environ["nova.context"]
        group = self._get(context, group_id)
        policy.check(context, "os_compute_api:os-server-groups:show", group.project_id)
        return wsgi.response(200, {"server_group": self._format_server_group(
            context, group, req)})

    def delete(self, req, group_id):
        context = req.environ["nova.context"]
        group = self._get(context, group_id)
        policy.check(context, "os_compute_api:os-server-groups:delete", group.project_id)
        try:
            group.destroy()
        except exception.InstanceGroupNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(204)

    def index(self, req):
        """GET /os-server-groups: the project's groups (every project's, for an admin
        asking ``all_projects``), paged by ``offset`` and ``limit``."""
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-server-groups:index", context.project_id)
        validation.validate_query(req, schema.index_query_v275 if req.api_version_request.matches(
            "2.75") else schema.index_query)
        if "all_projects" in req.GET and context.is_admin:
            policy.check(context, "os_compute_api:os-server-groups:index:all_projects")
            groups = objects.InstanceGroupList.get_all(context)
        else:
            groups = objects.InstanceGroupList.get_by_project_id(context, context.project_id)
        offset, limit = (int(req.GET[k]) if k in req.GET else None for k in ("offset", "limit"))
        # nova/api/openstack/common.py:limited: no limit (or 0) is [api]max_limit
        groups = groups[offset or 0:][:min(MAX_LIMIT, limit or MAX_LIMIT)]
        not_deleted = set(_get_not_deleted(context, [m for g in groups for m in g.members]))
        return wsgi.response(200, {"server_groups": [
            self._format_server_group(context, g, req, not_deleted) for g in groups]})

    def create(self, req):
        """POST /os-server-groups: check the quota, then store the group."""
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-server-groups:create", context.project_id)
        body = wsgi.loads(req)
        v = req.api_version_request
        validation.validate(body, schema.create_v264 if v.matches("2.64") else
                            schema.create_v215 if v.matches("2.15") else schema.create)
        _check_server_groups_quota(context, self.quotas, 1)
        vals = body["server_group"]
        if v.matches("2.64"):
            group_policy, rules = vals["policy"], vals.get("rules", {})
            if group_policy != "anti-affinity" and rules:
                raise HTTPError(400, "Only anti-affinity policy supports rules.")
            rules = {k: int(r) for k, r in rules.items()}
        else:
            group_policy, rules = vals["policies"][0], {}
        group = objects.InstanceGroup(
            context, uuid=self.lab.ids.uuid4(), name=vals["name"], policy=group_policy,
            rules=rules, project_id=context.project_id, user_id=context.user_id, members=[])
        group.create()
        return wsgi.response(200, {"server_group": self._format_server_group(
            context, group, req)})
