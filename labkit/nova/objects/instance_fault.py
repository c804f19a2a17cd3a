"""A fault recorded against an instance.

Real nova: nova/objects/instance_fault.py (InstanceFault).
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject, remotable


class InstanceFault(NovaObject):
    VERSION = "1.2"
    fields = ("instance_uuid", "code", "message", "details", "host", "created_at")

    @remotable
    def create(self):
        db.instance_fault_create(self._context, {
            "instance_uuid": self.instance_uuid, "code": self.code, "message": self.message,
            "details": self.details, "host": self.host})
