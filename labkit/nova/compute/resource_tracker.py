"""What one compute host has and has given out.

Real nova: nova/compute/resource_tracker.py:ResourceTracker —
update_available_resource (report the node to the database and its inventory
to placement), instance_claim (the moment an instance gets its ``host`` and
``node``) and build_failed / build_succeeded (the ``failed_builds`` stat the
scheduler's BuildFailureWeigher reads).
"""
import contextlib
import threading

from labkit.nova import exception, objects


class ResourceTracker:
    def __init__(self, host, driver, reportclient, hypervisor):
        self.host, self.driver, self.reportclient = host, driver, reportclient
        self.hypervisor = hypervisor
        self.compute_node = None
        self._lock = threading.Lock()

    def update_available_resource(self, context, nodename, node_uuid):
        """Create or refresh this node's record and its placement inventory."""
        res = self.driver.get_available_resource(nodename)
        hv = self.hypervisor
        values = {"host": self.host, "hypervisor_hostname": nodename,
                  "hypervisor_type": res["hypervisor_type"],
                  "hypervisor_version": res["hypervisor_version"], "vcpus": res["vcpus"],
                  "memory_mb": res["memory_mb"], "local_gb": res["local_gb"],
                  "cpu_allocation_ratio": hv["cpu_allocation_ratio"],
                  "ram_allocation_ratio": hv["ram_allocation_ratio"],
                  "disk_allocation_ratio": hv["disk_allocation_ratio"]}
        if self.compute_node is None:
            values["uuid"] = node_uuid
        self.compute_node = objects.ComputeNode.create_or_update(context, values)
        uuid = self.compute_node["uuid"]
        self.reportclient.ensure_resource_provider(context, uuid, nodename)
        self.reportclient.set_inventory_for_provider(context, uuid, {
            "VCPU": {"total": res["vcpus"], "reserved": 0, "min_unit": 1,
                     "max_unit": res["vcpus"], "step_size": 1,
                     "allocation_ratio": hv["cpu_allocation_ratio"]},
            "MEMORY_MB": {"total": res["memory_mb"], "reserved": hv["reserved_host_memory_mb"],
                          "min_unit": 1, "max_unit": res["memory_mb"], "step_size": 1,
                          "allocation_ratio": hv["ram_allocation_ratio"]},
            "DISK_GB": {"total": res["local_gb"], "reserved": 0, "min_unit": 1,
                        "max_unit": res["local_gb"], "step_size": 1,
                        "allocation_ratio": hv["disk_allocation_ratio"]}})

    def _set_failed_builds(self, context, count):
        stats = dict(self.compute_node.get("stats") or {}, failed_builds=count)
        self.compute_node = objects.ComputeNode.create_or_update(
            context, {"host": self.host, "stats": stats})

    def build_failed(self, context):
        """Count a failed build; BuildFailureWeigher then steers builds elsewhere.

        NOTE(labkit): the count is saved to the compute node at once. nova's
        compute/manager.py:_build_failed only counts it in the tracker's stats (and only
        while [compute] consecutive_build_service_disable_threshold is not 0); the
        update_available_resource periodic saves it, so the scheduler sees it later.
        """
        failed = (self.compute_node.get("stats") or {}).get("failed_builds", 0)
        self._set_failed_builds(context, failed + 1)

    def build_succeeded(self, context):
        """A good build clears the count (compute/manager.py:_build_succeeded)."""
        if (self.compute_node.get("stats") or {}).get("failed_builds"):
            self._set_failed_builds(context, 0)

    @contextlib.contextmanager
    def instance_claim(self, context, instance, nodename):
        """Set host, node and launched_on; undo them if the build fails inside."""
        instance.host, instance.node, instance.launched_on = self.host, nodename, self.host
        instance.save()
        try:
            yield
        except Exception:
            instance.host = instance.node = None
            raise

    # -- resize and cold migration --------------------------------------------------------
    def _read_allocations(self, context, consumer_uuid):
        """What placement has on this node and what ``consumer`` holds.

        NOTE(labkit): nova's tracker reads these while it updates its usage (_update,
        _remove_deleted_instances_allocations) and they show in nova 34's recorded
        flows at this point; labkit's tracker counts nothing, so it only reads them.
        """
        self.reportclient.get_allocations_for_resource_provider(context,
                                                                self.compute_node["uuid"])
        return self.reportclient.get_allocs_for_consumer(context, consumer_uuid)

    @contextlib.contextmanager
    def resize_claim(self, context, instance, flavor, nodename, migration, allocations,
                     image_meta=None, limits=None):
        """Claim this host for the incoming server: first the migration record gets its
        destination (host, node, the host's address) and is saved ``pre-migrating``,
        then the claim is tested: ComputeResourcesUnavailable when it fails.  So a
        destination that fails its claim has already written its name into the record.
        If the work inside fails, the migration's destination stays recorded (nova: the
        MoveClaim aborts and drops its usage).

        Real nova: ResourceTracker.resize_claim -> _move_claim, which calls
        _claim_existing_migration (the save) before claims.MoveClaim (the test).
        NOTE(labkit): nova 34's Claim._claim_test tests only the NUMA topology and PCI
        devices (memory, disk and vCPUs are placement's, claimed by the scheduler);
        labkit has neither, so its stand-in test is the new flavor's memory against the
        hypervisor's free memory (lab.faults.fail_resize_claims empties it).
        """
        migration.dest_compute, migration.dest_node = self.host, nodename
        migration.dest_host = self.compute_node.get("host_ip") or "127.0.0.1"   # CONF.my_ip
        migration.dest_compute_id = self.compute_node["id"]
        migration.status = "pre-migrating"
        migration.save()
        memory = self.driver.get_available_resource(nodename)["memory_mb"]
        if flavor["memory_mb"] > memory:
            raise exception.ComputeResourcesUnavailable(
                reason=f"Free memory {float(memory):.2f} MB < requested "
                       f"{flavor['memory_mb']} MB")
        self._read_allocations(context, instance.uuid)
        yield migration

    def drop_move_claim_at_source(self, context, instance, migration):
        """A confirmed move: the migration ``confirmed``, the old flavor's usage here gone."""
        migration.status = "confirmed"
        migration.save()
        self._read_allocations(context, migration.uuid)

    def drop_move_claim_at_dest(self, context, instance, migration):
        """A reverted move: the migration ``reverted``, the new flavor's usage here gone."""
        migration.status = "reverted"
        migration.save()
        self._read_allocations(context, instance.uuid)

    @contextlib.contextmanager
    def rebuild_claim(self, context, instance, nodename, allocations, limits=None,
                      image_meta=None, migration=None):
        """Claim this host for an evacuated instance: the evacuation's migration record
        names this host and node as its destination and turns ``pre-migrating``.

        Real nova: ResourceTracker.rebuild_claim -> _move_claim ->
        _claim_existing_migration.  NOTE(labkit): nova also sets the instance's
        migration context, and its claim re-reads the provider's allocations
        (GET /resource_providers/{uuid}/allocations, GET /allocations/{instance});
        labkit's tracker counts nothing, so the claim is the migration record's.
        """
        if migration is not None:
            migration.dest_compute, migration.dest_node = self.host, nodename
            migration.status = "pre-migrating"
            migration.save()
        yield

    def finish_evacuation(self, instance, node, migration):
        """The instance is this host's now (host and node saved), then the migration
        is ``done`` (nova: ResourceTracker.finish_evacuation)."""
        instance.host, instance.node = self.host, node
        instance.save()
        if migration is not None:
            migration.status = "done"
            migration.save()
