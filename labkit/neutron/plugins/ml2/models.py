"""The ml2 plugin's port bindings: the host a port is bound to and its VIF.

Real neutron: neutron/plugins/ml2/models.py (PortBinding).
"""
import sqlalchemy as sa

from labkit.neutron.db.models_v2 import metadata

ml2_port_bindings = sa.Table(
    "ml2_port_bindings", metadata,
    sa.Column("port_id", sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("host", sa.String(255), nullable=False, default=""),
    sa.Column("vnic_type", sa.String(64), nullable=False, default="normal"),
    sa.Column("profile", sa.String(4095), nullable=False, default=""),
    sa.Column("vif_type", sa.String(64), nullable=False),
    sa.Column("vif_details", sa.String(4095), nullable=False, default=""))
