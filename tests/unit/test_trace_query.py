"""labkit.trace.query: the one set of questions the course, the pictures and the tests ask of a trace."""
import pytest

from labkit.trace import query


@pytest.fixture(scope="module")
def run(boot_and_shelve):
    return boot_and_shelve


def test_last_request_finds_boot_and_shelve(run):
    events = run["trace"].events()
    assert query.last_request(events, "last boot") == run["boot"]
    assert query.last_request(events, "the last shelve") == run["shelve"]
    assert query.last_request(events, "unshelve") is None


def test_states_tie_each_change_to_its_hop(run):
    rows = query.states(run["trace"].events(), run["uuid"])
    assert [r["status"] for r in rows][0] == "BUILD"
    assert "ACTIVE" in [r["status"] for r in rows]
    assert rows[-1]["vm_state"] == "shelved_offloaded" and rows[-1]["power_state"] == "SHUTDOWN"
    seqs = {e["seq"]: e for e in run["trace"].events()}
    assert all(seqs[r["seq"]]["kind"] == "db" for r in rows)


def test_changes_only_drops_writes_that_change_no_state(run):
    rows = query.states(run["trace"].events(), run["uuid"])
    changes = query.states(run["trace"].events(), run["uuid"], changes_only=True)
    keys = ("vm_state", "task_state", "power_state", "host")
    assert len(changes) < len(rows)
    assert all([a[k] for k in keys] != [b[k] for k in keys] for a, b in zip(changes, changes[1:]))
    assert {tuple(r[k] for k in keys) for r in rows} == {tuple(r[k] for k in keys) for r in changes}


def test_status_mapping():
    assert query.status_of("active", "shelving") == "ACTIVE"
    assert query.status_of("building", "spawning") == "BUILD"
    assert query.status_of("active", "rebooting") == "REBOOT"
    # a hard reboot's three tasks are HARD_REBOOT, as in nova's _STATE_MAP
    assert {query.status_of("active", task) for task in (
        "rebooting_hard", "reboot_pending_hard", "reboot_started_hard")} == {"HARD_REBOOT"}
    assert query.status_of("resized") == "VERIFY_RESIZE"
    assert query.status_of("no-such-state") == "UNKNOWN"


def test_hops_hide_noise_and_pick_kinds(run):
    events = run["trace"].events(run["boot"])
    every = query.hops(events, hide=())
    walkthrough = query.hops(events)
    rpc = query.hops(events, kinds=query.RPC)
    assert len(rpc) < len(walkthrough) < len(every) == len(events)
    assert not [e for e in walkthrough if query.category(e)]
    assert {e["kind"] for e in rpc} <= set(query.RPC)
    assert not [e for e in rpc if e["name"].startswith("object_")]


def test_first_matches_kind_name_and_fields(run):
    events = run["trace"].events(run["boot"])
    cast = query.first(events, "cast", "build_and_run_instance")
    assert cast["kind"] == "cast" and cast["dst"].startswith("nova-compute@")
    assert query.first(events, "cast", "build_and_run_instance", dst="nowhere") is None
    assert query.first(events, name="select_destinations", kind="call")["dst"] == "nova-scheduler"


def test_pairs_join_calls_to_replies_and_requests_to_responses(run):
    events = run["trace"].events(run["boot"])
    by_seq = {e["seq"]: e for e in events}
    pairs = query.pairs(events)
    calls = [e for e in events if e["kind"] == "call"]
    assert calls and all(c["seq"] in pairs for c in calls)
    for start, end in pairs.items():
        a, b = by_seq[start], by_seq[end]
        assert start < end
        if a["kind"] == "call":
            assert b["kind"] == "reply" and a["msg_id"] == b["msg_id"] and b["dst"] == a["src"]
        else:
            assert (a.get("phase"), b.get("phase")) == ("request", "response")


def test_summary_is_the_walkthrough_view_with_arrows(run):
    events = run["trace"].events(run["boot"])
    lines = query.summary(events).splitlines()
    assert lines[0].split()[:4] == ["http", "client", "->", "nova-api"]
    assert any(" --> " in line and "build_and_run_instance" in line for line in lines)
    assert any(" ==> " in line and "select_destinations" in line for line in lines)
    assert not [line for line in lines if "object_action" in line]
    assert run["trace"].summary(run["boot"]) == query.summary(events)


def test_trace_id_is_the_request_uuid():
    assert query.trace_id("req-1d95389b-297a-41d7-abc7-8bf596380ed6") == \
        "1d95389b297a41d7abc78bf596380ed6"
    assert len(query.trace_id(None)) == 32
