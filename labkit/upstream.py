"""Which upstream function each labkit function stands in for: a table, not a guess.

Every handler a trace can name (the HTTP handlers of every service, the RPC
manager methods, the database API functions behind ``db`` hops, the
scheduler's ``schedule`` hop), every hypervisor driver call and every excerpt
the notebooks print has one row in ``MIRRORS``: the real project, the file in
that project's release of nova 34's cycle (2026.2), and the function or
``Class.method`` there.  Links point at the release tag, never a branch, so
they keep naming the code the lab was written against.

labkit's own module paths follow the real projects' where they can, but not
always (glance's and neutron's REST layers are one module each here, and
keystonemiddleware lives beside keystone), which is why the table does not
derive one from the other.  ``data/upstream/`` lists the definitions each
named file really has (written from the projects' sdists by
``tools/upstream_index.py``), and ``tests/unit/test_upstream.py`` holds the
table to it.

Plain data and two small functions: nothing here imports the rest of labkit,
so the control plane and the pictures can both read it.
"""

# nova 34's cycle (2026.2): the release of each project the lab mirrors.
RELEASES = {"nova": "34.0.0", "placement": "16.0.0", "keystone": "30.0.0",
            "keystonemiddleware": "13.0.1", "glance": "33.0.0", "neutron": "29.0.0",
            "oslo.messaging": "18.3.1"}

# The PyPI distribution each project is released as (for tools/upstream_index.py).
DISTRIBUTIONS = {"placement": "openstack-placement"}

# keystone's v2.0 token API was removed in Queens (13.0.0); its last release is Pike's.
KEYSTONE_V2 = "keystone@12.0.2"

_SERVERS = "nova/api/openstack/compute/servers.py"
_COMPUTE = "nova/compute/manager.py"
_CONDUCTOR = "nova/conductor/manager.py"
_SCHEDULER = "nova/scheduler/manager.py"
_DB = "nova/db/main/api.py"
_FAKE = "nova/virt/fake.py"
_PLACEMENT = "placement/handlers/"
_KEYSTONE_AUTH = "keystone/api/auth.py"
_NEUTRON = "neutron/pecan_wsgi/controllers/"

# neutron's pecan controllers serve every resource alike: verb -> method.
_NEUTRON_VERBS = {"list": "CollectionsController.get", "show": "ItemController.get",
                  "create": "CollectionsController.post", "update": "ItemController.put",
                  "delete": "ItemController.delete"}
_NEUTRON_RESOURCES = {
    "Controller": ("list_networks", "show_network", "list_subnets", "show_subnet",
                   "list_ports", "show_port", "create_port", "update_port", "delete_port"),
    "SecurityGroupsController": (
        "list_security_groups", "show_security_group", "create_security_group",
        "update_security_group", "delete_security_group", "list_security_group_rules",
        "show_security_group_rule", "create_security_group_rule",
        "delete_security_group_rule"),
}

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
    "nova.api.openstack.compute.services": (
        "ServiceController.index", "ServiceController.update", "ServiceController.delete",
        "ServiceController._enable", "ServiceController._disable",
        "ServiceController._disable_log_reason"),
}

# nova's database API functions labkit keeps under the same names.
_NOVA_DB_SAME_NAMES = {
    "api": ("instance_create", "instance_update_and_get_original", "instance_destroy",
            "action_start", "action_event_start", "action_event_finish",
            "instance_fault_create"),
    "api_services": ("service_create", "service_update", "compute_node_create"),
}

# placement's handler functions labkit keeps under the same names, by labkit class.
_PLACEMENT_SAME_NAMES = {
    "root": ("home",),
    "allocation.AllocationHandler": (
        "list_for_consumer", "list_for_resource_provider", "set_allocations",
        "set_allocations_for_consumer", "delete_allocations"),
    "allocation_candidate.AllocationCandidateHandler": ("list_allocation_candidates",),
    "inventory.InventoryHandler": (
        "get_inventories", "get_inventory", "set_inventories", "delete_inventories"),
    "resource_provider.ResourceProviderHandler": (
        "list_resource_providers", "create_resource_provider", "get_resource_provider",
        "update_resource_provider", "delete_resource_provider"),
    "trait.TraitHandler": (
        "list_traits", "get_trait", "put_trait", "list_traits_for_resource_provider",
        "update_traits_for_resource_provider", "delete_traits_for_resource_provider"),
    "usage.UsageHandler": ("list_usages", "get_total_usages"),
}

