"""The façade nova-api uses to reach the conductor.

Real nova: nova/conductor/api.py:ComputeTaskAPI, a thin layer over
conductor/rpcapi.py:ComputeTaskAPI.
"""
from labkit.nova.conductor import rpcapi


class ComputeTaskAPI:
    def __init__(self, lab, node):
        self.conductor_compute_rpcapi = rpcapi.ComputeTaskAPI(lab, node)

    def schedule_and_build_instances(self, context, build_requests, request_spec, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        self.conductor_compute_rpcapi.schedule_and_build_instances(
            context, build_requests, request_spec, image, admin_password, injected_files,
            requested_networks, block_device_mapping, tags)

    def unshelve_instance(self, context, instance, request_spec=None):
        self.conductor_compute_rpcapi.unshelve_instance(context, instance, request_spec)
