"""The Instance object (nova/objects/instance.py)."""
from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject, remotable, remotable_classmethod

INSTANCE_FIELDS = (
    "id", "uuid", "display_name", "display_description", "hostname", "project_id", "user_id",
    "host", "node", "launched_on", "vm_state", "task_state", "power_state", "image_ref",
    "instance_type_id", "flavor", "availability_zone", "key_name", "locked", "locked_by",
    "progress", "launch_index", "reservation_id", "config_drive", "access_ip_v4",
    "access_ip_v6", "metadata", "system_metadata", "info_cache", "security_groups", "tags",
    "created_at", "updated_at", "launched_at", "terminated_at", "deleted_at", "deleted")


class Instance(NovaObject):
    VERSION = "2.8"
    fields = INSTANCE_FIELDS
    defaults = {"metadata": dict, "system_metadata": dict, "info_cache": dict,
                "security_groups": list, "tags": list, "power_state": 0, "locked": False,
                "progress": 0, "launch_index": 0, "config_drive": "", "deleted": 0}

    @classmethod
    def _from_db_object(cls, context, values):
        inst = cls(context)
        state = inst.__dict__
        for name in cls.fields:
            if name in values:
                state[name] = values[name]
        return inst

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, db.instance_get_by_uuid(context, uuid))

    def create(self):
        """Insert the row (the conductor does this after scheduling)."""
        if self.id is not None:
            raise exception.NovaException("instance already created")
        values = {name: getattr(self, name) for name in self.fields if name != "id"}
        created = db.instance_create(self._context, values)
        for key in ("id", "created_at", "updated_at"):
            object.__setattr__(self, key, created[key])
        self.obj_reset_changes()

    @remotable
    def save(self, expected_task_state=None, expected_vm_state=None):
        """Write the changed fields; compare-and-swap on the expected states.

        In nova-compute this runs in the conductor (see ``remotable``).
        """
        updates = self.obj_get_changes()
        if not updates:
            return
        expected = {}
        if expected_task_state is not None:
            expected["task_state"] = _as_list(expected_task_state)
        if expected_vm_state is not None:
            expected["vm_state"] = _as_list(expected_vm_state)
        _old, new = db.instance_update_and_get_original(self._context, self.uuid, updates,
                                                        expected)
        object.__setattr__(self, "updated_at", new["updated_at"])
        self.obj_reset_changes()

    @remotable
    def destroy(self):
        db.instance_destroy(self._context, self.uuid)
        object.__setattr__(self, "deleted", True)
        self.obj_reset_changes()

    @remotable
    def refresh(self):
        current = db.instance_get_by_uuid(self._context, self.uuid)
        for name in self.fields:
            object.__setattr__(self, name, current.get(name))
        self.obj_reset_changes()


class InstanceList(NovaObject):
    """NOTE(labkit): nova's InstanceList is an ObjectListBase of Instance
    (nova/objects/instance.py); here its queries return a plain list of Instance."""

    VERSION = "2.6"

    @remotable_classmethod
    def get_by_host(cls, context, host):
        """The instances ``host`` runs (nova-compute asks the conductor at start-up)."""
        return [Instance._from_db_object(context, row)
                for row in db.instance_get_all_by_filters(context, {"host": host})]

    @remotable_classmethod
    def get_by_filters(cls, context, filters, expected_attrs=None):
        """The instances matching ``filters`` (db.instance_get_all_by_filters' keys)."""
        return [Instance._from_db_object(context, row)
                for row in db.instance_get_all_by_filters(context, filters,
                                                          expected_attrs=expected_attrs)]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set)) else [value]
