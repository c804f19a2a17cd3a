"""GET /os-migrations: every move of every server, for an admin.

Real nova: nova/api/openstack/compute/migrations.py:MigrationsController.
Filters are query parameters (host, status, instance_uuid, source_compute,
migration_type, hidden).  2.23 adds ``migration_type`` and, for a live migration
under way, a link to /servers/{id}/migrations/{id}; 2.59 adds ``uuid``, paging
(``limit``, ``marker`` a migration uuid, ``migrations_links``) newest first and
``changes-since``; 2.66 ``changes-before``; 2.80 ``user_id``/``project_id``, as
filters and in each record.  Hidden records (nova's cross-cell copies) are left out.
"""
import datetime

from labkit.nova import exception, objects, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import migrations as schema
from labkit.wsgi.app import HTTPError

_DETAIL = ("memory_total", "memory_processed", "memory_remaining", "disk_total",
           "disk_processed", "disk_remaining")
_DROPPED = ("deleted", "deleted_at", "hidden", "cross_cell_move", "dest_compute_id") + _DETAIL
_LIVE_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")
_HOST_KEYS = ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")


def _isotime(value):
    """A query time as nova stores it: naive UTC (oslo's timeutils.parse_isotime)."""
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed.isoformat(timespec="microseconds")


class MigrationsController:
    def _output(self, req, migrations, add_link, add_uuid, add_user_project, add_host):
        """Each record as the API shows it (nova: MigrationsController._output)."""
        out = []
        for migration in migrations:
            if migration.hidden:
                continue
            obj = {k: getattr(migration, k) for k in migration.fields if k not in _DROPPED}
            if not add_uuid:
                del obj["uuid"]
            if not add_user_project:
                del obj["user_id"], obj["project_id"]
            if not add_host:
                obj.update(dict.fromkeys(_HOST_KEYS))
            if add_link and obj["migration_type"] == "live-migration" and \
                    obj["status"] in _LIVE_IN_PROGRESS:
                path = f"servers/{obj['instance_uuid']}/migrations/{obj['id']}"
                obj["links"] = [
                    {"rel": "self", "href": f"{req.application_url}/{path}"},
                    {"rel": "bookmark",
                     "href": f"{req.application_url.rsplit('/', 1)[0]}/{path}"}]
            elif not add_link:
                del obj["migration_type"]
            out.append(obj)
        return out

    @staticmethod
    def _search_opts(req, context, v):
        """The filters, with the time filters nova's microversion allows (400 when
        changes-since comes after changes-before)."""
        search_opts = {k: req.GET.getall(k)[-1] for k in req.GET}
        project_id = search_opts.get("project_id")
        if not project_id or project_id != context.project_id:
            policy.check(context, "os_compute_api:os-migrations:index:all_projects")
        for key, since in (("changes-since", "2.59"), ("changes-before", "2.66")):
            if key in search_opts:
                if v.matches(since):
                    search_opts[key] = _isotime(search_opts[key])
                else:
                    del search_opts[key]
        if search_opts.get("changes-before", "~") < search_opts.get("changes-since", ""):
            raise HTTPError(400, "The value of changes-since must be less than or equal to "
                                 "changes-before.")
        if not v.matches("2.80"):
            search_opts.pop("user_id", None), search_opts.pop("project_id", None)
        for key in ("limit", "marker"):
            search_opts.pop(key, None)
        return search_opts

    def index(self, req):
        """Return all migrations using the query parameters as filters."""
        context = req.environ["nova.context"]
        v = req.api_version_request
        validation.validate_query(req, validation.for_version(
            v, ("2.80", schema.index_query_v280), ("2.66", schema.index_query_v266),
            ("2.59", schema.index_query_v259), (None, schema.index_query_v20)))
        policy.check(context, "os_compute_api:os-migrations:index")
        search_opts = self._search_opts(req, context, v)
        add_host = policy.check(context, "os_compute_api:os-migrations:index:host",
                                fatal=False)
        limit = marker = None
        if v.matches("2.59"):
            limit, marker = common.get_limit_and_marker(req)
        if "hidden" in search_opts:
            search_opts["hidden"] = search_opts["hidden"].lower() in ("1", "true", "yes")
        try:
            migrations = objects.MigrationList.get_by_filters(
                context, search_opts, sort_keys=["created_at", "id"] if v.matches("2.59")
                else None, limit=limit, marker=marker)
        except exception.MarkerNotFound as exc:
            raise HTTPError(400, exc.format_message()) from None
        body = {"migrations": self._output(req, migrations, v.matches("2.23"),
                                           v.matches("2.59"), v.matches("2.80"), add_host)}
        if v.matches("2.59"):
            links = common.get_collection_links(req, body["migrations"], "os-migrations",
                                                "uuid")
            if links:
                body["migrations_links"] = links
        return wsgi.response(200, body)
