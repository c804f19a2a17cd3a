"""Trace.to_otel(): OTLP/JSON-shaped spans from a real seeded run."""
import json

import pytest

import labkit
from labkit.client import Client
from labkit.trace import Trace

HEX = set("0123456789abcdef")


@pytest.fixture(scope="module")
def run():
    with labkit.start(seed=1, exclusive=False) as lab:
        c = Client(lab)
        server = c.boot("t3")
        boot = c.last_request_id
        c.wait(server["id"], "ACTIVE")
        return lab.trace.to_json(), boot


def _spans(doc):
    return [s for r in doc["resourceSpans"] for scope in r["scopeSpans"] for s in scope["spans"]]


def test_shape_and_ids(run):
    text, boot = run
    doc = Trace.from_json(text).to_otel(request_id=boot)
    assert json.loads(json.dumps(doc)) == doc                       # plain JSON
    spans = _spans(doc)
    tid = boot[4:].replace("-", "")
    assert {s["traceId"] for s in spans} == {tid}
    for s in spans:
        assert len(s["spanId"]) == 16 and set(s["spanId"]) <= HEX
        assert int(s["endTimeUnixNano"]) >= int(s["startTimeUnixNano"])
        assert s["kind"] in (1, 3, 4)
    assert len({s["spanId"] for s in spans}) == len(spans)
    services = [r["resource"]["attributes"][0]["value"]["stringValue"] for r in doc["resourceSpans"]]
    assert "client" in services and "nova-conductor" in services


def test_one_span_per_hop_with_pairs_merged(run):
    text, boot = run
    events = Trace.from_json(text).events(request_id=boot)
    spans = _spans(Trace.from_json(text).to_otel(request_id=boot))
    answers = [e for e in events if e["kind"] == "reply" or e.get("phase") == "response"]
    assert len(spans) == len(events) - len(answers)
    post = next(s for s in spans if s["name"] == "POST /v2.1/servers")
    attrs = {a["key"]: a["value"] for a in post["attributes"]}
    assert attrs["http.response.status_code"] == {"intValue": "202"}
    assert attrs["code.function.name"]["stringValue"].endswith("ServersController.create")


def test_parents_follow_the_rpc_chain(run):
    text, boot = run
    spans = _spans(Trace.from_json(text).to_otel(request_id=boot))
    by_id = {s["spanId"]: s for s in spans}
    parent = lambda name: by_id[next(s for s in spans if s["name"] == name)["parentSpanId"]]["name"]  # noqa: E731
    assert parent("cast schedule_and_build_instances") == "POST /v2.1/servers"
    assert parent("call select_destinations") == "cast schedule_and_build_instances"
    assert parent("cast build_and_run_instance") == "cast schedule_and_build_instances"
    assert parent("POST /v2.0/ports") == "cast build_and_run_instance"
    roots = [s for s in spans if not s["parentSpanId"]]
    assert [s["name"] for s in roots] == ["POST /v2.1/servers"]
