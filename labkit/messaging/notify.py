"""Versioned notifications on the bus.

Real OpenStack: oslo_messaging/notify/notifier.py (Notifier) with the
messagingv2 driver; nova emits them from nova/compute/utils.py
(notify_about_instance_action) on topic ``versioned_notifications``.
"""
import uuid
from datetime import datetime, timezone

from labkit.messaging.rpc import pack_context, serialize_msg

NOTIFICATION_TOPIC = "versioned_notifications"


class Notifier:
    """Publishes ``{event_type, payload, publisher_id, priority}`` to ``<topic>.<priority>``."""

    def __init__(self, transport, publisher_id, node, trace=None, topic=NOTIFICATION_TOPIC):
        self.transport, self.publisher_id, self.node = transport, publisher_id, node
        self.trace, self.topic = trace, topic

    def prepare(self, publisher_id):
        return Notifier(self.transport, publisher_id, self.node, self.trace, self.topic)

    def _notify(self, ctxt, event_type, payload, priority):
        key = f"{self.topic}.{priority}"
        msg = {"message_id": str(uuid.uuid4()), "publisher_id": self.publisher_id,
               "event_type": event_type, "priority": priority.upper(), "payload": payload,
               "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")}
        pack_context(msg, ctxt)
        if self.trace is not None and self.trace.enabled:
            self.trace.record("notification", self.node, "notifications", event_type,
                              ctxt.trace_id, payload=payload, topic=key,
                              publisher_id=self.publisher_id)
        self.transport.publish("nova", key, serialize_msg(msg))

    def info(self, ctxt, event_type, payload):
        self._notify(ctxt, event_type, payload, "info")

    def error(self, ctxt, event_type, payload):
        self._notify(ctxt, event_type, payload, "error")
