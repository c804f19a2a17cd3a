"""The nova rows of the mirrors table (see ``labkit/upstream/__init__.py``).

Real nova 34.0.0: the compute API's controllers, the RPC managers, the
database API behind the trace's ``db`` hops and the fake hypervisor driver.
"""

_SERVERS = "nova/api/openstack/compute/servers.py"
_COMPUTE = "nova/compute/manager.py"
_CONDUCTOR = "nova/conductor/manager.py"
_SCHEDULER = "nova/scheduler/manager.py"
_DB = "nova/db/main/api.py"
_FAKE = "nova/virt/fake.py"

# Compute API controllers at nova's own path, with nova's names.
_NOVA_API_SAME_NAMES = {
    "nova.api.openstack.compute.aggregates": (
        "AggregateController.index", "AggregateController.create", "AggregateController.show",
        "AggregateController.update", "AggregateController.delete",
        "AggregateController._add_host", "AggregateController._remove_host",
        "AggregateController._set_metadata"),
    "nova.api.openstack.compute.availability_zone": (
        "AvailabilityZoneController.index", "AvailabilityZoneController.detail"),
    "nova.api.openstack.compute.keypairs": (
        "KeypairController.index", "KeypairController.create", "KeypairController.show",
        "KeypairController.delete"),
    "nova.api.openstack.compute.limits": ("LimitsController.index",),
    "nova.api.openstack.compute.quota_sets": (
        "QuotaSetsController.show", "QuotaSetsController.detail",
        "QuotaSetsController.defaults", "QuotaSetsController.update",
        "QuotaSetsController.delete"),
    "nova.api.openstack.compute.simple_tenant_usage": (
        "SimpleTenantUsageController.index", "SimpleTenantUsageController.show"),
    "nova.api.openstack.compute.server_groups": (
        "ServerGroupController.index", "ServerGroupController.create",
        "ServerGroupController.show", "ServerGroupController.delete"),
    "nova.api.openstack.compute.pause_server": (
        "PauseServerController._pause", "PauseServerController._unpause"),
    "nova.api.openstack.compute.suspend_server": (
        "SuspendServerController._suspend", "SuspendServerController._resume"),
    "nova.api.openstack.compute.console_output": ("ConsoleOutputController.get_console_output",),
    "nova.api.openstack.compute.migrations": ("MigrationsController.index",
                                              "MigrationsController._output"),
    "nova.api.openstack.compute.services": (
        "ServiceController.index", "ServiceController.update", "ServiceController.delete",
        "ServiceController._enable", "ServiceController._disable",
        "ServiceController._disable_log_reason"),
}

# nova-compute's short actions.
_COMPUTE_POWER_ACTIONS = ("stop_instance", "reboot_instance", "_reboot_instance",
                          "pause_instance", "unpause_instance", "suspend_instance",
                          "resume_instance", "get_console_output")

# nova-compute's live migration, source and destination.
_COMPUTE_LIVE_MIGRATION = (
    "check_can_live_migrate_destination", "check_can_live_migrate_source", "live_migration",
    "_do_live_migration", "pre_live_migration", "_post_live_migration",
    "post_live_migration_at_destination", "_rollback_live_migration",
    "rollback_live_migration_at_destination", "live_migration_force_complete",
    "live_migration_abort", "_reset_live_migration")

# nova's database API functions labkit keeps under the same names.
_NOVA_DB_SAME_NAMES = {
    "api": ("instance_create", "instance_update_and_get_original", "instance_destroy",
            "action_start", "action_event_start", "action_event_finish",
            "instance_fault_create"),
    "api_services": ("service_create", "service_update", "service_destroy",
                     "compute_node_create"),
}

