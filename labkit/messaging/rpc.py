"""RPC over the bus with oslo.messaging's shape: Target, client.prepare().cast/call, servers.

Real OpenStack: oslo_messaging/target.py, rpc/client.py (RPCClient,
_BaseCallContext.cast/call), rpc/server.py and rpc/dispatcher.py, and the AMQP
envelope of oslo_messaging/_drivers/common.py (serialize_msg) and amqpdriver.py.

NOTE(labkit): no version negotiation (``can_send_version``); the ``version``
field is carried on the wire for show only.

A call carries two timeouts, as in oslo: ``timeout``, how long the caller waits
(and, over RabbitMQ, the message's TTL), and ``call_monitor_timeout``, sent as
the message's ``_timeout`` (None unless the caller asks for one, as nova's
select_destinations does with ``rpc_response_timeout``).
NOTE(labkit): the receiver sends no call-monitor heartbeats
(oslo_messaging/rpc/dispatcher.py:RPCDispatcher._watchdog) and the caller does
not watch for them (amqpdriver.py:ReplyWaiter.wait): it waits ``timeout`` alone.
"""
import queue
import uuid

from labkit.common import jsonutils
from labkit.ids import IdGenerator

OSLO_VERSION = "2.0"
CONTROL_EXCHANGE = "nova"


class MessagingTimeout(Exception):
    """A call got no reply in time (oslo_messaging.exceptions.MessagingTimeout)."""


class RemoteError(Exception):
    """The remote side raised (oslo_messaging.rpc.client.RemoteError)."""

    def __init__(self, exc_type, value, tb=""):
        self.exc_type, self.value, self.traceback = exc_type, value, tb
        super().__init__(f"Remote error: {exc_type} {value}")


class Target:
    """Where a message goes (oslo_messaging/target.py:Target)."""

    __slots__ = ("exchange", "topic", "server", "fanout", "version", "namespace")

    def __init__(self, topic, server=None, fanout=False, version=None, namespace=None,
                 exchange=CONTROL_EXCHANGE):
        self.exchange, self.topic, self.server = exchange, topic, server
        self.fanout, self.version, self.namespace = fanout, version, namespace

    def routing_key(self):
        return f"{self.topic}.{self.server}" if self.server else self.topic

    def node(self):
        """The trace node this target reaches: nova-<topic>[@<server>].

        A ``<topic>-alt`` topic is served by the same service (since nova 33, nova's
        ``compute-alt``: nova/compute/rpcapi.py:RPC_TOPIC_ALT), so it reaches the
        same node; the trace keeps the topic beside it."""
        base = f"nova-{self.topic.removesuffix('-alt')}"
        return f"{base}@{self.server}" if self.server else base

    def __repr__(self):
        return f"<Target topic={self.topic} server={self.server} fanout={self.fanout}>"


_CONTEXT = "_context_"


def pack_context(msg, ctxt):
    """Flatten the request context into the message as ``_context_<key>`` entries
    (oslo_messaging/_drivers/amqp.py:pack_context), for RPC and notifications alike."""
    for key, value in ctxt.to_dict().items():
        msg[_CONTEXT + key] = value
    return msg


def unpack_context(msg):
    """The context's dict back out of a message (amqp.py:unpack_context)."""
    return {k[len(_CONTEXT):]: v for k, v in msg.items() if k.startswith(_CONTEXT)}


def serialize_msg(msg):
    """The AMQP body oslo.messaging sends: the message as a JSON string in a JSON envelope."""
    return jsonutils.dumps({"oslo.version": OSLO_VERSION, "oslo.message": jsonutils.dumps(msg)})


def deserialize_msg(wire):
    return jsonutils.loads(jsonutils.loads(wire)["oslo.message"])


