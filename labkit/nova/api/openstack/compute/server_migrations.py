"""A server's live migration under way: list, show, force it to finish, abort it.

Real nova: nova/api/openstack/compute/server_migrations.py:ServerMigrationsController.
``GET /servers/{id}/migrations`` (2.23) lists only live migrations still in progress
(queued, preparing, running, post-migrating); ``POST .../migrations/{id}/action
{"force_complete": null}`` (2.22) asks the source host to finish a running one now;
``DELETE .../migrations/{id}`` (2.24) aborts it (2.65: a queued or preparing one too).
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import server_migrations as schema
from labkit.wsgi.app import HTTPError

_POLICY = "os_compute_api:servers:migrations:%s"
_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")
_HOST_KEYS = ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")


def output(migration, include_uuid=False, include_user_project=False, include_host=True):
    """The record as the API shows it (nova: server_migrations.output)."""
    result = {"created_at": migration.created_at, "id": migration.id,
              "server_uuid": migration.instance_uuid, "status": migration.status,
              "updated_at": migration.updated_at,
              **{f"{kind}_{what}_bytes": getattr(migration, f"{kind}_{what}")
                 for kind in ("memory", "disk") for what in ("processed", "remaining", "total")},
              **{key: getattr(migration, key) if include_host else None for key in _HOST_KEYS}}
    if include_uuid:
        result["uuid"] = migration.uuid
    if include_user_project:
        result.update(user_id=migration.user_id, project_id=migration.project_id)
    return result


def _require(req, version):
    """nova's ``@wsgi.api_version``: an older request finds no such resource (404)."""
    if not req.api_version_request.matches(version):
        raise HTTPError(404, "The resource could not be found.")


class ServerMigrationsController:
    """The server migrations API controller for the OpenStack API."""

    def __init__(self, compute_api):
        self.compute_api = compute_api
        self.actions = {"force_complete": self._force_complete}

    def action(self, req, server_id, id):
        """``POST .../migrations/{id}/action``: the body's one key picks the action."""
        body = wsgi.loads(req)
        return self.actions[wsgi.action_name(body, self.actions)](req, id, server_id, body)

    def _force_complete(self, req, id, server_id, body):
        _require(req, "2.22")
        validation.validate(body, schema.force_complete)
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, _POLICY % "force_complete", instance.project_id)
        try:
            self.compute_api.live_migrate_force_complete(context, instance, id)
        except (exception.MigrationNotFoundByStatus, exception.InvalidMigrationState,
                exception.MigrationNotFoundForInstance) as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "force_complete",
                                                                  server_id)
        return wsgi.response(202)

    def _query(self, req, query, query_v2102):
        _require(req, "2.23")
        validation.validate_query(req, query_v2102 if req.api_version_request.matches(
            "2.102") else query)
        return req.environ["nova.context"]

    def index(self, req, server_id):
        """Return all migrations of an instance in progress."""
        context = self._query(req, schema.index_query, schema.index_query_v2102)
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, _POLICY % "index", instance.project_id)
        include_host = policy.check(context, _POLICY % "index:host", instance.project_id,
                                    fatal=False)
        migrations = self.compute_api.get_migrations_in_progress_by_instance(
            context, server_id, "live-migration")
        version = req.api_version_request
        return wsgi.response(200, {"migrations": [
            output(m, version.matches("2.59"), version.matches("2.80"), include_host)
            for m in migrations]})

    def show(self, req, server_id, id):
        """Return the migration of an instance in progress by id."""
        context = self._query(req, schema.show_query, schema.show_query_v2102)
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, _POLICY % "show", instance.project_id)
        try:
            migration = self.compute_api.get_migration_by_id_and_instance(context, id,
                                                                          server_id)
        except exception.MigrationNotFoundForInstance:
            raise HTTPError(404, f"In-progress live migration {id} is not found for server "
                                 f"{server_id}.") from None
        if migration.migration_type != "live-migration":
            raise HTTPError(404, f"Migration {id} for server {server_id} is not "
                                 "live-migration.")
        if migration.status not in _IN_PROGRESS:
            raise HTTPError(404, f"Live migration {id} for server {server_id} is not in "
                                 "progress.")
        version = req.api_version_request
        return wsgi.response(200, {"migration": output(migration, version.matches("2.59"),
                                                       version.matches("2.80"))})

    def delete(self, req, server_id, id):
        """Abort an in progress migration of an instance."""
        _require(req, "2.24")
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, _POLICY % "delete", instance.project_id)
        try:
            self.compute_api.live_migrate_abort(
                context, instance, id,
                support_abort_in_queue=req.api_version_request.matches("2.65"))
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(
                exc, "abort live migration", server_id)
        except exception.MigrationNotFoundForInstance as exc:
            raise HTTPError(404, exc.format_message()) from None
        except exception.InvalidMigrationState as exc:
            raise HTTPError(400, exc.format_message()) from None
        return wsgi.response(202)