# nova's objects (and their database helpers) labkit keeps under the same names.
_NOVA_OBJECTS_SAME_NAMES = {
    "aggregate": ("Aggregate.create", "Aggregate.save", "Aggregate.update_metadata",
                  "Aggregate.add_host", "Aggregate.delete_host", "Aggregate.destroy"),
    "instance_group": ("InstanceGroup.create", "InstanceGroup.destroy",
                       "InstanceGroup.add_members"),
    "keypair": ("_create_in_db", "_destroy_in_db"),
    "flavor": ("Flavor.get_by_flavor_id", "Flavor.create", "FlavorList.get_all"),
    "build_request": ("BuildRequest.get_by_instance_uuid", "BuildRequest.create",
                      "BuildRequest.destroy", "BuildRequestList.get_by_filters"),
    "instance": ("InstanceList.get_by_filters", "InstanceList.get_uuids_by_hosts",
                 "InstanceList.get_count_by_hosts"),
    "compute_node": ("ComputeNode.get_first_node_by_host_for_old_compat", "ComputeNodeList.get_all",
                     "ComputeNodeList.get_all_by_uuids", "ComputeNodeList.get_all_by_host"),
    "service": ("Service.get_by_id", "Service.get_by_args", "Service.get_by_compute_host",
                "Service.save", "Service.destroy", "ServiceList.get_all",
                "ServiceList.get_by_binary"),
    "instance_action": ("InstanceAction.action_start", "InstanceAction.get_by_request_id",
                        "InstanceActionList.get_by_instance_uuid",
                        "InstanceActionEvent.event_start",
                        "InstanceActionEvent.event_finish_with_failure",
                        "InstanceActionEventList.get_by_action"),
    "instance_fault": ("InstanceFault.create", "InstanceFault.get_latest_for_instance",
                       "InstanceFaultList.get_latest_by_instance_uuids"),
    "instance_mapping": ("InstanceMapping.create", "InstanceMapping.save"),
    "request_spec": ("RequestSpec.get_by_instance_uuid", "RequestSpec.get_by_instance_uuids",
                     "RequestSpec.create", "RequestSpec.get_scheduler_hint",
                     "RequestSpec.reset_forced_destinations"),
    "quotas": ("Quotas.create_limit", "Quotas.update_limit", "Quotas.destroy_all_by_project",
               "Quotas.destroy_all_by_project_and_user"),
    "migration": ("Migration.create", "Migration.save", "Migration.get_by_id",
                  "Migration.get_by_uuid", "Migration.get_by_id_and_instance",
                  "Migration.get_by_instance_and_status", "MigrationList.get_by_filters",
                  "MigrationList.get_in_progress_by_host_and_node",
                  "MigrationList.get_in_progress_and_error",
                  "MigrationList.get_in_progress_by_instance"),
}

