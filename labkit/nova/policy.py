"""Who may do what: nova's default policy rules for the APIs labkit serves.

Real nova: nova/policies/*.py (oslo.policy).  ``PROJECT_MEMBER`` means a
member (or admin) of the server's project; ``ADMIN`` means the admin role;
``ADMIN_OR_USER`` the admin or the user a key pair belongs to; ``ANY`` anyone;
``PROJECT_MANAGER`` a manager of the project (nova 34's project_manager_api).
NOTE(labkit): rules are fixed here; nova reads overrides from policy.yaml.
"""
from labkit.nova import exception

ADMIN, PROJECT_MEMBER, PROJECT_READER = "admin", "project_member", "project_reader"
ADMIN_OR_USER, ANY = "admin_or_user", "any"
PROJECT_MANAGER = "project_manager"
_PROJECT_ROLES = {PROJECT_MEMBER: {"member"}, PROJECT_MANAGER: {"manager"}}

RULES = {
    "os_compute_api:servers:index": PROJECT_READER,
    "os_compute_api:servers:detail": PROJECT_READER,
    "os_compute_api:servers:show": PROJECT_READER,
    "os_compute_api:servers:create": PROJECT_MEMBER,
    "os_compute_api:servers:delete": PROJECT_MEMBER,
    "os_compute_api:servers:reboot": PROJECT_MEMBER,
    "os_compute_api:servers:start": PROJECT_MEMBER,
    "os_compute_api:servers:stop": PROJECT_MEMBER,
    "os_compute_api:servers:rebuild": PROJECT_MEMBER,
    "os_compute_api:servers:rebuild:trusted_certs": PROJECT_MEMBER,
    "os_compute_api:os-evacuate": ADMIN,
    "os_compute_api:os-pause-server:pause": PROJECT_MEMBER,
    "os_compute_api:os-pause-server:unpause": PROJECT_MEMBER,
    "os_compute_api:os-suspend-server:suspend": PROJECT_MEMBER,
    "os_compute_api:os-suspend-server:resume": PROJECT_MEMBER,
    "os_compute_api:os-console-output": PROJECT_MEMBER,
    "os_compute_api:servers:index:get_all_tenants": ADMIN,
    "os_compute_api:os-extended-server-attributes": ADMIN,
    "os_compute_api:os-shelve:shelve": PROJECT_MEMBER,
    "os_compute_api:os-shelve:shelve_offload": ADMIN,
    "os_compute_api:os-shelve:unshelve": PROJECT_MEMBER,
    "os_compute_api:os-shelve:unshelve_to_host": ADMIN,
    "os_compute_api:os-lock-server:lock": PROJECT_MEMBER,
    "os_compute_api:os-lock-server:unlock": PROJECT_MEMBER,
    "os_compute_api:os-lock-server:unlock:unlock_override": ADMIN,
    "os_compute_api:os-security-groups:add": PROJECT_MEMBER,
    "os_compute_api:os-security-groups:list": PROJECT_READER,
    "os_compute_api:os-security-groups:remove": PROJECT_MEMBER,
    "os_compute_api:os-instance-actions:list": PROJECT_READER,
    "os_compute_api:os-instance-actions:show": PROJECT_READER,
    "os_compute_api:os-instance-actions:events": ADMIN,
    "os_compute_api:os-hypervisors:list": ADMIN,
    "os_compute_api:os-hypervisors:list-detail": ADMIN,
    "os_compute_api:os-hypervisors:show": ADMIN,
    "os_compute_api:os-availability-zone:list": PROJECT_READER,
    "os_compute_api:os-availability-zone:detail": ADMIN,
    "os_compute_api:os-services:list": ADMIN,
    "os_compute_api:os-services:update": ADMIN,
    "os_compute_api:os-services:delete": ADMIN,
    "os_compute_api:os-aggregates:index": ADMIN,
    "os_compute_api:os-aggregates:create": ADMIN,
    "os_compute_api:os-aggregates:show": ADMIN,
    "os_compute_api:os-aggregates:update": ADMIN,
    "os_compute_api:os-aggregates:delete": ADMIN,
    "os_compute_api:os-aggregates:add_host": ADMIN,
    "os_compute_api:os-aggregates:remove_host": ADMIN,
    "os_compute_api:os-aggregates:set_metadata": ADMIN,
    "os_compute_api:os-server-groups:create": PROJECT_MEMBER,
    "os_compute_api:os-server-groups:delete": PROJECT_MEMBER,
    "os_compute_api:os-server-groups:index": PROJECT_READER,
    "os_compute_api:os-server-groups:index:all_projects": ADMIN,
    "os_compute_api:os-server-groups:show": PROJECT_READER,
    "os_compute_api:servers:create:forced_host": ADMIN,
    "compute:servers:create:requested_destination": ADMIN,
    # nova/policies/keypairs.py: '(admin) or user_id:%(user_id)s'
    "os_compute_api:os-keypairs:index": ADMIN_OR_USER,
    "os_compute_api:os-keypairs:create": ADMIN_OR_USER,
    "os_compute_api:os-keypairs:delete": ADMIN_OR_USER,
    "os_compute_api:os-keypairs:show": ADMIN_OR_USER,
    "os_compute_api:os-quota-sets:show": PROJECT_READER,
    "os_compute_api:os-quota-sets:detail": PROJECT_READER,
    "os_compute_api:os-quota-sets:defaults": ANY,
    "os_compute_api:os-quota-sets:update": ADMIN,
    "os_compute_api:os-quota-sets:delete": ADMIN,
    "os_compute_api:limits": ANY,
    "os_compute_api:limits:other_project": ADMIN,
    "os_compute_api:os-simple-tenant-usage:show": PROJECT_READER,
    "os_compute_api:os-simple-tenant-usage:list": ADMIN,
    # moving servers between hosts (nova/policies/servers.py, migrate_server.py,
    # migrations.py)
    "os_compute_api:servers:resize": PROJECT_MEMBER,
    "os_compute_api:servers:confirm_resize": PROJECT_MEMBER,
    "os_compute_api:servers:revert_resize": PROJECT_MEMBER,
    "os_compute_api:os-migrate-server:migrate": PROJECT_MANAGER,
    "os_compute_api:os-migrate-server:migrate:host": ADMIN,
    "os_compute_api:os-migrate-server:migrate_live": PROJECT_MANAGER,
    "os_compute_api:os-migrate-server:migrate_live:host": ADMIN,
    "os_compute_api:os-migrations:index": PROJECT_MANAGER,
    "os_compute_api:os-migrations:index:all_projects": ADMIN,
    "os_compute_api:os-migrations:index:host": ADMIN,
    # a live migration under way (nova/policies/servers_migrations.py)
    "os_compute_api:servers:migrations:index": PROJECT_MANAGER,
    "os_compute_api:servers:migrations:index:host": ADMIN,
    "os_compute_api:servers:migrations:show": ADMIN,
    "os_compute_api:servers:migrations:force_complete": PROJECT_MANAGER,
    "os_compute_api:servers:migrations:delete": PROJECT_MANAGER,
}


def check(context, action, target_project=None, fatal=True, target_user=None):
    """True if allowed; raise PolicyNotAuthorized (403) when ``fatal``."""
    rule = RULES[action]
    roles = set(context.roles or ())
    if "admin" in roles or rule == ANY:
        allowed = True
    elif rule == ADMIN:
        allowed = False
    elif rule == ADMIN_OR_USER:
        allowed = target_user == context.user_id
    else:
        needed = _PROJECT_ROLES.get(rule, {"member", "reader"})
        allowed = bool(roles & needed) and \
            (target_project is None or target_project == context.project_id)
    if not allowed and fatal:
        raise exception.PolicyNotAuthorized(action=action)
    return allowed
