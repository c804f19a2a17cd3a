"""The compute API's route table: one explicit list, as nova's ROUTE_LIST.

Real nova: nova/api/openstack/compute/routes.py (ROUTE_LIST maps each path
and method to a controller function).  ``POST /servers/{id}/action`` goes to
one dispatcher that picks the action by the body's key (servers.py).
"""


def route_list(c):
    """``c`` holds the controllers; returns [(method, path, handler)]."""
    servers = c["servers"]
    return [
        ("GET", "/servers", servers.index),
        ("POST", "/servers", servers.create),
        ("GET", "/servers/detail", servers.detail),
        ("GET", "/servers/{server_id}", servers.show),
        ("DELETE", "/servers/{server_id}", servers.delete),
        ("POST", "/servers/{server_id}/action", servers.action),
        ("GET", "/servers/{server_id}/ips", servers.ips),
        ("GET", "/servers/{server_id}/ips/{network}", servers.ips),
        ("GET", "/servers/{server_id}/os-security-groups", c["server_security_groups"].index),
        ("GET", "/servers/{server_id}/os-instance-actions", c["instance_actions"].index),
        ("GET", "/servers/{server_id}/os-instance-actions/{request_id}",
         c["instance_actions"].show),
        ("GET", "/servers/{server_id}/migrations", c["server_migrations"].index),
        ("GET", "/servers/{server_id}/migrations/{id}", c["server_migrations"].show),
        ("DELETE", "/servers/{server_id}/migrations/{id}", c["server_migrations"].delete),
        ("POST", "/servers/{server_id}/migrations/{id}/action", c["server_migrations"].action),
        ("GET", "/flavors", c["flavors"].index),
        ("GET", "/flavors/detail", c["flavors"].detail),
        ("GET", "/flavors/{flavor_id}", c["flavors"].show),
        ("GET", "/flavors/{flavor_id}/os-extra_specs", c["flavor_extra_specs"].index),
        ("GET", "/flavors/{flavor_id}/os-extra_specs/{id}", c["flavor_extra_specs"].show),
        ("GET", "/images", c["images"].index),
        ("GET", "/images/detail", c["images"].detail),
        ("GET", "/images/{image_id}", c["images"].show),
        ("GET", "/os-hypervisors", c["hypervisors"].index),
        ("GET", "/os-hypervisors/detail", c["hypervisors"].detail),
        ("GET", "/os-hypervisors/{hypervisor_id}", c["hypervisors"].show),
        ("GET", "/os-keypairs", c["keypairs"].index),
        ("POST", "/os-keypairs", c["keypairs"].create),
        ("GET", "/os-keypairs/{keypair_name}", c["keypairs"].show),
        ("DELETE", "/os-keypairs/{keypair_name}", c["keypairs"].delete),
        ("GET", "/limits", c["limits"].index),
        ("GET", "/os-quota-sets/{project_id}", c["quota_sets"].show),
        ("PUT", "/os-quota-sets/{project_id}", c["quota_sets"].update),
        ("DELETE", "/os-quota-sets/{project_id}", c["quota_sets"].delete),
        ("GET", "/os-quota-sets/{project_id}/defaults", c["quota_sets"].defaults),
        ("GET", "/os-quota-sets/{project_id}/detail", c["quota_sets"].detail),
        ("GET", "/os-simple-tenant-usage", c["simple_tenant_usage"].index),
        ("GET", "/os-simple-tenant-usage/{tenant_id}", c["simple_tenant_usage"].show),
        ("GET", "/os-migrations", c["migrations"].index),
    ] + host_routes(c)


def server_actions(c):
    """The action table: body key -> controller method (nova's ``@wsgi.action``)."""
    shelve, lock, groups = c["shelve"], c["lock_server"], c["security_groups"]
    servers, pause, suspend = c["servers"], c["pause_server"], c["suspend_server"]
    return {"shelve": shelve._shelve, "shelveOffload": shelve._shelve_offload,
            "unshelve": shelve._unshelve, "lock": lock._lock, "unlock": lock._unlock,
            "addSecurityGroup": groups._addSecurityGroup,
            "removeSecurityGroup": groups._removeSecurityGroup,
            "reboot": servers._reboot, "os-start": servers._start, "os-stop": servers._stop,
            "pause": pause._pause, "unpause": pause._unpause,
            "suspend": suspend._suspend, "resume": suspend._resume,
            "os-getConsoleOutput": c["console_output"].get_console_output,
            "os-migrateLive": c["migrate_server"]._migrate_live,
            "rebuild": servers._rebuild, "evacuate": c["evacuate"]._evacuate,
            "resize": servers._resize, "confirmResize": servers._confirm_resize,
            "revertResize": servers._revert_resize, "migrate": c["migrate_server"]._migrate}


def host_routes(c):
    """Services, availability zones, host aggregates and server groups."""
    return [
        ("GET", "/os-services", c["services"].index),
        ("PUT", "/os-services/{service_id}", c["services"].update),
        ("DELETE", "/os-services/{service_id}", c["services"].delete),
        ("GET", "/os-availability-zone", c["availability_zone"].index),
        ("GET", "/os-availability-zone/detail", c["availability_zone"].detail),
        ("GET", "/os-aggregates", c["aggregates"].index),
        ("POST", "/os-aggregates", c["aggregates"].create),
        ("GET", "/os-aggregates/{aggregate_id}", c["aggregates"].show),
        ("PUT", "/os-aggregates/{aggregate_id}", c["aggregates"].update),
        ("DELETE", "/os-aggregates/{aggregate_id}", c["aggregates"].delete),
        ("POST", "/os-aggregates/{aggregate_id}/action", c["aggregates"].action),
        ("GET", "/os-server-groups", c["server_groups"].index),
        ("POST", "/os-server-groups", c["server_groups"].create),
        ("GET", "/os-server-groups/{group_id}", c["server_groups"].show),
        ("DELETE", "/os-server-groups/{group_id}", c["server_groups"].delete),
    ]
