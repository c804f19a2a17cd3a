"""What every transport offers the RPC layer, and the pieces both of labkit's share.

Real OpenStack: oslo_messaging/_drivers/base.py (``BaseDriver``: send,
send_notification, listen, cleanup ...), which impl_rabbit.py and
impl_fake.py implement.  labkit's drivers, ``InMemoryTransport``
(labkit/messaging/transport.py) and ``RabbitTransport`` (impl_rabbit.py),
implement ``BaseTransport`` below; the RPC client and server (rpc.py,
server.py) and the fault hooks (labkit/faults.py) use nothing else.

NOTE(labkit): oslo's driver interface is listen/send/reply on message
objects; labkit's names the broker's own verbs (declare a queue, attach a
consumer, publish to an exchange) because the course shows those hops.
"""
import abc
import collections
import threading


class Consumer:
    """What an RPC server reads from: one inbox fed by one or more queues.

    ``inbox`` is anything with ``put(item)``; each item is ``(queue_name, wire)``,
    or, from a broker when ``prefetch`` is set, ``(queue_name, wire, acknowledge)``:
    the worker that takes the message calls ``acknowledge()`` before dispatching
    it (oslo's ``IncomingMessage.acknowledge``), and a message no worker took yet
    goes back to its queue if the process dies.
    """

    def __init__(self, inbox, prefetch=None):
        self.inbox = inbox
        self.prefetch = prefetch
        self.paused = False
        self.held = collections.deque()

    def set_paused(self, paused):
        """Hold deliveries from now on, or hand over what was held (caller holds the bus lock)."""
        self.paused = paused
        if not paused:
            while self.held:
                self.inbox.put(self.held.popleft())


class Inbox:
    """An inbox whose ``put(item)`` runs a function at once, on the delivering thread
    (replies and trace events need no worker of their own)."""

    def __init__(self, fn):
        self.put = fn


def intercepted(interceptors, exchange, routing_key, wire, fanout, intercept=True):
    """The message after the fault interceptors (``None``: dropped or held for later)."""
    if intercept:
        for interceptor in list(interceptors):
            wire = interceptor(exchange, routing_key, wire, fanout)
            if wire is None:
                return None
    return wire


class BaseTransport(abc.ABC):
    """The transport seam: topology, consuming, publishing and replies.

    ``handlers`` maps ``(topic, namespace, method)`` to the function that
    serves it (read by the RPC client to label its hops); ``interceptors`` are
    the fault hooks, ``fn(exchange, routing_key, wire, fanout) -> wire | None``.
    """

    url = None

    def __init__(self):
        self._lock = threading.Lock()
        self._reply_waiters = {}        # msg_id -> (SimpleQueue, caller node)
        self.handlers = {}
        self.interceptors = []

    # -- topology -------------------------------------------------------------
    @abc.abstractmethod
    def declare_queue(self, name, exchange=None, routing_key=None, fanout=None,
                      max_length=None):
        """Create queue ``name`` if missing and bind it to a topic or fanout exchange."""

    @abc.abstractmethod
    def delete_queue(self, name):
        """Remove a queue and its bindings (an auto-delete fanout queue going away)."""

    @abc.abstractmethod
    def queue_depths(self):
        """``{queue name: messages waiting}``, like ``rabbitmqctl list_queues``."""

    # -- consuming ------------------------------------------------------------
    @abc.abstractmethod
    def attach(self, queue_names, consumer):
        """Start delivering ``queue_names`` to ``consumer``."""

    @abc.abstractmethod
    def detach(self, consumer, undelivered=()):
        """Stop delivering to ``consumer``; ``undelivered`` messages go back to their queues."""

    def pause(self, consumer, paused=True):
        """Hold (or release) deliveries to a consumer: an unresponsive service."""
        with self._lock:
            consumer.set_paused(paused)

    # -- publishing -----------------------------------------------------------
    @abc.abstractmethod
    def publish(self, exchange, routing_key, wire, fanout=False, intercept=True,
                msg_id=None, sender=None, expiration=None):
        """Route one message through the interceptors; returns how many queues it reached."""

    # -- replies --------------------------------------------------------------
    @abc.abstractmethod
    def expect_reply(self, msg_id, waiter, node=None):
        """``waiter.put(wire)`` when the reply to ``msg_id`` arrives (``node`` waits for it)."""

    @abc.abstractmethod
    def reply_node(self, msg_id):
        """The trace node that waits for ``msg_id`` (for recording the reply hop)."""

    def forget_reply(self, msg_id):
        with self._lock:
            self._reply_waiters.pop(msg_id, None)

    @abc.abstractmethod
    def send_reply(self, reply_q, msg_id, wire):
        """Deliver a reply; one nobody waits for any more is dropped (as oslo logs)."""

    @abc.abstractmethod
    def cleanup(self):
        """Let go of every queue, consumer and connection."""
