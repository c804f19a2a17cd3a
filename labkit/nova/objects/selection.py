"""One host the scheduler chose.

Real nova: nova/objects/selection.py (Selection).
"""
from labkit.nova.objects.base import NovaObject


class Selection(NovaObject):
    """One host the scheduler chose (or an alternate), with its placement claim."""
    VERSION = "1.1"
    fields = ("compute_node_uuid", "service_host", "nodename", "cell_uuid", "limits",
              "allocation_request", "allocation_request_version", "availability_zone")
