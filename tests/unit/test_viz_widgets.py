"""The widgets without a browser: player stepping, live batching, stable reprs, show_code."""
import json
import sys
import subprocess
import time

import pytest

import labkit
from labkit.client import Client
from labkit.trace import Trace
from labkit.viz.live import LiveFlow, Player, step_position


@pytest.fixture(scope="module")
def saved():
    with labkit.start(seed=1, exclusive=False) as lab:
        c = Client(lab)
        server = c.boot("t3")
        c.wait(server["id"], "ACTIVE")
        c.shelve(server["id"])
        c.wait(server["id"], "SHELVED_OFFLOADED")
        return lab.trace.to_json()


def test_import_labkit_does_not_import_plotting_libraries():
    code = ("import sys, labkit, labkit.viz, labkit.viz.hops; "
            "print([m for m in ('networkx', 'matplotlib', 'ipywidgets', 'anywidget') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_step_position_is_clamped():
    assert step_position(0, -1, 5) == 0
    assert step_position(3, 1, 5) == 4
    assert step_position(4, 1, 5) == 4
    assert step_position(0, 100, 5) == 4
    assert step_position(0, 1, 0) == 0


def test_player_from_a_saved_trace_steps_and_describes(saved):
    trace = Trace.from_json(saved)            # no lab running
    player = Player(trace, which="last shelve")
    assert player.hops[0]["label"].startswith("POST /servers/{id}/action")
    assert player.step() == 1 and player.step() == 2 and player.back() == 1
    assert player.seek(10_000) == len(player.hops) - 1 and player.seek(-3) == 0
    detail = player.current
    assert detail["hop"] == "client → nova-api" and detail["protocol"] == "HTTP"
    assert detail["handler"].endswith("ShelveController._shelve")
    assert detail["mirrors"]["path"] == "nova/api/openstack/compute/shelve.py"
    cast = next(h["detail"] for h in player.hops if h["kind"] == "cast")
    assert cast["hop"] == "nova-api → nova-compute@compute-1"
    assert repr(player) == repr(Player(trace, which="last shelve"))
    boot = Player(trace)                       # "last boot" by default
    assert any(h["dst"] == "nova-scheduler" for h in boot.hops)
    with pytest.raises(ValueError):
        Player(trace, which="last unshelve")


def test_live_flow_batches_small_messages_from_the_subscription():
    with labkit.start(seed=3, exclusive=False) as lab:
        flow = LiveFlow(lab, batch_ms=20)
        sent = []
        flow.observe(lambda change: sent.append(change["new"]), names="batch")
        c = Client(lab)
        server = c.boot("t3")
        c.wait(server["id"], "ACTIVE")
        time.sleep(0.3)
        flow.close()
        recorded = len(lab.trace.events(since=0))
    hops = [h for message in sent for h in message["hops"]]
    assert [m["n"] for m in sent] == list(range(1, len(sent) + 1))
    assert len(sent) < len(hops)                       # batched
    assert all(len(json.dumps(h)) <= 2048 for h in hops)
    assert flow.bytes_per_hop() <= 2048
    assert [h["seq"] for h in hops] == sorted(h["seq"] for h in hops)
    assert hops and hops[-1]["seq"] <= recorded
    assert repr(flow) == "LiveFlow(nodes=14, walkthrough=False)"


def test_widget_front_end_is_bundled():
    """The ES module ships in the package and loads nothing from the network."""
    from labkit.viz.live import HERE
    esm = (HERE / "widget.js").read_text()
    assert "export default" in esm
    urls = esm.replace("http://www.w3.org/2000/svg", "")     # the SVG namespace is not fetched
    assert "http://" not in urls and "https://" not in urls and "\nimport " not in esm


def test_show_code_names_nova_and_shows_labkit_source():
    from labkit.viz.code import code_html
    html = code_html("labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances")
    assert "def schedule_and_build_instances" in html
    assert "https://opendev.org/openstack/nova/src/tag/34.0.0/nova/conductor/manager.py" in html
    from labkit.viz import show_code
    from labkit.nova.conductor.manager import ComputeTaskManager
    assert "ComputeTaskManager.schedule_and_build_instances" in show_code(
        ComputeTaskManager.schedule_and_build_instances).value


def test_a_replay_starts_from_the_states_the_request_found(saved):
    """A shelve replay shows the server ACTIVE before its first hop; a boot, no server yet."""
    trace = Trace.from_json(saved)
    shelve = Player(trace, which="last shelve")
    [state] = shelve.initial_states.values()
    assert (state["status"], state["vm_state"], state["task_state"]) == ("ACTIVE", "active", None)
    assert Player(trace).initial_states == {}


def test_a_replay_shows_the_instance_after_each_hop_although_db_hops_are_hidden(saved):
    """The walkthrough view hides the db writes; their states go to the hop they follow."""
    trace = Trace.from_json(saved)
    shelve = Player(trace, which="last shelve")
    assert not any(h["kind"] == "db" for h in shelve.hops)
    assert all("state" in h for h in shelve.hops)       # the server exists from the start
    states = [h["state"]["status"] for h in shelve.hops]
    assert states[0] == "ACTIVE" and states[-1] == "SHELVED_OFFLOADED"
    assert shelve.hops[-1]["state"]["host"] is None
    boot = Player(trace)
    assert "state" not in boot.hops[0] and boot.hops[-1]["state"]["status"] == "ACTIVE"
    bundle = shelve._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "SHELVED_OFFLOADED (shelved_offloaded/-)" in data["text/html"]
