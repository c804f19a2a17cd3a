"""nova/scheduler/client/query.py:SchedulerQueryClient — what the conductor calls."""
from labkit.nova.scheduler import rpcapi


class SchedulerQueryClient:
    def __init__(self, lab, node):
        self.scheduler_rpcapi = rpcapi.SchedulerAPI(lab, node)

    def select_destinations(self, context, spec_obj, instance_uuids, return_objects=True,
                            return_alternates=True):
        return self.scheduler_rpcapi.select_destinations(
            context, spec_obj, instance_uuids, return_objects, return_alternates)
