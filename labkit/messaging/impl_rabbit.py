"""The bus on a real RabbitMQ broker, through kombu: services in separate processes.

Real OpenStack: oslo_messaging/_drivers/impl_rabbit.py (Connection,
declare_topic_consumer, declare_fanout_consumer, DirectConsumer for replies)
and amqpdriver.py (ReplyWaiter, AMQPIncomingMessage.reply).  The topology is
oslo's: a topic exchange ``nova`` routes ``conductor``, ``scheduler``,
``compute`` and ``compute.<host>`` to queues of the same names, each
``<topic>_fanout`` exchange copies to one auto-delete queue per server, and
each process has one ``reply_<uuid>`` queue where the answers to its calls
arrive.  Topic queues outlive their consumers: a cast to a stopped
nova-compute waits in ``compute.<host>`` until the process comes back.  A call
carries its timeout as the message's TTL (oslo sets ``expiration`` the same
way), so a call nobody answered in time is dropped by the broker, not run late.

Consumers are woken by the broker (``basic.consume`` pushes each message
down the socket); nothing polls a queue.  Each consumer owns one connection
and one thread, because a kombu connection must not be shared between threads;
publishing goes through one more connection behind a lock.  An RPC server's
consumer takes at most as many messages as it has workers (``basic.qos``
prefetch), and a worker acknowledges a message when it takes it, before the
method runs — oslo's RPC server does the same (at most once).  So a killed
process loses only the messages it was running; the rest go back to the queue.

NOTE(labkit): no reconnection on a broker restart, no heartbeats, no TLS and
no quorum queues (oslo's rabbit_* options); replies go through the default
exchange to the reply queue instead of oslo's direct exchange of the same name.
oslo's ``rabbit_qos_prefetch_count`` defaults to 0 (no ``basic.qos`` at all:
the broker pushes every message to a connected consumer, where a call's TTL no
longer applies); labkit's RPC servers prefetch as many as they have workers,
so a stuck but connected labkit server leaves the rest in the queue to expire.
"""
import logging
import socket
import threading
import uuid

import kombu

from labkit.common import jsonutils
from labkit.messaging.base import BaseTransport, Consumer, Inbox, intercepted

LOG = logging.getLogger(__name__)
__all__ = ["RabbitTransport", "broker_available", "peek"]


def amqp_url(url):
    """kombu's spelling of oslo's ``rabbit://`` transport URL."""
    return "amqp://" + url.split("://", 1)[1] if url.startswith("rabbit://") else url


