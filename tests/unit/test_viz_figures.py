"""The matplotlib pictures, built from a real seeded run and inspected through their artists."""
import io

import pytest

import labkit
from labkit.client import Client
from labkit.trace import query
from labkit.viz.scheduler import contributions, scheduler_chart, scheduler_view, table_html
from labkit.viz.sequence import compare, sequence_diagram, visible
from labkit.viz.states import FIELDS, card_html, instance_card, state_timeline


@pytest.fixture(scope="module")
def run():
    with labkit.start(seed=1, exclusive=False) as lab:
        c = Client(lab)
        first = c.boot("a")
        c.wait(first["id"], "ACTIVE")
        server = c.boot("t3")
        boot = c.last_request_id
        c.wait(server["id"], "ACTIVE")
        shelve = c.shelve(server["id"])
        c.wait(server["id"], "SHELVED_OFFLOADED")
        yield {"events": lab.trace.events(), "boot": lab.trace.events(request_id=boot),
               "shelve": lab.trace.events(request_id=shelve), "uuid": server["id"]}


def _arrows(ax):
    return [p for p in ax.patches if (p.get_gid() or "").startswith("hop-")]


def test_sequence_diagram_has_one_arrow_per_hop_in_order(run):
    fig = sequence_diagram(run["boot"])
    shown = visible(run["boot"])
    arrows = _arrows(fig.axes[0])
    assert [a.get_gid() for a in arrows] == [f"hop-{e['seq']}" for e in shown]
    assert repr(fig).startswith("<Figure size") and "with 1 Axes" in repr(fig)


def test_arrow_style_tells_kinds_apart(run):
    fig = sequence_diagram(run["boot"], walkthrough=False)
    by_seq = {e["seq"]: e for e in run["boot"]}
    looks = {}
    for arrow in _arrows(fig.axes[0]):
        event = by_seq[int(arrow.get_gid()[4:])]
        key = (event["kind"], event.get("phase"))
        look = (arrow.get_linestyle(), type(arrow.get_arrowstyle()).__name__)
        looks.setdefault(key, set()).add(look)
    distinct = {k: next(iter(v)) for k, v in looks.items()}
    assert all(len(v) == 1 for v in looks.values())
    wanted = [("http", "request"), ("http", "response"), ("cast", None), ("call", None),
              ("reply", None), ("db", None)]
    assert len({distinct[k] for k in wanted}) == len(wanted)   # not colour alone


def test_compare_shows_shelve_skipping_conductor(run):
    fig = compare(run["boot"], run["shelve"])
    left, right = fig.axes
    assert len(_arrows(left)) == len(visible(run["boot"]))
    assert len(_arrows(right)) == len(visible(run["shelve"]))
    texts = [t.get_text() for t in right.texts]
    assert "nova-conductor\n(no hop drawn)" in texts


def test_pictures_are_deterministic_without_timestamps(run):
    def svg():
        import matplotlib
        matplotlib.rcParams["svg.hashsalt"] = "labkit"
        out = io.StringIO()
        sequence_diagram(run["boot"]).savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()
    first = svg()
    assert first == svg()
    fig = sequence_diagram(run["boot"])
    assert not any(t.get_text().endswith("s") and "." in t.get_text()
                   for t in fig.axes[0].texts if t.get_text()[:1].isdigit())
    timed = sequence_diagram(run["boot"], show_time=True)
    assert any(t.get_text().endswith("s") for t in timed.axes[0].texts)


def test_state_timeline_and_card(run):
    rows = query.states(run["events"], run["uuid"])
    fig = state_timeline(run["events"], run["uuid"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][0].startswith(f"#{rows[0]['seq']}")
    labels = {t.get_text() for t in ax.texts}
    assert {"BUILD", "ACTIVE", "SHELVED_OFFLOADED", "spawning"} <= {
        s.replace("\n", "") for s in labels}
    html = card_html(rows, "t3")
    assert "SHELVED_OFFLOADED" in html and f"#{rows[-1]['seq']}" in html
    widget = instance_card(run["events"], run["uuid"])
    assert "shelved_offloaded" in widget.value
    moved = state_timeline(run["events"], run["uuid"], fields=FIELDS + ("host",)).axes[0]
    assert [t.get_text() for t in moved.get_yticklabels()][0] == "host"
    assert {r["host"] or "None" for r in rows} <= {t.get_text() for t in moved.texts}


def test_scheduler_view_from_a_schedule_event(run):
    event = [e for e in run["events"] if e["kind"] == "schedule"][-1]
    payload = event["payload"]
    html = table_html(payload)
    for host in payload["candidates"]:
        assert host in html
    assert f"Chosen: <b>{payload['chosen']}</b>" in html
    assert html.count("✔ pass") == sum(len(f["passed"]) for f in payload["filters"])
    parts = contributions(payload)
    assert set(parts) == set(payload["weights"]) and payload["chosen"] in parts
    for host, total in payload["weights"].items():
        assert sum(parts[host].values()) == pytest.approx(total)
    assert payload["chosen"] != "compute-1"     # the first boot made compute-1 the fullest
    # multipliers as nova's config writes them, never in e-notation
    assert "(×-1,000,000)" in html and "e+" not in html
    fig = scheduler_chart(run["events"])
    assert "★ chosen" in " ".join(t.get_text() for t in fig.axes[0].get_xticklabels())
    assert "select_destinations" in scheduler_view(run["events"]).value