MIRRORS = {
    # -- nova-api: the compute API's controllers --------------------------------------
    "labkit.nova.api.openstack.compute.servers.ServersController.index":
        ("nova", _SERVERS, "ServersController.index"),
    "labkit.nova.api.openstack.compute.servers.ServersController.detail":
        ("nova", _SERVERS, "ServersController.detail"),
    "labkit.nova.api.openstack.compute.servers.ServersController.show":
        ("nova", _SERVERS, "ServersController.show"),
    "labkit.nova.api.openstack.compute.servers.ServersController.create":
        ("nova", _SERVERS, "ServersController.create"),
    "labkit.nova.api.openstack.compute.servers.ServersController.delete":
        ("nova", _SERVERS, "ServersController.delete"),
    "labkit.nova.api.openstack.compute.servers.ServersController.action":
        ("nova", "nova/api/openstack/wsgi.py", "Resource._get_method"),
    **{f"labkit.nova.api.openstack.compute.servers.ServersController.{name}":
       ("nova", _SERVERS, f"ServersController.{name}") for name in ("_reboot", "_start", "_stop")},
    "labkit.nova.api.openstack.compute.servers.ServersController.ips":
        ("nova", "nova/api/openstack/compute/ips.py", "IPsController.index"),
    "labkit.nova.api.openstack.compute.shelve.ShelveController._shelve":
        ("nova", "nova/api/openstack/compute/shelve.py", "ShelveController._shelve"),
    "labkit.nova.api.openstack.compute.shelve.ShelveController._shelve_offload":
        ("nova", "nova/api/openstack/compute/shelve.py", "ShelveController._shelve_offload"),
    "labkit.nova.api.openstack.compute.shelve.ShelveController._unshelve":
        ("nova", "nova/api/openstack/compute/shelve.py", "ShelveController._unshelve"),
    "labkit.nova.api.openstack.compute.lock_server.LockServerController._lock":
        ("nova", "nova/api/openstack/compute/lock_server.py", "LockServerController._lock"),
    "labkit.nova.api.openstack.compute.lock_server.LockServerController._unlock":
        ("nova", "nova/api/openstack/compute/lock_server.py", "LockServerController._unlock"),
    "labkit.nova.api.openstack.compute.security_groups.ServerSecurityGroupController.index":
        ("nova", "nova/api/openstack/compute/security_groups.py",
         "ServerSecurityGroupController.index"),
    "labkit.nova.api.openstack.compute.security_groups.SecurityGroupActionController."
    "_addSecurityGroup":
        ("nova", "nova/api/openstack/compute/security_groups.py",
         "SecurityGroupActionController._addSecurityGroup"),
    "labkit.nova.api.openstack.compute.security_groups.SecurityGroupActionController."
    "_removeSecurityGroup":
        ("nova", "nova/api/openstack/compute/security_groups.py",
         "SecurityGroupActionController._removeSecurityGroup"),
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.index":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.index"),
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.detail":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.detail"),
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.show":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.show"),
    "labkit.nova.api.openstack.compute.flavors_extraspecs.FlavorExtraSpecsController.index":
        ("nova", "nova/api/openstack/compute/flavors_extraspecs.py",
         "FlavorExtraSpecsController.index"),
    "labkit.nova.api.openstack.compute.flavors_extraspecs.FlavorExtraSpecsController.show":
        ("nova", "nova/api/openstack/compute/flavors_extraspecs.py",
         "FlavorExtraSpecsController.show"),
    "labkit.nova.api.openstack.compute.images.ImagesController.index":
        ("nova", "nova/api/openstack/compute/images.py", "ImagesController.index"),
    "labkit.nova.api.openstack.compute.images.ImagesController.detail":
        ("nova", "nova/api/openstack/compute/images.py", "ImagesController.detail"),
    "labkit.nova.api.openstack.compute.images.ImagesController.show":
        ("nova", "nova/api/openstack/compute/images.py", "ImagesController.show"),
    "labkit.nova.api.openstack.compute.hypervisors.HypervisorsController.index":
        ("nova", "nova/api/openstack/compute/hypervisors.py", "HypervisorsController.index"),
    "labkit.nova.api.openstack.compute.hypervisors.HypervisorsController.detail":
        ("nova", "nova/api/openstack/compute/hypervisors.py", "HypervisorsController.detail"),
    "labkit.nova.api.openstack.compute.hypervisors.HypervisorsController.show":
        ("nova", "nova/api/openstack/compute/hypervisors.py", "HypervisorsController.show"),
    "labkit.nova.api.openstack.compute.instance_actions.InstanceActionsController.index":
        ("nova", "nova/api/openstack/compute/instance_actions.py",
         "InstanceActionsController.index"),
    "labkit.nova.api.openstack.compute.instance_actions.InstanceActionsController.show":
        ("nova", "nova/api/openstack/compute/instance_actions.py",
         "InstanceActionsController.show"),
    **{f"labkit.{module}.{method}": ("nova", module.replace(".", "/") + ".py", method)
       for module, methods in _NOVA_API_SAME_NAMES.items() for method in methods},
    "labkit.nova.api.openstack.compute.aggregates.AggregateController.action":
        ("nova", "nova/api/openstack/wsgi.py", "Resource._get_method"),
    # -- nova: compute API, objects (excerpts in the notebooks) ------------------------
    "labkit.nova.compute.api.API._create_instance":
        ("nova", "nova/compute/api.py", "API._create_instance"),
    "labkit.nova.compute.api.API.shelve": ("nova", "nova/compute/api.py", "API.shelve"),
    **{f"labkit.nova.compute.api.API.{name}": ("nova", "nova/compute/api.py", f"API.{name}")
       for name in ("stop", "start", "reboot", "parse_availability_zone", "_validate_host_or_node",
                    "_check_metadata_properties_quota", "get_instance_host_status",
                    "get_instances_host_statuses")},
    "labkit.nova.api.openstack.compute.servers.ServersController._hosts_for_create":
        ("nova", "nova/api/openstack/compute/servers.py",
         "ServersController._process_hosts_for_create"),
    "labkit.nova.api.openstack.compute.servers.ServersController."
    "_validate_host_availability_zone":
        ("nova", "nova/api/openstack/compute/servers.py",
         "ServersController._validate_host_availability_zone"),
    "labkit.nova.objects.instance.Instance.save":
        ("nova", "nova/objects/instance.py", "Instance.save"),
    # -- nova: RPC managers -----------------------------------------------------------
    "labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances":
        ("nova", _CONDUCTOR, "ComputeTaskManager.schedule_and_build_instances"),
    "labkit.nova.conductor.manager.ComputeTaskManager.build_instances":
        ("nova", _CONDUCTOR, "ComputeTaskManager.build_instances"),
    "labkit.nova.conductor.manager.ComputeTaskManager.unshelve_instance":
        ("nova", _CONDUCTOR, "ComputeTaskManager.unshelve_instance"),
    "labkit.nova.conductor.manager.ConductorManager.object_action":
        ("nova", _CONDUCTOR, "ConductorManager.object_action"),
    "labkit.nova.conductor.manager.ConductorManager.object_class_action_versions":
        ("nova", _CONDUCTOR, "ConductorManager.object_class_action_versions"),
    "labkit.nova.scheduler.manager.SchedulerManager.select_destinations":
        ("nova", _SCHEDULER, "SchedulerManager.select_destinations"),
    "labkit.nova.scheduler.manager.SchedulerManager._schedule":
        ("nova", _SCHEDULER, "SchedulerManager._schedule"),
    "labkit.nova.scheduler.manager.SchedulerManager.update_instance_info":
        ("nova", _SCHEDULER, "SchedulerManager.update_instance_info"),
    "labkit.nova.scheduler.manager.SchedulerManager.delete_instance_info":
        ("nova", _SCHEDULER, "SchedulerManager.delete_instance_info"),
    "labkit.nova.compute.manager.ComputeManager.build_and_run_instance":
        ("nova", _COMPUTE, "ComputeManager.build_and_run_instance"),
    "labkit.nova.compute.manager.ComputeManager._build_and_run_instance":
        ("nova", _COMPUTE, "ComputeManager._build_and_run_instance"),
    "labkit.nova.compute.manager.ComputeManager._build_resources":
        ("nova", _COMPUTE, "ComputeManager._build_resources"),
    "labkit.nova.compute.manager.ComputeManager.shelve_instance":
        ("nova", _COMPUTE, "ComputeManager.shelve_instance"),
    "labkit.nova.compute.manager.ComputeManager.shelve_offload_instance":
        ("nova", _COMPUTE, "ComputeManager.shelve_offload_instance"),
    "labkit.nova.compute.manager.ComputeManager.unshelve_instance":
        ("nova", _COMPUTE, "ComputeManager.unshelve_instance"),
    "labkit.nova.compute.manager.ComputeManager.start_instance":
        ("nova", _COMPUTE, "ComputeManager.start_instance"),
    **{f"labkit.nova.compute.manager.ComputeManager.{name}":
       ("nova", _COMPUTE, f"ComputeManager.{name}") for name in _COMPUTE_POWER_ACTIONS},
    "labkit.nova.compute.manager.ComputeManager.set_host_enabled":
        ("nova", _COMPUTE, "ComputeManager.set_host_enabled"),
    "labkit.nova.compute.manager.ComputeManager.terminate_instance":
        ("nova", _COMPUTE, "ComputeManager.terminate_instance"),
    "labkit.nova.compute.manager.ComputeManager.init_host":
        ("nova", _COMPUTE, "ComputeManager.init_host"),
    # -- nova: rebuild and evacuate ------------------------------------------------------
    "labkit.nova.api.openstack.compute.servers.ServersController._rebuild":
        ("nova", _SERVERS, "ServersController._rebuild"),
    "labkit.nova.api.openstack.compute.evacuate.EvacuateController._evacuate":
        ("nova", "nova/api/openstack/compute/evacuate.py", "EvacuateController._evacuate"),
    **{f"labkit.nova.compute.api.API.{name}": ("nova", "nova/compute/api.py", f"API.{name}")
       for name in ("rebuild", "evacuate", "_checks_for_create_and_rebuild")},
    **{f"labkit.nova.conductor.manager.ComputeTaskManager.{name}":
       ("nova", _CONDUCTOR, f"ComputeTaskManager.{name}")
       for name in ("rebuild_instance", "_allocate_for_evacuate_dest_host")},
    **{f"labkit.nova.compute.manager.ComputeManager.{name}":
       ("nova", _COMPUTE, f"ComputeManager.{name}")
       for name in ("rebuild_instance", "_do_rebuild_instance", "_rebuild_default_impl",
                    "_destroy_evacuated_instances")},
    **{f"labkit.nova.compute.resource_tracker.ResourceTracker.{name}":
       ("nova", "nova/compute/resource_tracker.py", f"ResourceTracker.{name}")
       for name in ("rebuild_claim", "finish_evacuation")},
    "labkit.nova.scheduler.manager.SchedulerManager._legacy_find_hosts":
        ("nova", _SCHEDULER, "SchedulerManager._legacy_find_hosts"),
    "labkit.nova.virt.fake.FakeDriver.list_instance_uuids":
        ("nova", _FAKE, "FakeDriver.list_instance_uuids"),
    "labkit.lab.Lab.restart_compute_service":
        ("nova", "nova/test.py", "TestCase.restart_compute_service"),
    # -- nova: live migration ------------------------------------------------------------
    "labkit.nova.api.openstack.compute.migrate_server.MigrateServerController._migrate_live":
        ("nova", "nova/api/openstack/compute/migrate_server.py",
         "MigrateServerController._migrate_live"),
    **{f"labkit.nova.api.openstack.compute.server_migrations.ServerMigrationsController.{name}":
       ("nova", "nova/api/openstack/compute/server_migrations.py",
        f"ServerMigrationsController.{name}")
       for name in ("index", "show", "delete", "_force_complete")},
    "labkit.nova.api.openstack.compute.server_migrations.ServerMigrationsController.action":
        ("nova", "nova/api/openstack/wsgi.py", "Resource._get_method"),
    **{f"labkit.nova.compute.api.API.{name}": ("nova", "nova/compute/api.py", f"API.{name}")
       for name in ("live_migrate", "live_migrate_force_complete", "live_migrate_abort")},
    **{f"labkit.nova.conductor.manager.ComputeTaskManager.{name}":
       ("nova", _CONDUCTOR, f"ComputeTaskManager.{name}")
       for name in ("live_migrate_instance", "_live_migrate")},
    **{f"labkit.nova.conductor.tasks.live_migrate.LiveMigrationTask.{name}":
       ("nova", "nova/conductor/tasks/live_migrate.py", f"LiveMigrationTask.{name}")
       for name in ("_execute", "rollback", "_find_destination", "_check_instance_is_active",
                    "_check_host_is_up", "_check_requested_destination",
                    "_call_livem_checks_on_host")},
    **{f"labkit.nova.compute.manager.ComputeManager.{name}":
       ("nova", _COMPUTE, f"ComputeManager.{name}") for name in _COMPUTE_LIVE_MIGRATION},
    **{f"labkit.nova.virt.fake.FakeDriver.{name}": ("nova", _FAKE, f"FakeDriver.{name}")
       for name in ("check_can_live_migrate_destination", "check_can_live_migrate_source",
                    "pre_live_migration", "live_migration",
                    "post_live_migration_at_destination")},
    **{f"labkit.nova.virt.fake.FakeLiveMigrateDriver.{name}":
       ("nova", _FAKE, f"FakeLiveMigrateDriver.{name}")
       for name in ("live_migration", "live_migration_force_complete",
                    "live_migration_abort")},
    "labkit.nova.compute.manager.ComputeManager.pre_start_hook":
        ("nova", _COMPUTE, "ComputeManager.pre_start_hook"),
    "labkit.nova.compute.manager.ComputeManager.cleanup_host":
        ("nova", _COMPUTE, "ComputeManager.cleanup_host"),
    "labkit.nova.conductor.manager.ConductorManager.cleanup_host":
        ("nova", "nova/manager.py", "Manager.cleanup_host"),
    "labkit.nova.scheduler.manager.SchedulerManager.cleanup_host":
        ("nova", "nova/manager.py", "Manager.cleanup_host"),
    **{f"labkit.nova.manager.Manager.{name}": ("nova", "nova/manager.py", f"Manager.{name}")
       for name in ("init_host", "pre_start_hook", "periodic_tasks", "cleanup_host")},
    # -- nova: the database API (the names of ``db`` hops) ----------------------------
    "labkit.nova.db.api.flavor_get_by_flavor_id":
        ("nova", "nova/objects/flavor.py", "Flavor._flavor_get_by_flavor_id_from_db"),
    "labkit.nova.db.api.build_request_create":
        ("nova", "nova/objects/build_request.py", "BuildRequest._create_in_db"),
    "labkit.nova.db.api.build_request_destroy":
        ("nova", "nova/objects/build_request.py", "BuildRequest._destroy_in_db"),
    **{f"labkit.nova.db.{module}.{name}": ("nova", _DB, name)
       for module, names in _NOVA_DB_SAME_NAMES.items() for name in names},
    **{f"labkit.nova.objects.{module}.{name}": ("nova", f"nova/objects/{module}.py", name)
       for module, names in _NOVA_OBJECTS_SAME_NAMES.items() for name in names},
    # -- nova: the hypervisor driver nova-compute calls --------------------------------
    **{f"labkit.nova.virt.fake.FakeDriver.{name}": ("nova", _FAKE, f"FakeDriver.{name}")
       for name in ("init_host", "get_available_resource", "spawn", "destroy", "power_off",
                    "power_on", "snapshot", "get_info", "reboot", "pause", "unpause",
                    "suspend", "resume", "get_console_output")},
    "labkit.nova.virt.fake.FakeBuildFailDriver.spawn":
        ("nova", _FAKE, "FakeBuildAbortDriver.spawn"),
    "labkit.nova.virt.fake.FakeSnapshotFailDriver.snapshot":
        ("nova", _FAKE, "FakeDriver.snapshot"),
}