def broker_available(url, timeout=2.0):
    """True when a broker answers at ``url`` (for notebooks and tests that need one)."""
    try:
        with kombu.Connection(amqp_url(url), connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:
        return False


def peek(url, queue):
    """The first message waiting in ``queue`` as ``(properties, body)``, left in place.

    A ``basic.get`` that is then rejected with requeue: what the management
    UI's "Get messages" (ack mode "Nack message requeue true") does.
    ``None`` when the queue is empty.
    """
    with kombu.Connection(amqp_url(url)) as conn:
        message = conn.default_channel.basic_get(queue, no_ack=False)
        if message is None:
            return None
        props = dict(message.properties)
        body = message.body.decode() if isinstance(message.body, bytes) else message.body
        message.channel.basic_reject(message.delivery_tag, requeue=True)
        return props, body


class _ConsumerThread:
    """One connection and one thread delivering some queues to one Consumer."""

    def __init__(self, transport, names, consumer):
        self.transport, self.names, self.consumer = transport, list(names), consumer
        self.stopping = threading.Event()
        self.ack_lock = threading.Lock()
        self.ready = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       name=f"amqp-consume-{'+'.join(self.names)[:40]}")
        self.thread.start()
        if not self.ready.wait(10) or self.error is not None:
            raise RuntimeError(f"cannot consume {self.names} at {transport.url}: {self.error}")

    def _on_message(self, queue_name):
        late = self.consumer.prefetch is not None

        def on_message(message):
            props, headers = message.properties, message.headers or {}
            if props.get("correlation_id") and headers.get("x-labkit-sender"):
                self.transport.remember_sender(props["correlation_id"],
                                               headers["x-labkit-sender"])
            if late:
                self.transport.deliver(self.consumer, queue_name, message.body,
                                       lambda: self._ack(message))
            else:
                message.ack()
                self.transport.deliver(self.consumer, queue_name, message.body)
        return on_message

    def _ack(self, message):
        """Acknowledge from a worker thread (one writer at a time on this connection)."""
        with self.ack_lock:
            try:
                message.ack()
            except Exception:      # the connection is gone: the broker redelivers it
                LOG.warning("could not acknowledge a message from %s", self.names)

    def _run(self):
        try:
            with kombu.Connection(self.transport.url) as conn:
                channel = conn.channel()
                channel.basic_qos(0, self.consumer.prefetch or 64, False)
                consumers = [kombu.Consumer(channel, [kombu.Queue(name, no_declare=True)],
                                            on_message=self._on_message(name), no_ack=False)
                             for name in self.names]
                for c in consumers:
                    c.consume()
                self.ready.set()
                while not self.stopping.is_set():
                    try:
                        conn.drain_events(timeout=0.25)   # wakes on a message; the timeout
                    except socket.timeout:                # only lets stop() be noticed
                        pass
                for c in consumers:
                    c.cancel()
        except Exception as exc:   # the broker went away: say so once, stop consuming
            self.error = exc
            if not self.stopping.is_set():
                LOG.warning("consumer of %s stopped: %s", self.names, exc)
            self.ready.set()

    def stop(self):
        self.stopping.set()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout=5)


