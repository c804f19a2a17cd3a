"""The nova rows of the mirrors table for resize, cold migration, confirm and revert.

Real nova 34.0.0: the API actions, the conductor's MigrationTask, nova-compute's
prep_resize / resize_instance / finish_resize, confirm_resize / revert_resize /
finish_revert_resize, the resource tracker's move claims, the report client's
move_allocations and the fake driver's migration methods.  Kept apart from
``nova.py`` only to keep each table short (see ``labkit/upstream/__init__.py``).
"""
from labkit.upstream import nova

# resize, cold migration, confirm and revert: (labkit class or module, nova file, names)
_MOVES = (
    ("api.openstack.compute.servers.ServersController", nova._SERVERS,
     ("_resize", "_confirm_resize", "_revert_resize")),
    ("api.openstack.compute.migrate_server.MigrateServerController",
     "nova/api/openstack/compute/migrate_server.py", ("_migrate",)),
    ("compute.api.API", "nova/compute/api.py", ("resize", "confirm_resize", "revert_resize",
     "_allow_resize_to_same_host", "_validate_host_for_cold_migrate", "_check_quota_for_upsize",
     "_confirm_resize_on_deleting")),
    ("conductor.manager.ComputeTaskManager", nova._CONDUCTOR, ("migrate_server", "_cold_migrate")),
    ("conductor.tasks.migrate", "nova/conductor/tasks/migrate.py", (
        "replace_allocation_with_migration", "revert_allocation_for_migration",
        *(f"MigrationTask.{n}" for n in ("_execute", "_preallocate_migration", "_schedule",
                                         "_reschedule", "rollback")))),
    ("compute.manager.ComputeManager", nova._COMPUTE, (
        "prep_resize", "_prep_resize", "_reschedule_resize_or_reraise", "_revert_allocation",
        "resize_instance", "_resize_instance", "finish_resize", "_finish_resize",
        "confirm_resize", "_confirm_resize", "_delete_allocation_after_move",
        "_delete_stashed_flavor_info", "revert_resize", "finish_revert_resize",
        "_finish_revert_resize")),
    ("compute.resource_tracker.ResourceTracker", "nova/compute/resource_tracker.py",
     ("resize_claim", "drop_move_claim_at_source", "drop_move_claim_at_dest")),
    ("scheduler.client.report.SchedulerReportClient", "nova/scheduler/client/report.py", (
        "move_allocations", "get_allocs_for_consumer", "get_allocations_for_resource_provider",
        "get_provider_traits", "remove_provider_tree_from_instance_allocation",
        "delete_allocation_for_instance")),
    ("virt.fake.FakeDriver", nova._FAKE, ("migrate_disk_and_power_off", "finish_migration",
                                     "confirm_migration", "finish_revert_migration")))


def _qualified(where, name):
    """nova's name for ``name`` in a class (Class.name) or a module (name)."""
    last = where.rpartition(".")[2]
    return f"{last}.{name}" if last[0].isupper() else name


MIRRORS = {
    **{f"labkit.nova.{where}.{name}": ("nova", path, _qualified(where, name))
       for where, path, names in _MOVES for name in names},
    "labkit.nova.virt.fake.FakeFullHostDriver.get_available_resource":
        ("nova", nova._FAKE, "FakeDriver.get_available_resource"),
}

NOTES = {
    "labkit.nova.virt.fake.FakeFullHostDriver.get_available_resource":
        "nova has no full-host fake driver; this one reports FakeDriver's resources "
        "with no memory, so a resize claim fails",
}
