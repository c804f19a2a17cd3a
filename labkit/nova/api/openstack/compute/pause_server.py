"""The pause and unpause actions (nova/api/openstack/compute/pause_server.py).

A paused server keeps its memory and stops running; unpause goes on from there.
nova-api saves ``pausing``/``unpausing`` and casts to the server's host.
"""
from labkit.nova.api import validation
from labkit.nova.api.openstack import common
from labkit.nova.api.openstack.compute.schemas import pause_server as schema


class PauseServerController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def _pause(self, req, server_id, body):
        """Pause an ACTIVE server: 202, PAUSED once nova-compute is done."""
        validation.validate(body, schema.pause)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:os-pause-server:pause", "pause",
                                      self.compute_api.pause)

    def _unpause(self, req, server_id, body):
        """Unpause a PAUSED server: 202, ACTIVE once nova-compute is done."""
        validation.validate(body, schema.unpause)
        return common.instance_action(self.compute_api, req, server_id,
                                      "os_compute_api:os-pause-server:unpause", "unpause",
                                      self.compute_api.unpause)
