"""labkit's message bus, shaped like oslo.messaging (nova's RPC library).

``Target``, ``RPCClient.prepare(server=...).cast/call``, RPC servers that
dispatch by method name, notifications, and the JSON envelope oslo puts on an
AMQP wire.  The transport behind it is a seam: ``InMemoryTransport`` by default.
"""
from labkit.messaging.notify import Notifier
from labkit.messaging.rpc import (MessagingTimeout, RemoteError, RPCClient, Target,
                                  deserialize_msg, serialize_msg)
from labkit.messaging.server import RPCServer
from labkit.messaging.transport import InMemoryTransport, get_transport

__all__ = ["InMemoryTransport", "MessagingTimeout", "Notifier", "RPCClient", "RPCServer",
           "RemoteError", "Target", "deserialize_msg", "get_transport", "serialize_msg"]