# labkit dotted name -> (project, path, function).  project may carry its own
# release ("keystone@12.0.2") when the code it mirrors is gone from 2026.2.
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
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.index":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.index"),
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.detail":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.detail"),
    "labkit.nova.api.openstack.compute.flavors.FlavorsController.show":
        ("nova", "nova/api/openstack/compute/flavors.py", "FlavorsController.show"),
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
    "labkit.nova.compute.manager.ComputeManager.terminate_instance":
        ("nova", _COMPUTE, "ComputeManager.terminate_instance"),
    "labkit.nova.compute.manager.ComputeManager.init_host":
        ("nova", _COMPUTE, "ComputeManager.init_host"),
    "labkit.nova.compute.manager.ComputeManager.close":
        ("nova", _COMPUTE, "ComputeManager.cleanup_host"),
    # -- nova: the database API (the names of ``db`` hops) ----------------------------
    "labkit.nova.db.api.flavor_get_by_flavor_id":
        ("nova", "nova/objects/flavor.py", "Flavor._flavor_get_by_flavor_id_from_db"),
    "labkit.nova.db.api.build_request_create":
        ("nova", "nova/objects/build_request.py", "BuildRequest._create_in_db"),
    "labkit.nova.db.api.build_request_destroy":
        ("nova", "nova/objects/build_request.py", "BuildRequest._destroy_in_db"),
    **{f"labkit.nova.db.{module}.{name}": ("nova", _DB, name)
       for module, names in _NOVA_DB_SAME_NAMES.items() for name in names},
    # -- nova: the hypervisor driver nova-compute calls --------------------------------
    **{f"labkit.nova.virt.fake.FakeDriver.{name}": ("nova", _FAKE, f"FakeDriver.{name}")
       for name in ("init_host", "get_available_resource", "spawn", "destroy", "power_off",
                    "power_on", "snapshot", "get_info")},
    "labkit.nova.virt.fake.FakeBuildFailDriver.spawn":
        ("nova", _FAKE, "FakeBuildAbortDriver.spawn"),
    "labkit.nova.virt.fake.FakeSnapshotFailDriver.snapshot":
        ("nova", _FAKE, "FakeDriver.snapshot"),
    # -- placement ----------------------------------------------------------------------
    **{f"labkit.placement.handlers.{owner}.{name}":
       ("placement", f"{_PLACEMENT}{owner.split('.')[0]}.py", name)
       for owner, names in _PLACEMENT_SAME_NAMES.items() for name in names},
    "labkit.placement.handlers.resource_provider.ResourceProviderHandler.get_aggregates":
        ("placement", _PLACEMENT + "aggregate.py", "get_aggregates"),
    "labkit.placement.handlers.resource_provider.ResourceProviderHandler.set_aggregates":
        ("placement", _PLACEMENT + "aggregate.py", "set_aggregates"),
    "labkit.placement.handlers.trait.TraitHandler.list_resource_classes":
        ("placement", _PLACEMENT + "resource_class.py", "list_resource_classes"),
    "labkit.placement.handlers.trait.TraitHandler.get_resource_class":
        ("placement", _PLACEMENT + "resource_class.py", "get_resource_class"),
    "labkit.placement.handlers.trait.TraitHandler.put_resource_class":
        ("placement", _PLACEMENT + "resource_class.py", "update_resource_class"),
    # -- keystone and keystonemiddleware ------------------------------------------------
    "labkit.keystone.controllers.Controllers.get_versions":
        ("keystone", "keystone/api/discovery.py", "get_versions"),
    "labkit.keystone.controllers.Controllers.get_version_v3":
        ("keystone", "keystone/api/discovery.py", "get_version_v3"),
    "labkit.keystone.controllers.Controllers.issue_token":
        ("keystone", _KEYSTONE_AUTH, "AuthTokenResource.post"),
    "labkit.keystone.controllers.Controllers.validate_token":
        ("keystone", _KEYSTONE_AUTH, "AuthTokenResource.get"),
    "labkit.keystone.controllers.Controllers.check_token":
        ("keystone", _KEYSTONE_AUTH, "AuthTokenResource.get"),
    "labkit.keystone.controllers.Controllers.revoke_token":
        ("keystone", _KEYSTONE_AUTH, "AuthTokenResource.delete"),
    "labkit.keystone.controllers.Controllers.auth_projects":
        ("keystone", _KEYSTONE_AUTH, "AuthProjectsResource.get"),
    "labkit.keystone.controllers.Controllers.auth_catalog":
        ("keystone", _KEYSTONE_AUTH, "AuthCatalogResource.get"),
    "labkit.keystone.controllers.Controllers.list_projects":
        ("keystone", "keystone/api/projects.py", "ProjectsResource.get"),
    "labkit.keystone.controllers.Controllers.get_project":
        ("keystone", "keystone/api/projects.py", "ProjectResource.get"),
    "labkit.keystone.controllers.Controllers.list_user_projects":
        ("keystone", "keystone/api/users.py", "UserProjectsResource.get"),
    "labkit.keystone.v2.V2Controller.get_version":
        (KEYSTONE_V2, "keystone/version/controllers.py", "Version.get_version_v2"),
    "labkit.keystone.v2.V2Controller.authenticate":
        (KEYSTONE_V2, "keystone/token/controllers.py", "Auth.authenticate"),
    "labkit.keystone.middleware.AuthProtocol":
        ("keystonemiddleware", "keystonemiddleware/auth_token/__init__.py", "AuthProtocol"),
    # -- glance ---------------------------------------------------------------------------
    "labkit.messaging.server.dispatch_table":
        "oslo's dispatcher looks the method up on each message; labkit builds the "
        "same lookup (public methods, first endpoint wins) once per server",
    "labkit.glance.versions.root": ("glance", "glance/api/versions.py", "Controller.index"),
    "labkit.glance.versions.versions":
        ("glance", "glance/api/versions.py", "Controller.index"),
    "labkit.glance.images.ImagesController.index":
        ("glance", "glance/api/v2/images.py", "ImagesController.index"),
    "labkit.glance.images.ImagesController.show":
        ("glance", "glance/api/v2/images.py", "ImagesController.show"),
    "labkit.glance.images.ImagesController.create":
        ("glance", "glance/api/v2/images.py", "ImagesController.create"),
    "labkit.glance.images.ImagesController.update":
        ("glance", "glance/api/v2/images.py", "ImagesController.update"),
    "labkit.glance.images.ImagesController.delete":
        ("glance", "glance/api/v2/images.py", "ImagesController.delete"),
    "labkit.glance.images.ImagesController.upload":
        ("glance", "glance/api/v2/image_data.py", "ImageDataController.upload"),
    "labkit.glance.images.ImagesController.download":
        ("glance", "glance/api/v2/image_data.py", "ImageDataController.download"),
    "labkit.glance.schemas.image": ("glance", "glance/api/v2/schemas.py", "Controller.image"),
    "labkit.glance.schemas.images":
        ("glance", "glance/api/v2/schemas.py", "Controller.images"),
    # -- neutron (its REST layer is pecan's) ----------------------------------------------
    "labkit.neutron.controllers.versions":
        ("neutron", _NEUTRON + "root.py", "RootController.index"),
    "labkit.neutron.controllers.resources":
        ("neutron", _NEUTRON + "root.py", "V2Controller.index"),
    **{f"labkit.neutron.controllers.{cls}.{method}":
       ("neutron", _NEUTRON + "resource.py", _NEUTRON_VERBS[method.split("_")[0]])
       for cls, methods in _NEUTRON_RESOURCES.items() for method in methods},
    # -- oslo.messaging: the RPC client, dispatcher and notifier ------------------------
    "labkit.messaging.rpc.RPCClient.prepare":
        ("oslo.messaging", "oslo_messaging/rpc/client.py", "RPCClient.prepare"),
    "labkit.messaging.rpc._CallContext.cast":
        ("oslo.messaging", "oslo_messaging/rpc/client.py", "_BaseCallContext.cast"),
    "labkit.messaging.rpc._CallContext.call":
        ("oslo.messaging", "oslo_messaging/rpc/client.py", "_BaseCallContext.call"),
    "labkit.messaging.server.dispatch_table":
        ("oslo.messaging", "oslo_messaging/rpc/dispatcher.py", "RPCDispatcher._do_dispatch"),
    "labkit.messaging.notify.Notifier.info":
        ("oslo.messaging", "oslo_messaging/notify/notifier.py", "Notifier.info"),
}

