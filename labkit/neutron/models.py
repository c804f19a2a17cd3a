"""neutron's tables, named as in neutron's schema.

Real neutron: neutron/db/models_v2.py (networks, subnets, ipallocationpools,
ports, ipallocations), neutron/db/models/segment.py (networksegments),
neutron/db/models/securitygroup.py (securitygroups, default_security_group,
securitygrouprules, securitygroupportbindings),
neutron/db/models/external_net.py (externalnetworks) and
neutron/plugins/ml2/models.py (ml2_port_bindings).

NOTE(labkit): real neutron keeps description, created_at, updated_at and
revision_number in one ``standardattributes`` table and ``shared`` as a
network RBAC entry (networkrbacs); here they are columns of each table.
"""
import sqlalchemy as sa

metadata = sa.MetaData()


def _standard_attributes():
    return [sa.Column("description", sa.String(255), default=""),
            sa.Column("created_at", sa.DateTime),
            sa.Column("updated_at", sa.DateTime),
            sa.Column("revision_number", sa.BigInteger, default=0)]


networks = sa.Table(
    "networks", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255)),
    sa.Column("name", sa.String(255)),
    sa.Column("status", sa.String(16)),
    sa.Column("admin_state_up", sa.Boolean),
    sa.Column("mtu", sa.Integer, nullable=False),
    sa.Column("shared", sa.Boolean, default=False),
    *_standard_attributes())

externalnetworks = sa.Table(
    "externalnetworks", metadata,
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("is_default", sa.Boolean, default=False))

networksegments = sa.Table(
    "networksegments", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("network_type", sa.String(32), nullable=False),
    sa.Column("physical_network", sa.String(64)),
    sa.Column("segmentation_id", sa.Integer))

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
    *_standard_attributes())

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
    *_standard_attributes(),
    sa.UniqueConstraint("network_id", "mac_address"))

ipallocations = sa.Table(
    "ipallocations", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE")),
    sa.Column("ip_address", sa.String(64), nullable=False),
    sa.Column("subnet_id", sa.String(36), sa.ForeignKey("subnets.id"), nullable=False),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), nullable=False),
    sa.PrimaryKeyConstraint("ip_address", "subnet_id"),
    sa.Index("ipallocations_port_id_idx", "port_id"))      # MySQL indexes every foreign key

ml2_port_bindings = sa.Table(
    "ml2_port_bindings", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("host", sa.String(255), nullable=False, default=""),
    sa.Column("vnic_type", sa.String(64), nullable=False, default="normal"),
    sa.Column("profile", sa.String(4095), nullable=False, default=""),
    sa.Column("vif_type", sa.String(64), nullable=False),
    sa.Column("vif_details", sa.String(4095), nullable=False, default=""))

securitygroups = sa.Table(
    "securitygroups", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255), index=True),
    sa.Column("name", sa.String(255)),
    sa.Column("stateful", sa.Boolean, nullable=False, default=True),
    *_standard_attributes())

default_security_group = sa.Table(     # one row per project: which group is its default
    "default_security_group", metadata,
    sa.Column("project_id", sa.String(255), primary_key=True),
    sa.Column("security_group_id", sa.String(36), sa.ForeignKey("securitygroups.id",
                                                                 ondelete="CASCADE"),
              nullable=False))

securitygrouprules = sa.Table(
    "securitygrouprules", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255), index=True),
    sa.Column("security_group_id", sa.String(36), sa.ForeignKey("securitygroups.id",
                                                                 ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("remote_group_id", sa.String(36), sa.ForeignKey("securitygroups.id",
                                                               ondelete="CASCADE")),
    sa.Column("direction", sa.String(16)),          # ingress | egress
    sa.Column("ethertype", sa.String(40)),          # IPv4 | IPv6
    sa.Column("protocol", sa.String(40)),
    sa.Column("port_range_min", sa.Integer),
    sa.Column("port_range_max", sa.Integer),
    sa.Column("remote_ip_prefix", sa.String(255)),
    *_standard_attributes())

securitygroupportbindings = sa.Table(
    "securitygroupportbindings", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("security_group_id", sa.String(36), sa.ForeignKey("securitygroups.id"),
              primary_key=True))
