"""A hypervisor node's record.

Real nova: nova/objects/compute_node.py (ComputeNode).
"""
from labkit.nova.db import api_services as service_db
from labkit.nova.objects.base import NovaObject, remotable_classmethod


class ComputeNode(NovaObject):
    """A hypervisor node's record, which the scheduler's HostManager reads."""
    VERSION = "1.19"
    fields = ("id", "uuid", "host", "hypervisor_hostname", "hypervisor_type",
              "hypervisor_version", "vcpus", "memory_mb", "local_gb", "vcpus_used",
              "memory_mb_used", "local_gb_used", "running_vms", "current_workload",
              "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio",
              "stats")

    @remotable_classmethod
    def create_or_update(cls, context, values):
        """NOTE(labkit): nova's ResourceTracker calls ComputeNode.create() or save()."""
        try:
            row = service_db.compute_node_get_by_host(context, values["host"])
            service_db.compute_node_update(context, row["id"], values)
            row.update(values)
        except Exception:
            row = service_db.compute_node_create(context, values)
        return {k: row.get(k) for k in cls.fields}
