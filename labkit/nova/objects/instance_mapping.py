"""Which cell an instance lives in, kept in the API database.

Real nova: nova/objects/instance_mapping.py (InstanceMapping).
NOTE(labkit): labkit's one cell is ``cell_id`` 1 and cell0 is 0, where nova
points ``cell_mapping`` at a CellMapping.
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject


class InstanceMapping(NovaObject):
    VERSION = "1.2"
    fields = ("instance_uuid", "project_id", "user_id", "cell_id")

    def create(self):
        db.instance_mapping_create(self._context, self.instance_uuid, self.project_id,
                                   self.user_id)
        self.obj_reset_changes()

    def save(self):
        changes = self.obj_get_changes()
        changes.pop("instance_uuid", None)
        if changes:
            db.instance_mapping_update(self._context, self.instance_uuid, **changes)
        self.obj_reset_changes()
