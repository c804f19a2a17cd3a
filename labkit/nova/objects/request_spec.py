"""The request spec: what the scheduler needs to place an instance.

Real nova: nova/objects/request_spec.py (RequestSpec), kept in the API
database's request_specs table.
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject


class RequestSpec(NovaObject):
    """What the scheduler needs to place one or more instances."""
    VERSION = "1.14"
    fields = ("instance_uuid", "project_id", "user_id", "flavor", "image", "num_instances",
              "availability_zone", "scheduler_hints", "requested_destination", "ignore_hosts",
              "retry", "security_groups", "is_bfv", "requested_networks", "instance_group",
              "force_hosts", "force_nodes")
    defaults = {"num_instances": 1, "scheduler_hints": dict, "ignore_hosts": list,
                "security_groups": list, "is_bfv": False}

    def get_scheduler_hint(self, hint_name, default=None):
        """One hint's value; a one-item list gives the item (RequestSpec.get_scheduler_hint)."""
        value = (self.scheduler_hints or {}).get(hint_name, default)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    def resources(self):
        """Placement resource amounts for the flavor (scheduler/utils.py:resources_from_request_spec)."""
        f = self.flavor
        disk = 0 if self.is_bfv else f["root_gb"] + f["ephemeral_gb"] + (f["swap"] + 1023) // 1024
        out = {"VCPU": f["vcpus"], "MEMORY_MB": f["memory_mb"]}
        if disk:
            out["DISK_GB"] = disk
        return out

    def obj_to_primitive(self):
        """As nova's: a forced host or node that was never set is left out."""
        primitive = super().obj_to_primitive()
        data = primitive["nova_object.data"]
        for name in ("force_hosts", "force_nodes"):
            if data[name] is None:
                del data[name]
        return primitive

    def _get_update_primitives(self):
        """What the API database keeps: not this operation's requested_destination
        nor the hosts it ignored (nova: "Don't persist these since they are per-request").

        NOTE(labkit): nova also leaves out retry and requested_resources."""
        primitive = self.obj_to_primitive()
        primitive["nova_object.data"]["requested_destination"] = None
        primitive["nova_object.data"]["ignore_hosts"] = None
        return primitive

    def create(self):
        db.request_spec_create(self._context, self.instance_uuid, self._get_update_primitives())

    def save_to_db(self, context):
        db.request_spec_save(context, self.instance_uuid, self._get_update_primitives())

    def reset_forced_destinations(self):
        """Forget ``zone:host:node`` for this operation only (never saved)."""
        self.force_hosts = self.force_nodes = None
        self.obj_reset_changes(["force_hosts", "force_nodes"])

    @classmethod
    def get_by_instance_uuid(cls, context, instance_uuid):
        spec = db.request_spec_get_by_instance_uuid(context, instance_uuid)
        return NovaObject.obj_from_primitive(spec, context)

    @classmethod
    def get_by_instance_uuids(cls, context, instance_uuids):
        """The specs of those instances that have one (RequestSpec.get_by_instance_uuids).

        NOTE(labkit): one read per instance, where nova reads them in one query.
        """
        specs = (db.request_spec_get_by_instance_uuid(context, uuid) for uuid in instance_uuids)
        return [NovaObject.obj_from_primitive(spec, context) for spec in specs if spec]
