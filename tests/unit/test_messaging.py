"""The bus: cast returns at once, call waits for the reply or times out, queues keep messages."""
import json
import queue
import time

import pytest

from labkit.context import RequestContext
from labkit.messaging import (InMemoryTransport, MessagingTimeout, RemoteError, RPCClient,
                              RPCServer, Target, deserialize_msg, serialize_msg)
from labkit.nova.objects import NovaObjectSerializer
from labkit.trace import Trace


class Endpoint:
    target = Target("conductor")

    def __init__(self):
        self.seen = queue.SimpleQueue()

    def echo(self, ctxt, value):
        self.seen.put(("echo", value, ctxt.request_id))
        return {"value": value}

    def slow(self, ctxt, seconds):
        time.sleep(seconds)
        self.seen.put(("slow", seconds, ctxt.request_id))
        return "done"

    def boom(self, ctxt):
        raise ValueError("no such thing")


def _pair(trace=None, workers=1):
    transport = InMemoryTransport()
    endpoint = Endpoint()
    server = RPCServer(transport, Target("conductor"), [endpoint], NovaObjectSerializer(),
                       "nova-conductor", RequestContext.from_dict, trace, workers=workers)
    client = RPCClient(transport, Target("conductor"), "nova-api", NovaObjectSerializer(),
                       trace, timeout=2)
    return transport, endpoint, server, client


def test_call_returns_the_result_and_carries_the_context():
    transport, endpoint, server, client = _pair()
    server.start()
    try:
        ctxt = RequestContext(request_id="req-1")
        assert client.call(ctxt, "echo", value=3) == {"value": 3}
        assert endpoint.seen.get(timeout=1) == ("echo", 3, "req-1")
    finally:
        server.stop()


def test_cast_returns_before_the_work_is_done():
    transport, endpoint, server, client = _pair()
    server.start()
    try:
        started = time.perf_counter()
        client.prepare().cast(RequestContext(request_id="req-slow"), "slow", seconds=0.3)
        assert time.perf_counter() - started < 0.1
        assert endpoint.seen.get(timeout=2) == ("slow", 0.3, "req-slow")     # and it is done
    finally:
        server.stop()


def test_call_to_a_dead_peer_times_out():
    transport, endpoint, server, client = _pair()
    with pytest.raises(MessagingTimeout):
        client.prepare(timeout=0.2).call(RequestContext(), "echo", value=1)


def test_cast_waits_in_the_queue_until_the_service_returns():
    transport, endpoint, server, client = _pair()
    server.start()
    server.stop()
    client.cast(RequestContext(request_id="req-late"), "echo", value=7)
    assert transport.queue_depths()["conductor"] == 1
    server.start()
    try:
        assert endpoint.seen.get(timeout=1) == ("echo", 7, "req-late")
        assert transport.queue_depths()["conductor"] == 0
    finally:
        server.stop()


def test_remote_errors_come_back_to_the_caller():
    transport, endpoint, server, client = _pair()
    server.start()
    try:
        with pytest.raises(RemoteError, match="no such thing"):
            client.call(RequestContext(), "boom")
    finally:
        server.stop()


def test_paused_service_makes_calls_time_out_then_answers():
    transport, endpoint, server, client = _pair()
    server.start()
    try:
        server.pause()
        with pytest.raises(MessagingTimeout):
            client.prepare(timeout=0.2).call(RequestContext(), "echo", value=1)
        server.pause(False)
        assert client.call(RequestContext(), "echo", value=2) == {"value": 2}
    finally:
        server.stop()


def test_envelope_is_oslo_shaped():
    msg = {"method": "m", "args": {"n": 1, "text": "naïve \"quoted\""}, "_context_roles": []}
    wire = serialize_msg(msg)
    envelope = json.loads(wire)      # any JSON reader takes it: JSON inside JSON
    assert list(envelope) == ["oslo.version", "oslo.message"]
    assert envelope["oslo.version"] == "2.0" and json.loads(envelope["oslo.message"]) == msg
    assert deserialize_msg(wire) == msg


def test_trace_records_call_and_reply_with_routing():
    trace = Trace()
    transport, endpoint, server, client = _pair(trace)
    server.start()
    try:
        client.prepare(server=None).call(RequestContext(request_id="req-9"), "echo", value=1)
    finally:
        server.stop()
    kinds = [(e["kind"], e["src"], e["dst"], e["name"]) for e in trace.events("req-9")]
    assert kinds == [("call", "nova-api", "nova-conductor", "echo"),
                     ("reply", "nova-conductor", "nova-api", "echo")]
    call = trace.events("req-9")[0]
    assert call["routing_key"] == "conductor" and call["handler"].endswith("Endpoint.echo")


def test_fanout_reaches_every_server():
    transport = InMemoryTransport()
    endpoints = [Endpoint(), Endpoint()]
    servers = [RPCServer(transport, Target("scheduler", server=f"s{i}"), [e],
                         NovaObjectSerializer(), "nova-scheduler", RequestContext.from_dict)
               for i, e in enumerate(endpoints)]
    for s in servers:
        s.start()
    try:
        client = RPCClient(transport, Target("scheduler"), "nova-compute@h", NovaObjectSerializer())
        client.prepare(fanout=True).cast(RequestContext(request_id="r"), "echo", value=5)
        for e in endpoints:
            assert e.seen.get(timeout=1)[1] == 5
    finally:
        for s in servers:
            s.stop()


def test_call_carries_the_call_monitor_timeout_as_timeout_and_waits_for_timeout():
    """oslo's amqpdriver sends ``_timeout`` = call_monitor_timeout (None unless asked for);
    the caller's wait is ``timeout``, which is also what a broker gets as the TTL."""
    transport, endpoint, server, client = _pair()
    wire = []
    transport.interceptors.append(lambda exchange, key, body, fanout: wire.append(body) or body)
    server.start()
    try:
        client.call(RequestContext(), "echo", value=1)
        client.prepare(timeout=5, call_monitor_timeout=0.7).call(RequestContext(), "echo", value=2)
        server.pause()
        started = time.perf_counter()
        with pytest.raises(MessagingTimeout, match="after 0.3s"):
            client.prepare(timeout=0.3, call_monitor_timeout=60).call(RequestContext(), "echo",
                                                                       value=3)
        assert 0.25 < time.perf_counter() - started < 5
        server.pause(False)
    finally:
        server.stop()
    sent = [deserialize_msg(body) for body in wire if "method" in deserialize_msg(body)]
    assert [m["_timeout"] for m in sent] == [None, 0.7, 60]
