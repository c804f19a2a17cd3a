"""The suspend and resume actions (nova/api/openstack/compute/suspend_server.py).

A suspended server's memory goes to disk (a hypervisor's "save"); resume brings it
back.  nova-api saves ``suspending``/``resuming`` and casts to the server's host.
"""
from labkit.nova.api import validation
from labkit.nova.api.openstack import common
from labkit.nova.api.openstack.compute.schemas import suspend_server as schema


class SuspendServerController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def _suspend(self, req, server_id, body):
        """Suspend an ACTIVE server: 202, SUSPENDED once nova-compute is done."""
        validation.validate(body, schema.suspend)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:os-suspend-server:suspend", "suspend",
                                      self.compute_api.suspend)

    def _resume(self, req, server_id, body):
        """Resume a SUSPENDED server: 202, ACTIVE once nova-compute is done."""
        validation.validate(body, schema.resume)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:os-suspend-server:resume", "resume",
                                      self.compute_api.resume)