# Where labkit's function is not the same shape as the one it mirrors.
NOTES = {
    "labkit.nova.api.openstack.compute.servers.ServersController.action":
        "nova's wsgi.Resource picks the @wsgi.action method by the body's key; "
        "labkit's router names that method itself, so this shows only for a bad body",
    "labkit.nova.api.openstack.compute.servers.ServersController.ips":
        "one handler for /ips and /ips/{network} (IPsController.index and .show)",
    "labkit.nova.api.openstack.compute.aggregates.AggregateController.action":
        "nova's wsgi.Resource picks the @wsgi.action method by the body's key; "
        "labkit's router names that method itself, so this shows only for a bad body",
    "labkit.nova.compute.manager.ComputeManager.close":
        "labkit closes the manager's HTTP clients when a compute service stops",
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
    "labkit.nova.virt.fake.FakeSnapshotFailDriver.snapshot":
        "nova has no snapshot-failing fake driver; this fails FakeDriver.snapshot",
    "labkit.keystone.controllers.Controllers.check_token":
        "HEAD /v3/auth/tokens is answered by the same get (Flask maps HEAD to GET)",
    "labkit.keystone.v2.V2Controller.get_version":
        "keystone's v2.0 API was removed in Queens; this is its last release (Pike)",
    "labkit.keystone.v2.V2Controller.authenticate":
        "keystone's v2.0 API was removed in Queens; this is its last release (Pike)",
    "labkit.messaging.server.dispatch_table":
        "oslo's dispatcher looks the method up on each message; labkit builds the "
        "same lookup (public methods, first endpoint wins) once per server",
    "labkit.glance.versions.root": "GET / answers 300 Multiple Choices from the same index",
    **{f"labkit.neutron.controllers.{cls}.{method}":
       "neutron's pecan controllers serve every resource alike; the ML2 plugin's "
       "get_, create_, update_ or delete_ method of the resource does the work "
       "(neutron/plugins/ml2/plugin.py)"
       for cls, methods in _NEUTRON_RESOURCES.items() for method in methods},
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
        "service_create", "service_update", "compute_node_create")},
}


def url(project, path):
    """The opendev.org link to ``path`` at the project's release tag."""
    name, _, version = project.partition("@")
    return f"https://opendev.org/openstack/{name}/src/tag/{version or RELEASES[name]}/{path}"


def mirror(dotted):
    """What the labkit function ``dotted`` stands in for, or None if nothing does.

    ``{"project", "version", "path", "function", "url"}`` plus ``"note"`` where
    the two differ in shape.
    """
    row = MIRRORS.get(dotted)
    if row is None:
        return None
    project, path, function = row
    name, _, version = project.partition("@")
    out = {"project": name, "version": version or RELEASES[name], "path": path,
           "function": function, "url": url(project, path)}
    if dotted in NOTES:
        out["note"] = NOTES[dotted]
    return out


def event_function(event):
    """The labkit function a trace event names without a ``handler`` key (or None)."""
    return EVENTS.get((event.get("kind"), event.get("name")))
