"""The migrate actions: ``migrate`` (cold) and ``os-migrateLive`` (admin).

Real nova: nova/api/openstack/compute/migrate_server.py:MigrateServerController.
A live migration moves a running server to another host without stopping it.
``host`` null lets the scheduler choose; a host given is checked by the scheduler's
filters too (unless 2.30-2.67's ``force``).  From 2.34 the conductor's checks run
after the 202 (a cast); before, nova-api waits for them (a call) and answers 400
when they fail.
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import migrate_server as schema
from labkit.wsgi.app import HTTPError

_TRUE = {"true", "1", "on", "yes"}

# what the conductor's checks raise: nova-api's 400 when it waits for them (before 2.34)
_PRE_CHECK_ERRORS = (exception.NoValidHost, exception.ComputeServiceUnavailable,
                     exception.InvalidHypervisorType, exception.InvalidCPUInfo,
                     exception.UnableToMigrateToSelf,
                     exception.DestinationHypervisorTooOld, exception.HypervisorUnavailable,
                     exception.MigrationPreCheckError)


def _bool(value):
    """oslo_utils.strutils.bool_from_string(strict=True) over the schema's values."""
    return value if isinstance(value, bool) else str(value).lower() in _TRUE


class MigrateServerController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def _migrate(self, req, server_id, body):
        """Permit admins to migrate a server to a new host (a cold migration: a resize
        to the same flavor); 2.56 checks the body and lets an admin name the ``host``."""
        version = req.api_version_request
        host_name = None
        if version.matches("2.56"):
            validation.validate(body, schema.migrate)
            host_name = (body["migrate"] or {}).get("host")
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-migrate-server:migrate" +
                     (":host" if host_name else ""), instance.project_id)
        try:
            self.compute_api.resize(context, instance, host_name=host_name)
        except exception.OverQuota as exc:
            raise HTTPError(403, exc.format_message()) from None
        except (exception.InstanceIsLocked, exception.InstanceNotReady,
                exception.ServiceUnavailable) as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "migrate", server_id)
        except (exception.ComputeHostNotFound, exception.CannotMigrateToSameHost) as exc:
            raise HTTPError(400, exc.format_message()) from None
        return wsgi.response(202)

    def _migrate_live(self, req, server_id, body):
        """Permit admins to (live) migrate a server to a new host."""
        version = req.api_version_request
        validation.validate(body, validation.for_version(
            version, ("2.68", schema.migrate_live_v2_68), ("2.30", schema.migrate_live_v2_30),
            ("2.25", schema.migrate_live_v2_25), (None, schema.migrate_live)))
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        options = body["os-migrateLive"]
        host = options["host"]
        policy.check(context, "os_compute_api:os-migrate-server:migrate_live" +
                     (":host" if host else ""), instance.project_id)
        block_migration, force, disk_over_commit = options["block_migration"], None, None
        async_ = version.matches("2.34")
        if version.matches("2.30"):
            force = self._get_force_param_for_live_migration(body, host)
        if version.matches("2.25"):
            block_migration = None if block_migration == "auto" else _bool(block_migration)
        else:
            block_migration = _bool(block_migration)
            disk_over_commit = _bool(options["disk_over_commit"])
        try:
            self.compute_api.live_migrate(context, instance, block_migration,
                                          disk_over_commit, host, force, async_)
        except _PRE_CHECK_ERRORS as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.ComputeHostNotFound as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "os-migrateLive",
                                                                  server_id)
        return wsgi.response(202)

    @staticmethod
    def _get_force_param_for_live_migration(body, host):
        force = _bool(body["os-migrateLive"].get("force", False))
        if force is True and not host:
            raise HTTPError(400, "Can't force to a non-provided destination")
        return force
