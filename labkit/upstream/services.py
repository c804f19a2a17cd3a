"""The rows of the mirrors table for the services around nova and the message bus.

Real placement 16.0.0, keystone 30.0.0 (and 12.0.2 for the v2.0 API it no
longer has), keystonemiddleware 13.0.1, glance 33.0.0, neutron 29.0.0 and
oslo.messaging 18.3.1 (see ``labkit/upstream/__init__.py``).
"""

# keystone's v2.0 token API was removed in Queens (13.0.0); its last release is Pike's.
KEYSTONE_V2 = "keystone@12.0.2"

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

MIRRORS = {
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
    "labkit.keystone.controllers.Controllers.list_users":
        ("keystone", "keystone/api/users.py", "UsersResource.get"),
    "labkit.keystone.controllers.Controllers.get_user":
        ("keystone", "keystone/api/users.py", "UserResource.get"),
    "labkit.keystone.controllers.Controllers.list_role_assignments":
        ("keystone", "keystone/api/role_assignments.py", "RoleAssignmentsResource.get"),
    "labkit.keystone.v2.V2Controller.get_version":
        (KEYSTONE_V2, "keystone/version/controllers.py", "Version.get_version_v2"),
    "labkit.keystone.v2.V2Controller.authenticate":
        (KEYSTONE_V2, "keystone/token/controllers.py", "Auth.authenticate"),
    "labkit.keystonemiddleware.auth_token.AuthProtocol":
        ("keystonemiddleware", "keystonemiddleware/auth_token/__init__.py", "AuthProtocol"),
    # -- glance ---------------------------------------------------------------------------
    "labkit.glance.api.versions.root": ("glance", "glance/api/versions.py", "Controller.index"),
    "labkit.glance.api.versions.versions":
        ("glance", "glance/api/versions.py", "Controller.index"),
    "labkit.glance.api.v2.images.ImagesController.index":
        ("glance", "glance/api/v2/images.py", "ImagesController.index"),
    "labkit.glance.api.v2.images.ImagesController.show":
        ("glance", "glance/api/v2/images.py", "ImagesController.show"),
    "labkit.glance.api.v2.images.ImagesController.create":
        ("glance", "glance/api/v2/images.py", "ImagesController.create"),
    "labkit.glance.api.v2.images.ImagesController.update":
        ("glance", "glance/api/v2/images.py", "ImagesController.update"),
    "labkit.glance.api.v2.images.ImagesController.delete":
        ("glance", "glance/api/v2/images.py", "ImagesController.delete"),
    "labkit.glance.api.v2.image_data.ImageDataController.upload":
        ("glance", "glance/api/v2/image_data.py", "ImageDataController.upload"),
    "labkit.glance.api.v2.image_data.ImageDataController.download":
        ("glance", "glance/api/v2/image_data.py", "ImageDataController.download"),
    "labkit.glance.api.v2.schemas.image":
        ("glance", "glance/api/v2/schemas.py", "Controller.image"),
    "labkit.glance.api.v2.schemas.images":
        ("glance", "glance/api/v2/schemas.py", "Controller.images"),
    # -- neutron (its REST layer is pecan's) ----------------------------------------------
    "labkit.neutron.pecan_wsgi.controllers.root.versions":
        ("neutron", _NEUTRON + "root.py", "RootController.index"),
    "labkit.neutron.pecan_wsgi.controllers.root.resources":
        ("neutron", _NEUTRON + "root.py", "V2Controller.index"),
    **{f"labkit.neutron.pecan_wsgi.controllers.resource.{cls}.{method}":
       ("neutron", _NEUTRON + "resource.py", _NEUTRON_VERBS[method.split("_")[0]])
       for cls, methods in _NEUTRON_RESOURCES.items() for method in methods},
    "labkit.neutron.extensions.quotasv2.QuotaSetsController.show":
        ("neutron", "neutron/extensions/quotasv2.py", "QuotaSetsController.show"),
    "labkit.neutron.extensions.quotasv2.QuotaSetsController.default":
        ("neutron", "neutron/extensions/quotasv2.py", "QuotaSetsController.default"),
    "labkit.neutron.extensions.quotasv2.QuotaSetsController.details":
        ("neutron", "neutron/extensions/quotasv2_detail.py",
         "DetailQuotaSetsController.details"),
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

NOTES = {
    "labkit.keystone.controllers.Controllers.check_token":
        "HEAD /v3/auth/tokens is answered by the same get (Flask maps HEAD to GET)",
    "labkit.keystone.v2.V2Controller.get_version":
        "keystone's v2.0 API was removed in Queens; this is its last release (Pike)",
    "labkit.keystone.v2.V2Controller.authenticate":
        "keystone's v2.0 API was removed in Queens; this is its last release (Pike)",
    "labkit.messaging.server.dispatch_table":
        "oslo's dispatcher looks the method up on each message; labkit builds the "
        "same lookup (public methods, first endpoint wins) once per server",
    "labkit.glance.api.versions.root": "GET / answers 300 Multiple Choices from the same index",
    **{f"labkit.neutron.pecan_wsgi.controllers.resource.{cls}.{method}":
       "neutron's pecan controllers serve every resource alike; the ML2 plugin's "
       "get_, create_, update_ or delete_ method of the resource does the work "
       "(neutron/plugins/ml2/plugin.py)"
       for cls, methods in _NEUTRON_RESOURCES.items() for method in methods},
}
