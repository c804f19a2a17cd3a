"""What the widgets leave on a saved page: text/html beside the widget view, stable text/plain."""
import json
import re
import time

import pytest

import labkit
from labkit.client import Client
from labkit.trace import Trace
from labkit.viz import instance_card, scheduler_view, show_code
from labkit.viz.live import LiveFlow, Player
from labkit.viz.static import PAYLOAD_LIMIT, Replay, replay_html

WIDGET = "application/vnd.jupyter.widget-view+json"
_EMBEDDED = re.compile(r'<script type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def saved():
    with labkit.start(seed=2, exclusive=False) as lab:
        c = Client(lab)
        server = c.boot("t3")
        c.wait(server["id"], "ACTIVE")
        return lab.trace.to_json()


def _data(bundle):
    return bundle[0] if isinstance(bundle, tuple) else bundle


def test_player_output_carries_the_hops_as_a_table_and_a_replay(saved):
    player = Player(Trace.from_json(saved))
    data = _data(player._repr_mimebundle_())
    assert WIDGET in data and data["text/plain"] == repr(player)
    page = data["text/html"]
    assert page.count("<tr><td>") == len(player.hops) > 5
    for hop in player.hops:
        assert f"{hop['src']} → {hop['dst']}" in page
    embedded = json.loads(_EMBEDDED.search(page).group(1))
    assert [d["hop"] for d in embedded] == [h["detail"]["hop"] for h in player.hops]
    assert page.endswith("</script></div><!--/labkit-replay-->")
    assert " src=" not in page and "<link" not in page     # nothing loaded from anywhere


def test_an_embedded_payload_cannot_close_the_script():
    hop = {"src": "client", "dst": "nova-api", "kind": "http", "label": "POST /servers",
           "detail": {"hop": "client → nova-api",
                      "payload": "</script><!--<b>x</b>" + "y" * 2000}}
    page = replay_html([hop], "t")
    assert "</script><!--" not in page
    [detail] = json.loads(_EMBEDDED.search(page).group(1))
    assert detail["payload"].startswith("</script><!--<b>x</b>")
    assert len(detail["payload"]) == PAYLOAD_LIMIT + 2


def test_live_flow_says_what_it_is_and_replays_what_it_showed():
    with labkit.start(seed=3, exclusive=False) as lab:
        flow = LiveFlow(lab, walkthrough=True, batch_ms=20)
        first = _data(flow._repr_mimebundle_())
        c = Client(lab)
        server = c.boot("t3")
        c.wait(server["id"], "ACTIVE")
        time.sleep(0.3)
        assert _data(flow._repr_mimebundle_())["text/html"] == first["text/html"]   # stable
        flow.close()
        sent = flow.stats["hops"]
    assert WIDGET in first and "Live view" in first["text/html"]
    replay = flow.replay()
    assert isinstance(replay, Replay) and len(replay.hops) == sent > 0
    data = replay._repr_mimebundle_()
    assert data["text/plain"] == "Replay('What the live view showed')"
    assert data["text/html"].count("<tr><td>") == sent


def test_html_widgets_save_their_html(saved):
    trace = Trace.from_json(saved)
    for widget in (scheduler_view(trace), instance_card(trace),
                   show_code("labkit.nova.conductor.manager.ComputeTaskManager.build_instances")):
        data = _data(widget._repr_mimebundle_())
        assert WIDGET in data and data["text/html"] == widget.value
    assert "select_destinations" in scheduler_view(trace).value
    assert _data(scheduler_view(trace)._repr_mimebundle_())["text/plain"].startswith(
        'HTML(value="<b>select_destinations</b> for instance')
