"""A network's segments: its type, physical network and segmentation id.

Real neutron: neutron/db/models/segment.py (NetworkSegment), what
``provider:network_type`` and its siblings show.
"""
import sqlalchemy as sa

from labkit.neutron.db.models_v2 import metadata

networksegments = sa.Table(
    "networksegments", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("network_type", sa.String(32), nullable=False),
    sa.Column("physical_network", sa.String(64)),
    sa.Column("segmentation_id", sa.Integer))
