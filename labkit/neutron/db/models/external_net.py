"""Which networks are external (``router:external``).

Real neutron: neutron/db/models/external_net.py (ExternalNetwork).
"""
import sqlalchemy as sa

from labkit.neutron.db.models_v2 import metadata

externalnetworks = sa.Table(
    "externalnetworks", metadata,
    sa.Column("network_id", sa.String(36), sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("is_default", sa.Boolean, default=False))
