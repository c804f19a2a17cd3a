"""What the scheduler knows about each compute host.

Real nova: nova/scheduler/host_manager.py — HostState (free resources,
service liveness, instances) and HostManager.get_host_states_by_uuids, which
reads compute nodes and services from the database for the providers
placement returned.
"""
import time

from labkit.nova.db import api_services as db


class HostState:
    """Mutable state of one compute node, as the filters and weighers see it."""

    def __init__(self, compute_node, service, summary, service_down_time):
        self.uuid = compute_node["uuid"]
        self.host = compute_node["host"]
        self.nodename = compute_node["hypervisor_hostname"]
        self.service = service
        self.availability_zone = "nova"
        resources = summary.get("resources", {})
        self.total_usable_vcpus = resources.get("VCPU", {}).get("capacity", 0)
        self.vcpus_used = resources.get("VCPU", {}).get("used", 0)
        self.total_usable_ram_mb = resources.get("MEMORY_MB", {}).get("capacity", 0)
        self.free_ram_mb = self.total_usable_ram_mb - resources.get("MEMORY_MB", {}).get("used", 0)
        disk = resources.get("DISK_GB", {})
        self.free_disk_mb = (disk.get("capacity", 0) - disk.get("used", 0)) * 1024
        self.num_io_ops = compute_node.get("current_workload") or 0
        self.num_instances = compute_node.get("running_vms") or 0
        self.failed_builds = (compute_node.get("stats") or {}).get("failed_builds", 0)
        self.traits = summary.get("traits", [])
        self.hypervisor_type = compute_node.get("hypervisor_type")
        self.limits = {}
        last = service.get("last_seen_up") if service else None
        self.service_up = bool(service) and not service.get("forced_down") and \
            last is not None and time.monotonic() - last <= service_down_time

    def consume_from_request(self, spec_obj):
        """Account a placed instance so the next one in the request sees less room."""
        flavor = spec_obj.flavor
        self.free_ram_mb -= flavor["memory_mb"]
        self.vcpus_used += flavor["vcpus"]
        self.free_disk_mb -= (flavor["root_gb"] + flavor["ephemeral_gb"]) * 1024
        self.num_io_ops += 1
        self.num_instances += 1

    def __repr__(self):
        return f"({self.host}, {self.nodename}) ram: {self.free_ram_mb}MB"


class HostManager:
    def __init__(self, conf):
        self.conf = conf

    def get_host_states_by_uuids(self, context, compute_uuids, provider_summaries):
        nodes = db.compute_node_get_all(context, uuids=compute_uuids)
        services = {s["host"]: s for s in db.service_get_all(context, "nova-compute")}
        states = []
        for node in nodes:
            states.append(HostState(node, services.get(node["host"]), provider_summaries.get(
                node["uuid"], {}), self.conf.service_down_time))
        return states
