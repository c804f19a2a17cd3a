"""Nova's tables, with nova's table and column names.

Real nova: nova/db/main/models.py (the cell database: instances, instance
actions, faults, migrations, services, compute nodes) and nova/db/api/models.py (the API
database: flavors, build requests, request specs, instance mappings, key
pairs, quotas).

NOTE(labkit): one database holds both sets of tables (real nova keeps the API
database apart from one database per cell), and instance metadata, system
metadata, info cache, tags and security groups are JSON columns rather than
the separate tables nova has (instance_metadata, instance_system_metadata,
instance_info_caches, tags, security_group_instance_association).
"""
import sqlalchemy as sa

metadata = sa.MetaData()
JSON = sa.JSON

# -- cell database (nova/db/main/models.py) ------------------------------------
instances = sa.Table(
    "instances", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36), unique=True, nullable=False),
    sa.Column("display_name", sa.String(255)),
    sa.Column("display_description", sa.String(255)),
    sa.Column("hostname", sa.String(255)),
    sa.Column("project_id", sa.String(255)),
    sa.Column("user_id", sa.String(255)),
    sa.Column("host", sa.String(255)),
    sa.Column("node", sa.String(255)),
    sa.Column("launched_on", sa.String(255)),
    sa.Column("vm_state", sa.String(255)),
    sa.Column("task_state", sa.String(255)),
    sa.Column("power_state", sa.Integer, default=0),
    sa.Column("image_ref", sa.String(255)),
    sa.Column("instance_type_id", sa.Integer),
    sa.Column("vcpus", sa.Integer),            # the flavor's, as nova keeps them for quota
    sa.Column("memory_mb", sa.Integer),
    sa.Column("flavor", JSON),
    sa.Column("availability_zone", sa.String(255)),
    sa.Column("key_name", sa.String(255)),
    sa.Column("locked", sa.Boolean, default=False),
    sa.Column("locked_by", sa.String(20)),
    sa.Column("progress", sa.Integer, default=0),
    sa.Column("launch_index", sa.Integer, default=0),
    sa.Column("reservation_id", sa.String(255)),
    sa.Column("config_drive", sa.String(255), default=""),
    sa.Column("access_ip_v4", sa.String(39)),
    sa.Column("access_ip_v6", sa.String(39)),
    sa.Column("metadata", JSON),
    sa.Column("system_metadata", JSON),
    sa.Column("info_cache", JSON),
    sa.Column("security_groups", JSON),
    sa.Column("tags", JSON),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
    sa.Column("launched_at", sa.String(32)),
    sa.Column("terminated_at", sa.String(32)),
    sa.Column("deleted_at", sa.String(32)),
    sa.Column("deleted", sa.Integer, default=0),
    sa.Index("instances_project_id_deleted_idx", "project_id", "deleted"),   # as nova's
)

instance_actions = sa.Table(
    "instance_actions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(255)),
    sa.Column("instance_uuid", sa.String(36), index=True),
    sa.Column("request_id", sa.String(255)),
    sa.Column("user_id", sa.String(255)),
    sa.Column("project_id", sa.String(255)),
    sa.Column("start_time", sa.String(32)),
    sa.Column("finish_time", sa.String(32)),
    sa.Column("message", sa.String(255)),
    sa.Column("updated_at", sa.String(32)),
)

instance_actions_events = sa.Table(
    "instance_actions_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, index=True),
    sa.Column("event", sa.String(255)),
    sa.Column("start_time", sa.String(32)),
    sa.Column("finish_time", sa.String(32)),
    sa.Column("result", sa.String(255)),
    sa.Column("traceback", sa.Text),
    sa.Column("host", sa.String(255)),
    sa.Column("details", sa.Text),
)

instance_faults = sa.Table(
    "instance_faults", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("instance_uuid", sa.String(36), index=True),
    sa.Column("code", sa.Integer),
    sa.Column("message", sa.String(255)),
    sa.Column("details", sa.Text),
    sa.Column("host", sa.String(255)),
    sa.Column("created_at", sa.String(32)),
)

