"""An instance's actions and their events (``openstack server event list``).

Real nova: nova/objects/instance_action.py (InstanceAction, InstanceActionList,
InstanceActionEvent, InstanceActionEventList).  Both objects read like a dict
too, as nova's (NovaObjectDictCompat).
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject, NovaObjectDictCompat, remotable_classmethod
from labkit.nova.utils import utcnow_str


class InstanceAction(NovaObjectDictCompat, NovaObject):
    VERSION = "1.2"
    fields = ("id", "action", "instance_uuid", "request_id", "user_id", "project_id",
              "start_time", "finish_time", "message")

    @classmethod
    def action_start(cls, context, instance_uuid, action):
        values = db.action_start(context, {
            "action": action, "instance_uuid": instance_uuid,
            "request_id": context.request_id, "user_id": context.user_id,
            "project_id": context.project_id, "start_time": utcnow_str()})
        return cls(context, **{k: values.get(k) for k in cls.fields})

    @classmethod
    def get_by_request_id(cls, context, instance_uuid, request_id):
        """The instance's action of one request, or None (as nova's)."""
        row = db.action_get_by_request_id(context, instance_uuid, request_id)
        return None if row is None else cls._from_db_object(context, row)


class InstanceActionList:
    """Real nova: nova/objects/instance_action.py:InstanceActionList.

    NOTE(labkit): a plain list, newest first, with no limit, marker or changes-since.
    """

    @staticmethod
    def get_by_instance_uuid(context, instance_uuid):
        return [InstanceAction._from_db_object(context, row)
                for row in db.actions_get(context, instance_uuid)]


class InstanceActionEvent(NovaObjectDictCompat, NovaObject):
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


class InstanceActionEventList:
    """Real nova: nova/objects/instance_action.py:InstanceActionEventList (a plain list)."""

    @staticmethod
    def get_by_action(context, action_id):
        return [InstanceActionEvent._from_db_object(context, row)
                for row in db.action_events_get(context, action_id)]
