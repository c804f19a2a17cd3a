"""labkit.course.show: the printing helpers, as shapes of labkit.trace.query's answers."""
import pytest

import labkit
from labkit import course
from labkit.client import Client
from labkit.trace import query


@pytest.fixture(scope="module")
def run():
    with labkit.start(seed=3, exclusive=False) as lab:
        c = Client(lab)
        server = c.boot("show")
        boot = c.last_request_id
        c.wait(server["id"], "ACTIVE")
        lab.wait_idle()
        yield lab, boot, server["id"]


def test_hops_are_the_rpc_hops_as_tuples(run):
    lab, boot, _ = run
    rows = course.hops(lab.trace, boot)
    assert rows == [(e["kind"], e["src"], e["dst"], e["name"])
                    for e in query.hops(lab.trace.events(boot), kinds=query.RPC)]
    assert ("cast", "nova-api", "nova-conductor", "schedule_and_build_instances") in rows
    assert not [r for r in rows if r[3].startswith("object_")]


def test_state_changes_keep_each_change_once_in_order(run):
    lab, _, uuid = run
    changes = course.state_changes(lab.trace, uuid)
    states = [c[0] for c in changes]
    assert states[0][:2] == ("building", "scheduling")
    assert states[-1][:3] == ("active", None, "RUNNING") and states[-1][3] in lab.hosts
    assert all(a != b for a, b in zip(states, states[1:]))
    assert all(src.startswith(("nova-", "client")) for _, src, _ in changes)


def test_first_is_the_query_api(run):
    lab, boot, _ = run
    assert course.first is query.first
    assert course.first(lab.trace.events(boot), "call", "select_destinations")["dst"] == \
        "nova-scheduler"


def test_folded_keeps_method_path_body_and_status(run, capsys):
    lab, _, _ = run
    lines = []
    c = Client(lab, debug=True, out=lines.append)
    c.list()
    c.send("POST", "/servers/no-such-server/action", {"shelve": None})
    for line in lines:
        course.folded(line, width=60)
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith("REQ: POST /v3/auth/tokens '{") and shown[0].endswith(" …")
    shown = shown[shown.index("REQ: GET /v2.1/servers/detail"):]
    assert shown[1] == "RESP: [200] (headers folded)"
    assert shown[2].startswith("RESP BODY: {") and shown[2].endswith(" …")
    assert len(shown[2]) == 62
    assert shown[3] == "REQ: POST /v2.1/servers/no-such-server/action '{\"shelve\": nu …"
    assert shown[4] == "RESP: [404] (headers folded)"
    assert not [s for s in shown if "X-Auth-Token" in s or "{SHA256}" in s]