# A move between hosts: resize, cold and live migration, evacuation (Migration)
migrations = sa.Table(
    "migrations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36)),
    sa.Column("source_compute", sa.String(255)),
    sa.Column("dest_compute", sa.String(255)),
    sa.Column("source_node", sa.String(255)),
    sa.Column("dest_node", sa.String(255)),
    sa.Column("dest_compute_id", sa.Integer),
    sa.Column("dest_host", sa.String(255)),
    sa.Column("old_instance_type_id", sa.Integer),
    sa.Column("new_instance_type_id", sa.Integer),
    sa.Column("instance_uuid", sa.String(36)),
    sa.Column("status", sa.String(255)),
    sa.Column("migration_type", sa.String(255)),   # migration, resize, live-migration, evacuation
    sa.Column("hidden", sa.Boolean, default=False),
    sa.Column("memory_total", sa.Integer),
    sa.Column("memory_processed", sa.Integer),
    sa.Column("memory_remaining", sa.Integer),
    sa.Column("disk_total", sa.Integer),
    sa.Column("disk_processed", sa.Integer),
    sa.Column("disk_remaining", sa.Integer),
    sa.Column("cross_cell_move", sa.Boolean, default=False),
    sa.Column("user_id", sa.String(255)),
    sa.Column("project_id", sa.String(255)),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
    sa.Column("deleted_at", sa.String(32)),
    sa.Column("deleted", sa.Integer, default=0),
    sa.Index("migrations_uuid", "uuid", unique=True),
    sa.Index("migrations_instance_uuid_and_status_idx", "deleted", "instance_uuid", "status"),
    sa.Index("migrations_updated_at_idx", "updated_at"),
)

services = sa.Table(
    "services", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36)),
    sa.Column("host", sa.String(255), index=True),
    sa.Column("binary", sa.String(255)),
    sa.Column("topic", sa.String(255)),
    sa.Column("report_count", sa.Integer, default=0),
    sa.Column("disabled", sa.Boolean, default=False),
    sa.Column("disabled_reason", sa.String(255)),
    sa.Column("forced_down", sa.Boolean, default=False),
    sa.Column("version", sa.Integer, default=0),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
    sa.Column("last_seen_up", sa.Float),
)

compute_nodes = sa.Table(
    "compute_nodes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36), index=True),
    sa.Column("host", sa.String(255), index=True),
    sa.Column("hypervisor_hostname", sa.String(255)),
    sa.Column("hypervisor_type", sa.String(255)),
    sa.Column("hypervisor_version", sa.Integer),
    sa.Column("vcpus", sa.Integer),
    sa.Column("memory_mb", sa.Integer),
    sa.Column("local_gb", sa.Integer),
    sa.Column("vcpus_used", sa.Integer, default=0),
    sa.Column("memory_mb_used", sa.Integer, default=0),
    sa.Column("local_gb_used", sa.Integer, default=0),
    sa.Column("running_vms", sa.Integer, default=0),
    sa.Column("current_workload", sa.Integer, default=0),
    sa.Column("cpu_allocation_ratio", sa.Float),
    sa.Column("ram_allocation_ratio", sa.Float),
    sa.Column("disk_allocation_ratio", sa.Float),
    sa.Column("host_ip", sa.String(39)),
    sa.Column("stats", JSON),
    sa.Column("updated_at", sa.String(32)),
)

# -- API database (nova/db/api/models.py) -----------------------------------------
flavors = sa.Table(
    "flavors", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("flavorid", sa.String(255), unique=True),
    sa.Column("name", sa.String(255), unique=True),
    sa.Column("memory_mb", sa.Integer),
    sa.Column("vcpus", sa.Integer),
    sa.Column("root_gb", sa.Integer),
    sa.Column("ephemeral_gb", sa.Integer),
    sa.Column("swap", sa.Integer),
    sa.Column("rxtx_factor", sa.Float, default=1.0),
    sa.Column("is_public", sa.Boolean, default=True),
    sa.Column("disabled", sa.Boolean, default=False),
    sa.Column("description", sa.Text),
    sa.Column("extra_specs", JSON),
)

