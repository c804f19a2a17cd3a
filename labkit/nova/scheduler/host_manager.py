"""What the scheduler knows about each compute host.

Real nova: nova/scheduler/host_manager.py — HostState (free resources,
service liveness, instances) and HostManager.get_host_states_by_uuids, which
reads compute nodes and services from the database for the providers
placement returned, and the availability zone of each from the host aggregates.
"""
from labkit.nova import objects, servicegroup


class HostState:
    """Mutable state of one compute node, as the filters and weighers see it."""

    def __init__(self, compute_node, service, summary, servicegroup_api,
                 availability_zone="nova", instances_by_host=None):
        self.uuid = compute_node["uuid"]
        self.host = compute_node["host"]
        self.nodename = compute_node["hypervisor_hostname"]
        self.service = service
        self.availability_zone = availability_zone
        self._instances_by_host = instances_by_host
        self._instances = None
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
        # what ComputeFilter asks (nova's asks servicegroup_api.service_is_up itself)
        self.service_up = bool(service) and servicegroup_api.service_is_up(service)

    @property
    def instances(self):
        """{uuid: instance} of the host's instances (nova's HostState.instances).

        NOTE(labkit): nova's HostManager keeps them from the computes' instance-info
        updates; labkit reads them, for every candidate host at once, the first time a
        filter or weigher asks (the group and same/different host rules do).
        """
        if self._instances is None:
            self._instances = dict.fromkeys(self._instances_by_host().get(self.host, ())) \
                if self._instances_by_host else {}
        return self._instances

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
        self.servicegroup_api = servicegroup.API(conf)

    def get_host_states_by_uuids(self, context, compute_uuids, provider_summaries):
        """The HostState of each compute node placement returned, with its zone."""
        nodes = objects.ComputeNodeList.get_all_by_uuids(context, compute_uuids)
        services = {s["host"]: s for s in objects.ServiceList.get_by_binary(
            context, "nova-compute", include_disabled=True)}
        zones = {}
        for aggregate in objects.AggregateList.get_by_metadata_key(context,
                                                                   "availability_zone"):
            for host in aggregate.hosts:
                zones.setdefault(host, aggregate.availability_zone)
        loaded = {}

        def instances_by_host():
            if not loaded:
                loaded.update(objects.InstanceList.get_uuids_by_hosts(
                    context, [n["host"] for n in nodes]))
                loaded.setdefault(None, ())
            return loaded

        default_zone = self.conf.default_availability_zone
        return [HostState(node, services.get(node["host"]),
                          provider_summaries.get(node["uuid"], {}), self.servicegroup_api,
                          zones.get(node["host"], default_zone), instances_by_host)
                for node in nodes]

    @staticmethod
    def get_hosts_matching_request(hosts, spec_obj):
        """(hosts, forced): only the requested destination's host (and node), and only the
        forced hosts and nodes of ``zone:host:node``; ``forced`` means the filters are
        skipped, as nova skips them for a forced host.

        NOTE(labkit): the first half of nova's HostManager.get_filtered_hosts
        (_get_hosts_matching_request, _strip_ignore_hosts, _match_forced_hosts,
        _match_forced_nodes); the filters run in SchedulerManager._get_filtered_hosts.
        """
        destination = spec_obj.requested_destination or {}
        if destination.get("host"):
            hosts = [h for h in hosts if h.host == destination["host"]
                     and destination.get("node") in (None, h.nodename)]
        ignore = {host.lower() for host in spec_obj.ignore_hosts or []}
        force_hosts = {host.lower() for host in spec_obj.force_hosts or []}
        force_nodes = set(spec_obj.force_nodes or [])
        hosts = [h for h in hosts if h.host.lower() not in ignore
                 and (not force_hosts or h.host.lower() in force_hosts)
                 and (not force_nodes or h.nodename in force_nodes)]
        return hosts, bool(force_hosts or force_nodes)
