"""The pre-scheduling record of an instance.

Real nova: nova/objects/build_request.py (BuildRequest), kept in the API
database's build_requests table.
"""
from labkit.nova.objects.base import NovaObject


class BuildRequest(NovaObject):
    """The pre-scheduling record nova-api keeps until the conductor creates the instance."""
    VERSION = "1.3"
    fields = ("instance_uuid", "project_id", "instance", "block_device_mappings", "tags")
