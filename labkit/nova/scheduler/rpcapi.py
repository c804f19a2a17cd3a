"""Client side of the scheduler RPC API.

Real nova: nova/scheduler/rpcapi.py:SchedulerAPI.  ``select_destinations``
is the one *call* of a boot (the conductor waits for the answer, with the
long RPC timeout); the instance-info updates are fanout casts to every
scheduler.
"""
from labkit.messaging import Target
from labkit.nova import rpc

TOPIC = "scheduler"


class SchedulerAPI:
    VERSION = "4.5"

    def __init__(self, lab, node):
        self.client = rpc.get_client(lab, node, Target(TOPIC, version=self.VERSION))
        self.long_timeout = lab.conf.long_rpc_timeout
        self.call_monitor_timeout = lab.conf.rpc_response_timeout

    def select_destinations(self, context, spec_obj, instance_uuids, return_objects=True,
                            return_alternates=True):
        cctxt = self.client.prepare(version="4.5", call_monitor_timeout=self.call_monitor_timeout,
                                    timeout=self.long_timeout)
        return cctxt.call(context, "select_destinations", spec_obj=spec_obj,
                          instance_uuids=instance_uuids, return_objects=return_objects,
                          return_alternates=return_alternates)

    def update_instance_info(self, context, host_name, instance_info):
        self.client.prepare(fanout=True, version="4.2").cast(
            context, "update_instance_info", host_name=host_name, instance_info=instance_info)

    def delete_instance_info(self, context, host_name, instance_uuid):
        self.client.prepare(fanout=True, version="4.2").cast(
            context, "delete_instance_info", host_name=host_name, instance_uuid=instance_uuid)
