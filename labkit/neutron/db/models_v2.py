"""neutron's core tables: networks, subnets and their allocation pools, ports and their IPs.

Real neutron: neutron/db/models_v2.py (Network, Subnet, IPAllocationPool,
Port, IPAllocation).  The other tables sit where neutron keeps theirs:
neutron/db/models/segment.py, external_net.py and securitygroup.py, and
neutron/plugins/ml2/models.py.

NOTE(labkit): real neutron keeps description, created_at, updated_at and
revision_number in one ``standardattributes`` table and ``shared`` as a
network RBAC entry (networkrbacs); here they are columns of each table.
Every table is on the one ``metadata`` here (real neutron:
neutron_lib/db/model_base.py:BASEV2's).
"""
import sqlalchemy as sa

from labkit.neutron_lib.db import standard_attr

metadata = sa.MetaData()

networks = sa.Table(
    "networks", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255)),
    sa.Column("name", sa.String(255)),
    sa.Column("status", sa.String(16)),
    sa.Column("admin_state_up", sa.Boolean),
    sa.Column("mtu", sa.Integer, nullable=False),
    sa.Column("shared", sa.Boolean, default=False),
    *standard_attr.columns())

subnets = sa.Table(
    "subnets", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255)),
    sa.Column("name", sa.String(255)),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id")),
    sa.Column("ip_version", sa.Integer, nullable=False),
    sa.Column("cidr", sa.String(64), nullable=False),
    sa.Column("gateway_ip", sa.String(64)),
    sa.Column("enable_dhcp", sa.Boolean),
    *standard_attr.columns())

ipallocationpools = sa.Table(
    "ipallocationpools", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("subnet_id", sa.String(36), sa.ForeignKey("subnets.id")),
    sa.Column("first_ip", sa.String(64), nullable=False),
    sa.Column("last_ip", sa.String(64), nullable=False))

ports = sa.Table(
    "ports", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255)),
    sa.Column("name", sa.String(255)),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("mac_address", sa.String(32), nullable=False),
    sa.Column("admin_state_up", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("device_id", sa.String(255), nullable=False),
    sa.Column("device_owner", sa.String(255), nullable=False),
    *standard_attr.columns(),
    sa.UniqueConstraint("network_id", "mac_address"))

ipallocations = sa.Table(
    "ipallocations", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE")),
    sa.Column("ip_address", sa.String(64), nullable=False),
    sa.Column("subnet_id", sa.String(36), sa.ForeignKey("subnets.id"), nullable=False),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), nullable=False),
    sa.PrimaryKeyConstraint("ip_address", "subnet_id"),
    sa.Index("ipallocations_port_id_idx", "port_id"))      # MySQL indexes every foreign key
