"""A hypervisor node's record.

Real nova: nova/objects/compute_node.py (ComputeNode, ComputeNodeList).
"""
from labkit.nova import exception
from labkit.nova.db import api_services as service_db
from labkit.nova.objects.base import NovaObject, NovaObjectDictCompat, remotable_classmethod


class ComputeNode(NovaObjectDictCompat, NovaObject):
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

    @classmethod
    def get_first_node_by_host_for_old_compat(cls, context, host):
        """The host's compute node; ComputeHostNotFound if it has none.

        NOTE(labkit): a labkit host has one node, so this is every by-host lookup;
        nova also has get_by_host_and_nodename for hosts with several.
        """
        return cls._from_db_object(context, service_db.compute_node_get_by_host(context, host))


class ComputeNodeList:
    """Real nova: nova/objects/compute_node.py:ComputeNodeList.

    NOTE(labkit): its methods return a plain list of ComputeNode objects, where
    nova's return an ObjectListBase.
    """

    @staticmethod
    def get_all(context):
        return [ComputeNode._from_db_object(context, row)
                for row in service_db.compute_node_get_all(context)]

    @staticmethod
    def get_all_by_uuids(context, compute_uuids):
        return [ComputeNode._from_db_object(context, row)
                for row in service_db.compute_node_get_all(context, uuids=compute_uuids)]

    @staticmethod
    def get_all_by_host(context, host):
        """The host's compute nodes; ComputeHostNotFound if it has none, as nova's."""
        nodes = [node for node in ComputeNodeList.get_all(context) if node.host == host]
        if not nodes:
            raise exception.ComputeHostNotFound(host=host)
        return nodes
