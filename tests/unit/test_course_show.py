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