class _CallContext:
    """A prepared client (oslo_messaging/rpc/client.py:_BaseCallContext)."""

    def __init__(self, client, target, timeout, call_monitor_timeout=None):
        self.client, self.target, self.timeout = client, target, timeout
        self.call_monitor_timeout = call_monitor_timeout

    def can_send_version(self, version):
        return True

    def _message(self, ctxt, method, kwargs):
        ser = self.client.serializer
        msg = {"method": method,
               "args": {k: ser.serialize_entity(ctxt, v) for k, v in kwargs.items()},
               "version": self.target.version or "1.0",
               "_unique_id": IdGenerator.message_id()}
        if self.target.namespace:
            msg["namespace"] = self.target.namespace
        return pack_context(msg, ctxt)

    def _record(self, kind, method, msg, **extra):
        trace = self.client.trace
        if trace is not None and trace.enabled:
            ctxt_rid = msg.get("_context_global_request_id") or msg.get("_context_request_id")
            # a fanout goes to the <topic>_fanout exchange with no routing key: oslo's
            # impl_rabbit.Connection.fanout_send publishes there, and a fanout exchange
            # copies to every bound queue whatever the key
            fanout = self.target.fanout
            trace.record(kind, self.client.node, self.target.node(), method, ctxt_rid,
                         payload=msg["args"], topic=self.target.topic, server=self.target.server,
                         exchange=f"{self.target.topic}_fanout" if fanout else self.target.exchange,
                         routing_key=None if fanout else self.target.routing_key(),
                         fanout=fanout, version=msg["version"],
                         handler=self.client.transport.handlers.get(
                             (self.target.topic, self.target.namespace, method)), **extra)

    def cast(self, ctxt, method, **kwargs):
        """Send and return at once; nothing comes back."""
        msg = self._message(ctxt, method, kwargs)
        self._record("cast", method, msg)
        t = self.target
        exchange = f"{t.topic}_fanout" if t.fanout else t.exchange
        self.client.transport.publish(exchange, t.routing_key(), serialize_msg(msg), fanout=t.fanout)

    def call(self, ctxt, method, **kwargs):
        """Send and wait for the reply; MessagingTimeout after ``timeout`` seconds."""
        msg = self._message(ctxt, method, kwargs)
        msg_id = IdGenerator.message_id()
        timeout = self.timeout or self.client.default_timeout
        # _timeout is the call monitor's interval, not the wait (amqpdriver.py:AMQPDriverBase._send)
        msg.update({"_msg_id": msg_id, "_reply_q": self.client.reply_q,
                    "_timeout": self.call_monitor_timeout})
        waiter = queue.SimpleQueue()
        transport = self.client.transport
        transport.expect_reply(msg_id, waiter, self.client.node)
        self._record("call", method, msg, msg_id=msg_id, timeout=timeout)
        try:
            transport.publish(self.target.exchange, self.target.routing_key(), serialize_msg(msg),
                              msg_id=msg_id, sender=self.client.node, expiration=timeout)
            try:
                reply = jsonutils.loads(waiter.get(timeout=timeout))
            except queue.Empty:
                if self.client.trace is not None:
                    self.client.trace.record(
                        "fault", self.target.node(), self.client.node, "MessagingTimeout",
                        msg.get("_context_global_request_id") or msg.get("_context_request_id"),
                        payload={"method": method, "timeout": timeout}, msg_id=msg_id)
                raise MessagingTimeout(
                    f"Timed out waiting for a reply to message ID {msg_id}: "
                    f"{method} to {self.target.routing_key()} after {timeout}s") from None
        finally:
            transport.forget_reply(msg_id)
        if reply.get("failure"):
            failure = jsonutils.loads(reply["failure"])
            raise self.client.rebuild_exception(failure)
        return self.client.serializer.deserialize_entity(ctxt, reply.get("result"))


class RPCClient:
    """oslo_messaging/rpc/client.py:RPCClient — one per rpcapi class, per service."""

    def __init__(self, transport, target, node, serializer, trace=None, timeout=60,
                 exception_registry=None):
        self.transport, self.target, self.node = transport, target, node
        self.serializer, self.trace, self.default_timeout = serializer, trace, timeout
        # one reply queue per process on a broker (oslo's ReplyWaiter), per client in memory
        self.reply_q = getattr(transport, "reply_q", None) or "reply_" + uuid.uuid4().hex
        self.exception_registry = exception_registry or {}

    def prepare(self, server=None, fanout=None, timeout=None, version=None,
                call_monitor_timeout=None, topic=None):
        t = self.target
        target = Target(topic or t.topic, server if server is not None else t.server,
                        t.fanout if fanout is None else fanout, version or t.version,
                        t.namespace, t.exchange)
        return _CallContext(self, target, timeout, call_monitor_timeout)

    def cast(self, ctxt, method, **kwargs):
        self.prepare().cast(ctxt, method, **kwargs)

    def call(self, ctxt, method, **kwargs):
        return self.prepare().call(ctxt, method, **kwargs)

    def rebuild_exception(self, failure):
        """Re-raise a remote exception as its own class when it is a known one.

        oslo_messaging/_drivers/common.py:deserialize_remote_exception does the
        same with the ``allowed_remote_exmods`` list.
        """
        cls = self.exception_registry.get(failure.get("class"))
        if cls is not None:
            try:
                exc = cls.__new__(cls)
                Exception.__init__(exc, failure.get("message"))
                exc.message = failure.get("message")
                exc.kwargs = failure.get("kwargs", {})
                return exc
            except Exception:
                pass
        return RemoteError(failure.get("class"), failure.get("message"), failure.get("tb", ""))
