"""The attributes every neutron resource carries: description, times, revision, tags.

Real neutron-lib: neutron_lib/db/standard_attr.py (StandardAttribute, one row
per resource in ``standardattributes``, and HasStandardAttributes, the mixin
of every model that has them).  NOTE(labkit): the columns live in each
resource's own table (see neutron/db/models_v2.py); tags are always empty.
"""
import datetime

import sqlalchemy as sa

TIME = "%Y-%m-%dT%H:%M:%SZ"


def columns():
    """The standard attributes' columns, for a resource's own table (HasStandardAttributes)."""
    return [sa.Column("description", sa.String(255), default=""),
            sa.Column("created_at", sa.DateTime),
            sa.Column("updated_at", sa.DateTime),
            sa.Column("revision_number", sa.BigInteger, default=0)]


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


def standard(row):
    """The standard attributes of a row, as the API shows them."""
    return {"description": row.description or "", "tags": [],
            "created_at": row.created_at.strftime(TIME),
            "updated_at": row.updated_at.strftime(TIME),
            "revision_number": row.revision_number}
