"""A fault recorded against an instance.

Real nova: nova/objects/instance_fault.py (InstanceFault, InstanceFaultList); a
fault reads like a dict too, as nova's (NovaObjectDictCompat).
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject, NovaObjectDictCompat, remotable


class InstanceFault(NovaObjectDictCompat, NovaObject):
    VERSION = "1.2"
    fields = ("instance_uuid", "code", "message", "details", "host", "created_at")

    @remotable
    def create(self):
        db.instance_fault_create(self._context, {
            "instance_uuid": self.instance_uuid, "code": self.code, "message": self.message,
            "details": self.details, "host": self.host})

    @classmethod
    def get_latest_for_instance(cls, context, instance_uuid):
        """The instance's newest fault, or None."""
        return InstanceFaultList.get_latest_by_instance_uuids(context, [instance_uuid]).get(
            instance_uuid)


class InstanceFaultList:
    """Real nova: nova/objects/instance_fault.py:InstanceFaultList."""

    @staticmethod
    def get_latest_by_instance_uuids(context, instance_uuids):
        """NOTE(labkit): {instance uuid: its newest fault}, where nova returns the list."""
        return {uuid: InstanceFault._from_db_object(context, row) for uuid, row in
                db.instance_fault_get_by_instance_uuids(context, instance_uuids).items()}
