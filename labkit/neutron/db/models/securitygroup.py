"""Security groups, their rules, each project's default group and the ports in each group.

Real neutron: neutron/db/models/securitygroup.py (SecurityGroup,
SecurityGroupRule, DefaultSecurityGroup, SecurityGroupPortBinding).
"""
import sqlalchemy as sa

from labkit.neutron.db.models_v2 import metadata
from labkit.neutron_lib.db import standard_attr

securitygroups = sa.Table(
    "securitygroups", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("project_id", sa.String(255), index=True),
    sa.Column("name", sa.String(255)),
    sa.Column("stateful", sa.Boolean, nullable=False, default=True),
    *standard_attr.columns())

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
    *standard_attr.columns())

securitygroupportbindings = sa.Table(
    "securitygroupportbindings", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("security_group_id", sa.String(36), sa.ForeignKey("securitygroups.id"),
              primary_key=True))
