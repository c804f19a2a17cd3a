"""The smaller objects that travel between nova services.

Real nova: nova/objects/request_spec.py (RequestSpec), selection.py
(Selection), build_request.py (BuildRequest), instance_action.py
(InstanceAction, InstanceActionEvent), service.py (Service),
instance_fault.py (InstanceFault).
"""
import uuid

from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.db import api_services as service_db
from labkit.nova.objects.base import NovaObject, remotable, remotable_classmethod


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


class Selection(NovaObject):
    """One host the scheduler chose (or an alternate), with its placement claim."""
    VERSION = "1.1"
    fields = ("compute_node_uuid", "service_host", "nodename", "cell_uuid", "limits",
              "allocation_request", "allocation_request_version", "availability_zone")


class BuildRequest(NovaObject):
    """The pre-scheduling record nova-api keeps until the conductor creates the instance."""
    VERSION = "1.3"
    fields = ("instance_uuid", "project_id", "instance", "block_device_mappings", "tags")


class InstanceAction(NovaObject):
    VERSION = "1.2"
    fields = ("id", "action", "instance_uuid", "request_id", "user_id", "project_id",
              "start_time", "finish_time", "message")

    @classmethod
    def action_start(cls, context, instance_uuid, action):
        values = db.action_start(context, {
            "action": action, "instance_uuid": instance_uuid,
            "request_id": context.request_id, "user_id": context.user_id,
            "project_id": context.project_id, "start_time": _now()})
        return cls(context, **{k: values.get(k) for k in cls.fields})


class InstanceActionEvent(NovaObject):
    VERSION = "1.4"
    fields = ("id", "event", "start_time", "finish_time", "result", "traceback", "host")

    @remotable_classmethod
    def event_start(cls, context, instance_uuid, event_name, host=None):
        db.action_event_start(context, instance_uuid, event_name, host)

    @remotable_classmethod
    def event_finish_with_failure(cls, context, instance_uuid, event_name, exc_val=None,
                                  exc_tb=None):
        result = "Error" if exc_val else "Success"
        db.action_event_finish(context, instance_uuid, event_name, result, exc_tb)


class InstanceFault(NovaObject):
    VERSION = "1.2"
    fields = ("instance_uuid", "code", "message", "details", "host", "created_at")

    @remotable
    def create(self):
        db.instance_fault_create(self._context, {
            "instance_uuid": self.instance_uuid, "code": self.code, "message": self.message,
            "details": self.details, "host": self.host})


class Service(NovaObject):
    """A running nova service; its ``report_count`` is the heartbeat.

    Real nova: nova/objects/service.py:Service (``get_by_id``/``get_by_uuid``,
    ``get_by_compute_host``, ``get_by_args``, ``save``, ``destroy``).  Reads
    like a dict too (``service["host"]``), as nova's NovaObjectDictCompat.
    """
    VERSION = "1.22"
    fields = ("id", "uuid", "host", "binary", "topic", "report_count", "disabled",
              "disabled_reason", "forced_down", "version", "created_at", "updated_at",
              "last_seen_up", "availability_zone")

    @classmethod
    def _from_db_object(cls, context, row):
        service = cls(context, **{k: row.get(k) for k in cls.fields if k in row})
        service.obj_reset_changes()
        return service

    def get(self, key, default=None):
        return getattr(self, key, default)

    def __getitem__(self, key):
        return getattr(self, key)

    def __contains__(self, key):
        return getattr(self, key, None) is not None

    @remotable_classmethod
    def create_or_get(cls, context, host, binary, topic):
        """This host's row for this binary, made on its first start.

        NOTE(labkit): nova's Service.create draws a random uuid; labkit derives it
        from host and binary, so the lab's seeded ids stay where they were.
        """
        try:
            row = service_db.service_get_by_host_and_binary(context, host, binary)
        except exception.ComputeHostNotFound:
            row = service_db.service_create(context, {
                "host": host, "binary": binary, "topic": topic, "report_count": 0,
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{binary}.{host}.labkit"))})
        return cls(context, **{k: row.get(k) for k in cls.fields if k in row})

    @remotable_classmethod
    def report_state(cls, context, service_id):
        """One heartbeat (nova/servicegroup/drivers/db.py:DbDriver._report_state)."""
        service_db.service_heartbeat(context, service_id)

    @classmethod
    def get_by_id(cls, context, service_id):
        """By integer id, or by uuid (nova: get_by_id and get_by_uuid)."""
        return cls._from_db_object(context, service_db.service_get(context, service_id))

    @classmethod
    def get_by_args(cls, context, host, binary):
        try:
            row = service_db.service_get_by_host_and_binary(context, host, binary)
        except exception.ComputeHostNotFound:
            raise exception.HostBinaryNotFound(host=host, binary=binary) from None
        return cls._from_db_object(context, row)

    @classmethod
    def get_by_compute_host(cls, context, host):
        return cls._from_db_object(context, service_db.service_get_by_host_and_binary(
            context, host, "nova-compute"))

    def update(self, values):
        for key, value in values.items():
            setattr(self, key, value)

    def save(self):
        changes = {k: v for k, v in self.obj_get_changes().items() if k != "availability_zone"}
        if changes:
            row = service_db.service_update(self._context, self.id, changes)
            self.updated_at = row["updated_at"]
        self.obj_reset_changes()

    def destroy(self):
        service_db.service_destroy(self._context, self.id)


class ServiceList:
    """Real nova: nova/objects/service.py:ServiceList."""

    @staticmethod
    def get_all(context, disabled=None):
        """Every service, or only the enabled (``disabled=False``) or disabled ones.

        NOTE(labkit): nova's ``set_zones=True`` is availability_zones.set_availability_zones,
        which HostAPI.service_get_all calls with the lab's configuration.
        """
        return [Service._from_db_object(context, row)
                for row in service_db.service_get_all(context)
                if disabled is None or bool(row["disabled"]) == disabled]


def _now():
    from labkit.nova.utils import utcnow_str
    return utcnow_str()


class ComputeNode(NovaObject):
    """A hypervisor node's record, which the scheduler's HostManager reads."""
    VERSION = "1.19"
    fields = ("id", "uuid", "host", "hypervisor_hostname", "hypervisor_type",
              "hypervisor_version", "vcpus", "memory_mb", "local_gb", "vcpus_used",
              "memory_mb_used", "local_gb_used", "running_vms", "current_workload",
              "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio",
              "stats")

    @remotable_classmethod
    def create_or_update(cls, context, values):
        """NOTE(labkit): nova's ResourceTracker calls ComputeNode.create() or save()."""
        try:
            row = service_db.compute_node_get_by_host(context, values["host"])
            service_db.compute_node_update(context, row["id"], values)
            row.update(values)
        except Exception:
            row = service_db.compute_node_create(context, values)
        return {k: row.get(k) for k in cls.fields}