build_requests = sa.Table(
    "build_requests", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("instance_uuid", sa.String(36), unique=True),
    sa.Column("project_id", sa.String(255)),
    # NOTE(labkit): not in nova's table: the flavor's, for quota (api_services.py)
    sa.Column("vcpus", sa.Integer),
    sa.Column("memory_mb", sa.Integer),
    sa.Column("instance", JSON),
    sa.Column("block_device_mappings", JSON),
    sa.Column("tags", JSON),
    sa.Column("created_at", sa.String(32)),
)

request_specs = sa.Table(
    "request_specs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("instance_uuid", sa.String(36), unique=True),
    sa.Column("spec", JSON),
)

instance_mappings = sa.Table(
    "instance_mappings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("instance_uuid", sa.String(36), unique=True),
    sa.Column("cell_id", sa.Integer),
    sa.Column("project_id", sa.String(255)),
    sa.Column("user_id", sa.String(255)),
    sa.Column("queued_for_delete", sa.Boolean, default=False),
)

key_pairs = sa.Table(
    "key_pairs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255), nullable=False),
    sa.Column("fingerprint", sa.String(255)),
    sa.Column("public_key", sa.Text),
    sa.Column("type", sa.String(4), nullable=False, default="ssh"),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
    sa.UniqueConstraint("user_id", "name", name="uniq_key_pairs0user_id0name"),
)

# A project's limit that differs from the default (nova/db/api/models.py:Quota) ...
quotas = sa.Table(
    "quotas", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.String(255)),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("hard_limit", sa.Integer),
    sa.UniqueConstraint("project_id", "resource", name="uniq_quotas0project_id0resource"),
)

# ... one user's within a project (ProjectUserQuota) ...
project_user_quotas = sa.Table(
    "project_user_quotas", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.String(255), nullable=False, index=True),
    sa.Column("user_id", sa.String(255), nullable=False, index=True),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("hard_limit", sa.Integer),
    sa.UniqueConstraint("user_id", "project_id", "resource",
                        name="uniq_project_user_quotas0user_id0project_id0resource"),
)

# ... and a quota class's, "default" overriding [quota] for everyone (QuotaClass)
quota_classes = sa.Table(
    "quota_classes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_name", sa.String(255), index=True),
    sa.Column("resource", sa.String(255)),
    sa.Column("hard_limit", sa.Integer),
)

# -- host aggregates and server groups (API database: nova/db/api/models.py) ------------
aggregates = sa.Table(
    "aggregates", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36), index=True),
    sa.Column("name", sa.String(255), unique=True),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
)

aggregate_hosts = sa.Table(
    "aggregate_hosts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("host", sa.String(255)),
    sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
    sa.UniqueConstraint("host", "aggregate_id"),
)

aggregate_metadata = sa.Table(
    "aggregate_metadata", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("value", sa.String(255), nullable=False),
    sa.UniqueConstraint("aggregate_id", "key"),
    sa.Index("aggregate_metadata_value_idx", "value"),
)

instance_groups = sa.Table(
    "instance_groups", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(255)),
    sa.Column("project_id", sa.String(255)),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(255)),
    sa.Column("created_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32)),
)

instance_group_policy = sa.Table(
    "instance_group_policy", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("policy", sa.String(255)),
    sa.Column("rules", sa.Text),          # JSON text, as nova's column
    sa.Column("group_id", sa.Integer, sa.ForeignKey("instance_groups.id"), nullable=False),
)

instance_group_member = sa.Table(
    "instance_group_member", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("instance_uuid", sa.String(255), index=True),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("instance_groups.id"), nullable=False),
)