NOTES = {
    "labkit.nova.api.openstack.compute.servers.ServersController.action":
        "nova's wsgi.Resource picks the @wsgi.action method by the body's key; "
        "labkit's router names that method itself, so this shows only for a bad body",
    "labkit.nova.api.openstack.compute.servers.ServersController.ips":
        "one handler for /ips and /ips/{network} (IPsController.index and .show)",
    "labkit.nova.api.openstack.compute.aggregates.AggregateController.action":
        "nova's wsgi.Resource picks the @wsgi.action method by the body's key; "
        "labkit's router names that method itself, so this shows only for a bad body",
    "labkit.nova.compute.manager.ComputeManager.cleanup_host":
        "labkit closes the manager's HTTP clients when a compute service stops",
    "labkit.nova.conductor.manager.ConductorManager.cleanup_host":
        "nova's conductor keeps the base Manager's; labkit closes its HTTP clients",
    "labkit.nova.scheduler.manager.SchedulerManager.cleanup_host":
        "nova's scheduler keeps the base Manager's; labkit closes its placement client",
    "labkit.nova.manager.Manager.periodic_tasks":
        "nova runs the due tasks (oslo's run_periodic_tasks); labkit lists them for the "
        "lab's one timer thread",
    "labkit.nova.db.api.flavor_get_by_flavor_id":
        "flavors live in nova's API database, read through the Flavor object",
    "labkit.nova.db.api.build_request_create":
        "build requests live in nova's API database, written by the BuildRequest object",
    "labkit.nova.db.api.build_request_destroy":
        "build requests live in nova's API database, deleted by the BuildRequest object",
    "labkit.nova.db.api_services.service_update":
        "also the service heartbeat (nova/servicegroup/drivers/db.py saves the service)",
    "labkit.nova.virt.fake.FakeBuildFailDriver.spawn":
        "nova's fake drivers fail a build by raising from spawn, as this one does",
    "labkit.nova.compute.resource_tracker.ResourceTracker.rebuild_claim":
        "nova's _move_claim also sets the migration context and counts the usage; labkit's "
        "claim is the migration record's (destination, pre-migrating)",
    "labkit.lab.Lab.restart_compute_service":
        "nova's functional tests restart a compute this way; labkit's lab does it too",
    "labkit.nova.virt.fake.FakeSnapshotFailDriver.snapshot":
        "nova has no snapshot-failing fake driver; this fails FakeDriver.snapshot",
}

