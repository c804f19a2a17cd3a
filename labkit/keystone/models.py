"""keystone's SQL tables, named as in keystone's own schema.

Real keystone: keystone/identity/backends/sql_model.py (user, local_user,
password), keystone/resource/backends/sql_model.py (project, which also holds
domains), keystone/assignment/role_backends/sql_model.py (role),
keystone/assignment/backends/sql.py (assignment),
keystone/catalog/backends/sql.py (region, service, endpoint) and the
pre-Pike keystone/token/persistence/backends/sql.py (token).
"""
import sqlalchemy as sa

metadata = sa.MetaData()

project = sa.Table(
    "project", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("domain_id", sa.String(64), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("enabled", sa.Boolean, default=True),
    sa.Column("is_domain", sa.Boolean, default=False),
    sa.UniqueConstraint("domain_id", "name"))

user = sa.Table(
    "user", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("domain_id", sa.String(64), nullable=False),
    sa.Column("enabled", sa.Boolean, default=True),
    sa.Column("default_project_id", sa.String(64)))

local_user = sa.Table(
    "local_user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(64), sa.ForeignKey("user.id"), unique=True),
    sa.Column("domain_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.UniqueConstraint("domain_id", "name"))

password = sa.Table(
    "password", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("local_user_id", sa.Integer, sa.ForeignKey("local_user.id")),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("expires_at", sa.DateTime))

role = sa.Table(
    "role", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False, unique=True),
    sa.Column("domain_id", sa.String(64), default="<<null>>"))

assignment = sa.Table(
    "assignment", metadata,
    sa.Column("type", sa.String(64), nullable=False),      # UserProject, UserDomain ...
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("role_id", sa.String(64), nullable=False),
    sa.Column("inherited", sa.Boolean, default=False),
    sa.PrimaryKeyConstraint("type", "actor_id", "target_id", "role_id", "inherited"))

region = sa.Table(
    "region", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("description", sa.String(255)))

service = sa.Table(
    "service", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(255)),
    sa.Column("name", sa.String(255)),          # NOTE(labkit): real keeps name in 'extra'
    sa.Column("enabled", sa.Boolean, default=True))

endpoint = sa.Table(
    "endpoint", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("interface", sa.String(8), nullable=False),
    sa.Column("service_id", sa.String(64), sa.ForeignKey("service.id")),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("region_id", sa.String(255), sa.ForeignKey("region.id")),
    sa.Column("enabled", sa.Boolean, default=True))

# NOTE(labkit): real keystone (Pike on) persists no tokens: Fernet tokens carry
# their payload, and revocations live in revocation_event.  labkit keeps the
# older SQL token table (keystone/token/persistence/backends/sql.py) so a
# learner can look at issued tokens; ``valid`` false means revoked.
token = sa.Table(
    "token", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("project_id", sa.String(64)),
    sa.Column("roles", sa.JSON, nullable=False),      # [role id, ...] at issue time
    sa.Column("methods", sa.JSON, nullable=False),
    sa.Column("issued_at", sa.DateTime, nullable=False),
    sa.Column("expires", sa.DateTime, nullable=False),
    sa.Column("audit_ids", sa.JSON, nullable=False),
    sa.Column("valid", sa.Boolean, default=True))
