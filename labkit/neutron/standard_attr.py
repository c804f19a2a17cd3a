"""The attributes every neutron resource carries: description, times, revision, tags.

Real neutron: neutron/db/standard_attr.py (StandardAttribute, one row per
resource in ``standardattributes``).  NOTE(labkit): the columns live in each
resource's own table (see models.py); tags are always empty.
"""
import datetime

TIME = "%Y-%m-%dT%H:%M:%SZ"


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


def standard(row):
    """The standard attributes of a row, as the API shows them."""
    return {"description": row.description or "", "tags": [],
            "created_at": row.created_at.strftime(TIME),
            "updated_at": row.updated_at.strftime(TIME),
            "revision_number": row.revision_number}
