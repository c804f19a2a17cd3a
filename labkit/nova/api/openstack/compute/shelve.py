"""The shelve actions: shelve, shelveOffload (admin), unshelve.

Real nova: nova/api/openstack/compute/shelve.py:ShelveController (in Juno,
api/openstack/compute/contrib/shelve.py — the file the walkthrough quotes).
A locked server answers 409 with nova's ``InstanceIsLocked`` message.
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import shelve as schema
from labkit.wsgi.app import HTTPError


class ShelveController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def _shelve(self, req, server_id, body):
        """Move an instance into shelved mode."""
        validation.validate(body, schema.shelve)
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-shelve:shelve", instance.project_id)
        try:
            self.compute_api.shelve(context, instance)
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "shelve", server_id)
        except exception.UnexpectedTaskStateError as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(202)

    def _shelve_offload(self, req, server_id, body):
        """Force removal of a shelved instance from its compute host (admin)."""
        validation.validate(body, schema.shelve_offload)
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-shelve:shelve_offload", instance.project_id)
        try:
            self.compute_api.shelve_offload(context, instance)
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "shelveOffload",
                                                                  server_id)
        return wsgi.response(202)

    def _unshelve(self, req, server_id, body):
        """Restore an instance from shelved mode."""
        v277 = req.api_version_request.matches("2.77")
        validation.validate(body, schema.unshelve_v277 if v277 else schema.unshelve)
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-shelve:unshelve", instance.project_id)
        options = body["unshelve"] if v277 and isinstance(body["unshelve"], dict) else {}
        host = options.get("host")
        if host is not None:
            if not req.api_version_request.matches("2.91"):
                raise HTTPError(400, "Invalid input for field/attribute unshelve. "
                                     f"Value: {options}. Additional properties are not allowed")
            policy.check(context, "os_compute_api:os-shelve:unshelve_to_host")
        zone = {"new_az": options["availability_zone"]} if "availability_zone" in options else {}
        try:
            self.compute_api.unshelve(context, instance, host=host, **zone)
        except exception.InstanceIsLocked as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.InstanceInvalidState as exc:
            common.raise_http_conflict_for_instance_invalid_state(exc, "unshelve", server_id)
        except exception.Conflict as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.ComputeHostNotFound as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.UnshelveHostNotInAZ as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(202)