# The trace's hops that name no handler of their own: ``db`` hops name the
# database API function that recorded them, the ``schedule`` hop is the
# scheduler's filtering and weighing.
EVENTS = {
    ("schedule", "select_destinations"):
        "labkit.nova.scheduler.manager.SchedulerManager._schedule",
    **{("db", name): f"labkit.nova.db.api.{name}" for name in (
        "flavor_get_by_flavor_id", "build_request_create", "build_request_destroy",
        "instance_create", "instance_update_and_get_original", "instance_destroy",
        "action_start", "action_event_start", "action_event_finish",
        "instance_fault_create")},
    **{("db", name): f"labkit.nova.db.api_services.{name}" for name in (
        "service_create", "service_update", "service_destroy", "compute_node_create")},
    **{("db", name): f"labkit.nova.objects.{function}" for name, function in (
        ("aggregate_create", "aggregate.Aggregate.create"),
        ("aggregate_update", "aggregate.Aggregate.save"),
        ("aggregate_metadata_update", "aggregate.Aggregate.update_metadata"),
        ("aggregate_host_add", "aggregate.Aggregate.add_host"),
        ("aggregate_host_delete", "aggregate.Aggregate.delete_host"),
        ("aggregate_destroy", "aggregate.Aggregate.destroy"),
        ("instance_group_create", "instance_group.InstanceGroup.create"),
        ("instance_group_destroy", "instance_group.InstanceGroup.destroy"),
        ("instance_group_members_add", "instance_group.InstanceGroup.add_members"),
        ("key_pair_create", "keypair._create_in_db"),
        ("key_pair_destroy", "keypair._destroy_in_db"),
        ("quota_create", "quotas.Quotas.create_limit"),
        ("quota_update", "quotas.Quotas.update_limit"),
        ("quota_destroy_all_by_project", "quotas.Quotas.destroy_all_by_project"),
        ("quota_destroy_all_by_project_and_user",
         "quotas.Quotas.destroy_all_by_project_and_user"),
        ("migration_create", "migration.Migration.create"),
        ("migration_update", "migration.Migration.save"))},
}
