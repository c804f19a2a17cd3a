"""glance's tables, named as in glance's schema.

Real glance: glance/db/sqlalchemy/models.py (Image, ImageProperty, ImageTag).
NOTE(labkit): no image_members table, so a ``shared`` image is visible to its
owner only (real glance also shows it to accepted members).
"""
import sqlalchemy as sa

metadata = sa.MetaData()

images = sa.Table(
    "images", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(255)),
    sa.Column("size", sa.BigInteger),
    sa.Column("virtual_size", sa.BigInteger),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("visibility", sa.String(9), nullable=False),
    sa.Column("checksum", sa.String(32)),
    sa.Column("os_hash_algo", sa.String(64)),
    sa.Column("os_hash_value", sa.String(128)),
    sa.Column("min_disk", sa.Integer, nullable=False, default=0),
    sa.Column("min_ram", sa.Integer, nullable=False, default=0),
    sa.Column("owner", sa.String(255)),
    sa.Column("protected", sa.Boolean, nullable=False, default=False),
    sa.Column("os_hidden", sa.Boolean, nullable=False, default=False),
    sa.Column("disk_format", sa.String(20)),
    sa.Column("container_format", sa.String(20)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime),
    sa.Column("deleted_at", sa.DateTime),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False))

image_properties = sa.Table(
    "image_properties", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("image_id", sa.String(36), sa.ForeignKey("images.id"), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("value", sa.Text),
    sa.UniqueConstraint("image_id", "name"))

image_tags = sa.Table(
    "image_tags", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("image_id", sa.String(36), sa.ForeignKey("images.id"), nullable=False),
    sa.Column("value", sa.String(255), nullable=False))
