"""The transport seam: where RPC messages leave one service and reach another.

Real OpenStack: oslo_messaging/transport.py and its drivers
(oslo_messaging/_drivers/impl_rabbit.py over kombu, impl_fake.py in memory).

``InMemoryTransport`` is labkit's own, and here is why it is not oslo's
``fake://`` driver or kombu's ``memory://`` transport: both *poll* — they
sleep up to 50 ms (oslo) or 1 s (kombu) between looks at a queue — which
alone would cost more than a whole labkit boot and burns CPU with many hosts.
Here a message is handed to a waiting consumer through a blocking queue, so
the consumer wakes the instant the message is sent.

It keeps RabbitMQ's shape so that what the course shows is true on a real
broker: a topic exchange (``nova``) routes by key to named queues
(``conductor``, ``scheduler``, ``compute``, ``compute.<host>``), a fanout
exchange (``<topic>_fanout``) copies to every bound queue, replies go to a
``reply_<uuid>`` queue, and a queue with no consumer keeps its messages until
one comes back.  A transport for a real broker plugs in by implementing the
same interface, ``labkit.messaging.base.BaseTransport`` (impl_rabbit.py does).
"""
import collections
import itertools

from labkit.messaging.base import BaseTransport, intercepted


class Queue:
    """A named queue on the bus: a backlog plus the consumers attached to it."""

    def __init__(self, name, max_length=None):
        self.name = name
        self.backlog = collections.deque(maxlen=max_length)
        self.consumers = []
        self._next = itertools.count()

    def depth(self):
        return len(self.backlog)


class InMemoryTransport(BaseTransport):
    """An event-driven in-process message bus with RabbitMQ's routing shape."""

    url = "memory://"

    def __init__(self):
        super().__init__()
        self._queues = {}
        self._bindings = collections.defaultdict(set)   # (exchange, key) -> queue names
        self._fanouts = collections.defaultdict(set)    # fanout exchange -> queue names

    # -- topology -------------------------------------------------------------
    def declare_queue(self, name, exchange=None, routing_key=None, fanout=None, max_length=None):
        """Create ``name`` if missing and bind it; return the Queue."""
        with self._lock:
            q = self._queues.get(name)
            if q is None:
                q = self._queues[name] = Queue(name, max_length)
            if exchange is not None:
                self._bindings[(exchange, routing_key or name)].add(name)
            if fanout is not None:
                self._fanouts[fanout].add(name)
            return q

    def delete_queue(self, name):
        """Remove a queue and its bindings (an auto-delete fanout queue going away)."""
        with self._lock:
            self._queues.pop(name, None)
            for names in list(self._bindings.values()) + list(self._fanouts.values()):
                names.discard(name)

    def queue_depths(self):
        """``{queue name: messages waiting}``, like ``rabbitmqctl list_queues``."""
        with self._lock:
            return {name: q.depth() + sum(len(c.held) for c in q.consumers)
                    for name, q in sorted(self._queues.items())}

    # -- consuming ------------------------------------------------------------
    def attach(self, queue_names, consumer):
        """Start delivering ``queue_names`` to ``consumer``; drains waiting backlog."""
        with self._lock:
            for name in queue_names:
                q = self._queues[name]
                q.consumers.append(consumer)
                while q.backlog:
                    self._deliver(consumer, name, q.backlog.popleft())

    def detach(self, consumer, undelivered=()):
        """Stop delivering to ``consumer``; put ``undelivered`` back on their queues."""
        with self._lock:
            for q in self._queues.values():
                if consumer in q.consumers:
                    q.consumers.remove(consumer)
            for name, wire in list(consumer.held) + list(undelivered):
                q = self._queues.get(name)
                if q is not None:
                    if q.consumers:
                        self._deliver(self._pick(q), name, wire)
                    else:
                        q.backlog.append(wire)
            consumer.held.clear()

    @staticmethod
    def _deliver(consumer, queue_name, wire):
        if consumer.paused:
            consumer.held.append((queue_name, wire))
        else:
            consumer.inbox.put((queue_name, wire))

    @staticmethod
    def _pick(q):
        return q.consumers[next(q._next) % len(q.consumers)]

    # -- publishing -----------------------------------------------------------
    def publish(self, exchange, routing_key, wire, fanout=False, intercept=True,
                msg_id=None, sender=None, expiration=None):
        """Route one message; returns how many queues it reached.

        ``msg_id``, ``sender`` and ``expiration`` are what a broker carries beside
        the body; nothing here needs them.

        ``interceptors`` (labkit/faults.py) may drop or hold a message; a held
        message comes back later with ``intercept=False``.
        """
        wire = intercepted(self.interceptors, exchange, routing_key, wire, fanout, intercept)
        if wire is None:
            return 0
        with self._lock:
            names = self._fanouts.get(exchange, ()) if fanout else \
                self._bindings.get((exchange, routing_key), ())
            for name in names:
                q = self._queues[name]
                if q.consumers:
                    self._deliver(self._pick(q), name, wire)
                else:
                    q.backlog.append(wire)
            return len(names)

    # -- replies --------------------------------------------------------------
    def expect_reply(self, msg_id, waiter, node=None):
        with self._lock:
            self._reply_waiters[msg_id] = (waiter, node)

    def reply_node(self, msg_id):
        """The trace node that waits for ``msg_id`` (for recording the reply hop)."""
        entry = self._reply_waiters.get(msg_id)
        return entry[1] if entry else None

    def send_reply(self, reply_q, msg_id, wire):
        """Deliver a reply; a reply nobody waits for any more is dropped (as oslo logs)."""
        with self._lock:
            entry = self._reply_waiters.get(msg_id)
        if entry is not None:
            entry[0].put(wire)

    def cleanup(self):
        with self._lock:
            self._queues.clear()
            self._bindings.clear()
            self._fanouts.clear()
            self._reply_waiters.clear()


def get_transport(url=None):
    """The bus for ``url``: ``memory://`` (the default) or ``rabbit://user:pass@host:port/``.

    Real OpenStack: oslo_messaging/transport.py:get_rpc_transport, which picks
    a driver by the URL's scheme from ``[DEFAULT] transport_url``.
    """
    if url is None or url == InMemoryTransport.url:
        return InMemoryTransport()
    if not isinstance(url, str):
        return url                     # already a transport
    scheme = url.split("://", 1)[0]
    if scheme in ("rabbit", "amqp"):
        from labkit.messaging.impl_rabbit import RabbitTransport, amqp_url
        return RabbitTransport(amqp_url(url))
    raise ValueError(f"unsupported transport_url {url!r}: use memory:// or "
                     "rabbit://user:password@host:5672/")
