"""Nova's services: one row per binary per host, its report_count the heartbeat.

Real nova: nova/objects/service.py (Service, ServiceList).
"""
import uuid

from labkit.nova import exception
from labkit.nova.db import api_services as service_db
from labkit.nova.objects.base import (NovaObject, NovaObjectDictCompat, remotable,
                                      remotable_classmethod)


class Service(NovaObjectDictCompat, NovaObject):
    """A running nova service; its ``report_count`` is the heartbeat.

    Real nova: nova/objects/service.py:Service (``get_by_id``/``get_by_uuid``,
    ``get_by_compute_host``, ``get_by_args``, ``save``, ``destroy``).  Reads
    like a dict too (``service["host"]``), as nova's NovaObjectDictCompat.
    """
    VERSION = "1.22"
    fields = ("id", "uuid", "host", "binary", "topic", "report_count", "disabled",
              "disabled_reason", "forced_down", "version", "created_at", "updated_at",
              "last_seen_up", "availability_zone")

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
        return cls._from_db_object(context, row)     # as read: nothing changed yet

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

    @remotable
    def save(self):
        """Write the changed fields (nova-compute's go through the conductor: its
        heartbeat is a save of report_count + 1)."""
        changes = {k: v for k, v in self.obj_get_changes().items() if k != "availability_zone"}
        if changes:
            row = service_db.service_update(self._context, self.id, changes)
            self.updated_at = row["updated_at"]
        self.obj_reset_changes()

    def destroy(self):
        service_db.service_destroy(self._context, self.id)


class ServiceList:
    """Real nova: nova/objects/service.py:ServiceList.

    NOTE(labkit): its methods return a plain list of Service objects, where nova's
    return an ObjectListBase.
    """

    @staticmethod
    def get_by_binary(context, binary, include_disabled=False):
        """The services of one binary; the disabled ones only if asked for, as nova's."""
        return [Service._from_db_object(context, row)
                for row in service_db.service_get_all(context, binary)
                if include_disabled or not row["disabled"]]

    @staticmethod
    def get_all(context, disabled=None):
        """Every service, or only the enabled (``disabled=False``) or disabled ones.

        NOTE(labkit): nova's ``set_zones=True`` is availability_zones.set_availability_zones,
        which HostAPI.service_get_all calls with the lab's configuration.
        """
        return [Service._from_db_object(context, row)
                for row in service_db.service_get_all(context)
                if disabled is None or bool(row["disabled"]) == disabled]