class RabbitTransport(BaseTransport):
    """The transport seam (``BaseTransport``) on RabbitMQ."""

    def __init__(self, url, control_exchange="nova"):
        super().__init__()
        self.url = url
        self.control_exchange = control_exchange
        self.reply_q = "reply_" + uuid.uuid4().hex
        self._conn = kombu.Connection(url)
        self._producer = kombu.Producer(self._conn.channel())
        self._exchanges = {}
        self._declared = set()
        self._threads = {}          # Consumer -> _ConsumerThread
        self._reply_consumer = None
        self._reply_lock = threading.Lock()
        self._senders = {}          # msg_id -> caller node, from message headers

    # -- topology -------------------------------------------------------------
    def _exchange(self, name, kind):
        ex = self._exchanges.get(name)
        if ex is None:
            ex = kombu.Exchange(name, type=kind, durable=False, auto_delete=False)
            ex.declare(channel=self._producer.channel)
            self._exchanges[name] = ex
        return ex

    def declare_queue(self, name, exchange=None, routing_key=None, fanout=None, max_length=None):
        """Declare ``name`` (auto-delete for fanout and reply queues) and bind it."""
        auto_delete = fanout is not None or name.startswith("reply_")
        args = {"x-max-length": max_length} if max_length else None
        with self._lock:
            queue = kombu.Queue(name, durable=False, auto_delete=auto_delete,
                                queue_arguments=args, channel=self._producer.channel)
            queue.queue_declare()
            if exchange is not None:
                queue.exchange = self._exchange(exchange, "topic")
                queue.routing_key = routing_key or name
                queue.queue_bind()
            if fanout is not None:
                queue.exchange, queue.routing_key = self._exchange(fanout, "fanout"), ""
                queue.queue_bind()
            self._declared.add(name)
        return queue

    def delete_queue(self, name):
        with self._lock:
            self._declared.discard(name)
            try:
                self._producer.channel.queue_delete(name)
            except Exception:
                pass

    def queue_stats(self, names=None, purge=False):
        """``{queue: (messages ready, consumers)}`` for the queues that exist.

        :param purge: then drop the messages waiting in them (``queue.purge``).
        """
        names = sorted(names if names is not None else self._declared)
        stats = {}
        with kombu.Connection(self.url) as conn:
            for name in names:
                channel = conn.channel()
                try:       # a passive declare is how AMQP asks about a queue
                    ok = channel.queue_declare(name, passive=True)
                    stats[name] = (ok.message_count, ok.consumer_count)
                    if purge:
                        channel.queue_purge(name)
                except Exception:      # not declared (yet): the broker closed the channel
                    pass
                finally:
                    try:
                        channel.close()
                    except Exception:
                        pass
        return stats

    def queue_depths(self, names=None):
        """``{queue: messages ready}`` — what ``rabbitmqctl list_queues`` shows."""
        return {name: stat[0] for name, stat in self.queue_stats(names).items()}

    # -- consuming ------------------------------------------------------------
    def attach(self, queue_names, consumer):
        """Start a consumer thread for ``queue_names``; the broker pushes waiting messages."""
        self._threads[consumer] = _ConsumerThread(self, queue_names, consumer)

    def detach(self, consumer, undelivered=()):
        """Stop consuming; messages received but not acknowledged go back on their queues.

        The broker requeues them itself when the consumer's connection closes.
        """
        thread = self._threads.pop(consumer, None)
        if thread is not None:
            thread.stop()
        for name, wire, *acknowledge in list(consumer.held) + list(undelivered):
            if not acknowledge:       # taken without a late acknowledgement: send it back
                self.publish("", name, wire, intercept=False)
        consumer.held.clear()

    def deliver(self, consumer, queue_name, wire, acknowledge=None):
        item = (queue_name, wire) if acknowledge is None else (queue_name, wire, acknowledge)
        with self._lock:
            if consumer.paused:
                consumer.held.append(item)
                return
        consumer.inbox.put(item)

    def remember_sender(self, msg_id, node):
        with self._lock:
            if len(self._senders) > 10000:
                self._senders.clear()
            self._senders[msg_id] = node

    # -- publishing -----------------------------------------------------------
    def publish(self, exchange, routing_key, wire, fanout=False, intercept=True,
                msg_id=None, sender=None, expiration=None):
        """Publish one message; ``msg_id``/``sender`` travel as AMQP properties."""
        wire = intercepted(self.interceptors, exchange, routing_key, wire, fanout, intercept)
        if wire is None:
            return 0
        with self._lock:
            ex = self._exchange(exchange, "fanout" if fanout else "topic") if exchange else ""
            self._producer.publish(
                wire, exchange=ex, routing_key="" if fanout else routing_key,
                serializer=None, content_type="application/json", content_encoding="utf-8",
                correlation_id=msg_id, expiration=expiration,
                headers={"x-labkit-sender": sender} if sender else {})
        return 1

    # -- replies --------------------------------------------------------------
    def _reply_inbox(self, item):
        reply = jsonutils.loads(item[1])
        with self._lock:
            entry = self._reply_waiters.get(reply.get("_msg_id"))
        if entry is not None:
            entry[0].put(item[1])

    def expect_reply(self, msg_id, waiter, node=None):
        with self._lock:
            self._reply_waiters[msg_id] = (waiter, node)
        with self._reply_lock:         # the reply queue exists before the first call leaves
            if self._reply_consumer is None:
                consumer = Consumer(Inbox(self._reply_inbox))
                self.declare_queue(self.reply_q)
                self.attach([self.reply_q], consumer)
                self._reply_consumer = consumer

    def reply_node(self, msg_id):
        with self._lock:
            return self._senders.pop(msg_id, None)

    def send_reply(self, reply_q, msg_id, wire):
        self.publish("", reply_q, wire, intercept=False, msg_id=msg_id)

    def cleanup(self):
        for consumer in list(self._threads):
            self.detach(consumer)
        with self._lock:
            self._reply_waiters.clear()
            try:
                self._conn.release()
            except Exception:
                pass

