"""The trace is plain data: ordered, filterable, redacted, exportable."""
import gc
import threading

from labkit.trace import REDACTED, Trace, redact


def test_events_are_ordered_and_filtered():
    trace = Trace()
    trace.record("http", "client", "nova-api", "POST /v2.1/servers", "req-a")
    trace.record("cast", "nova-api", "nova-conductor", "schedule_and_build_instances", "req-a")
    trace.record("http", "client", "keystone", "POST /v3/auth/tokens", "req-b")
    assert [e["seq"] for e in trace.events()] == [1, 2, 3]
    assert [e["name"] for e in trace.events("req-a", kind="cast")] == [
        "schedule_and_build_instances"]
    assert trace.request_ids() == ["req-a", "req-b"]


def test_secrets_are_redacted():
    payload = {"auth": {"identity": {"password": {"user": {"name": "demo", "password": "x"}}}},
               "_context_auth_token": "tok", "adminPass": "p", "token": {"id": "t", "n": 1},
               "admin_password": "q"}      # a boot's RPC arguments carry the adminPass so
    out = redact(payload)
    assert out["auth"]["identity"]["password"] == REDACTED
    assert out["_context_auth_token"] == REDACTED and out["adminPass"] == REDACTED
    assert out["admin_password"] == REDACTED
    assert out["token"] == {"id": REDACTED, "n": 1}


def test_json_payloads_are_decoded_and_round_trip():
    trace = Trace()
    trace.record("http", "client", "nova-api", "POST", "r", payload=b'{"server": {"name": "a"}}')
    again = Trace.from_json(trace.to_json())
    assert again.events() == trace.events()
    assert again.events()[0]["payload"] == {"server": {"name": "a"}}


def test_kept_events_hold_no_nested_objects_and_read_back_whole():
    """A kept event is strings, numbers and bytes (nothing for the garbage collector to
    walk); a payload, headers and states read back as they were recorded, snapshot at
    the moment of recording, and a payload JSON can't hold is kept as it is."""
    trace = Trace()
    args = {"instance": {"uuid": "u", "flavor": {"vcpus": 1, "ratio": 1.5}}, "hosts": ["a"]}
    trace.record("call", "nova-compute@c1", "nova-conductor", "object_action", "req-a",
                 payload=args, headers={"User-Agent": "x"}, states={"vm_state": "active"})
    args["hosts"].append("mutated later")
    trace.record("fault", "a", "a", "odd", None, payload={"kept": {1, 2}})
    kept = trace._events
    assert not any(gc.is_tracked(e) for e in kept[:1])
    assert all(not isinstance(v, (dict, list)) for v in kept[0].values())
    first, odd = trace.events()
    assert first["payload"] == {"instance": {"uuid": "u", "flavor": {"vcpus": 1, "ratio": 1.5}},
                                "hosts": ["a"]}
    assert first["headers"] == {"User-Agent": "x"} and first["states"] == {"vm_state": "active"}
    assert odd["payload"] == {"kept": {1, 2}}
    first["payload"]["hosts"].append("a reader's change")
    assert trace.events()[0]["payload"]["hosts"] == ["a"]


def test_subscribers_receive_events_in_order():
    trace = Trace()
    got, done = [], threading.Event()

    def listener(event):
        got.append(event["seq"])
        if len(got) == 50:
            done.set()
    sub = trace.subscribe(listener)
    for i in range(50):
        trace.record("db", "nova-api", "database", f"q{i}")
    assert done.wait(2)
    sub.close()
    assert got == list(range(1, 51))


def test_disabled_trace_records_nothing():
    trace = Trace(enabled=False)
    trace.record("db", "a", "b", "c")
    assert trace.events() == []


def test_json_bytes_own_their_size():
    """orjson hands back its bytes inside a larger write buffer; what the trace (or
    anything else) keeps must not hold on to that buffer."""
    import tracemalloc

    from labkit.common import jsonutils
    body = {"provider_summaries": {"x" * 36: {"resources": {"VCPU": {"capacity": 8}}}}}
    tracemalloc.start()
    try:
        kept = [jsonutils.dump_as_bytes(body) for _ in range(100)]
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 100 * (len(kept[0]) + 200)
