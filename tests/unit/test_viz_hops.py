"""labkit.viz.hops and layout: trace -> hops -> routes -> token positions (pure)."""
import json

import pytest

from labkit.viz import hops as H
from labkit.viz import layout


@pytest.fixture(scope="module")
def run(boot_and_shelve):
    return boot_and_shelve


def test_walkthrough_hops_follow_the_seed_chain(run):
    boot = H.hops(run["trace"].events(request_id=run["boot"]))
    firsts = []
    for hop in boot:
        for node in (hop["src"], hop["dst"]):
            node = node.split("@")[0]
            if node.startswith("nova-") and node not in firsts:
                firsts.append(node)
    assert firsts == ["nova-api", "nova-conductor", "nova-scheduler", "nova-compute"]
    assert not any(h["kind"] in ("db", "notification") for h in boot)
    assert not any("object_action" in h["label"] for h in boot)
    full = H.hops(run["trace"].events(request_id=run["boot"]), walkthrough=False)
    assert len(full) > len(boot) and any(h["kind"] == "db" for h in full)


def test_shelve_skips_conductor_and_scheduler_rpc(run):
    shelve = H.hops(run["trace"].events(request_id=run["shelve"]))
    rpc = [(h["src"], h["dst"]) for h in shelve if h["kind"] in ("cast", "call")]
    assert rpc[0] == ("nova-api", "nova-compute@compute-1")
    assert all("nova-conductor" not in pair for pair in rpc)


def test_compact_hops_are_small_and_carry_state(run):
    hops = H.hops(run["trace"].events(), walkthrough=False)
    assert max(len(json.dumps(h)) for h in hops) <= 2048
    with_state = [h for h in hops if "state" in h]
    assert with_state[-1]["state"]["status"] == "SHELVED_OFFLOADED"
    assert {"seq", "kind", "src", "dst", "label", "rid", "route"} <= set(hops[0])


def test_routes_rpc_through_the_bus_and_db_to_the_database():
    assert H.route("nova-api", "nova-conductor", "cast") == ["nova-api", H.BUS, "nova-conductor"]
    assert H.route("nova-conductor", "database", "db") == ["nova-conductor", H.DATABASE]
    assert H.route("client", "nova-api", "http") == ["client", "nova-api"]
    assert H.route("nova-compute@c1", "notifications", "notification")[1] == H.BUS


def test_every_route_in_a_real_trace_is_a_path_in_the_topology(run):
    import networkx as nx
    graph = layout.topology(3)
    routed = [hop for hop in H.hops(run["trace"].events(), walkthrough=False)
              if len(hop["route"]) > 1]
    assert len(routed) > 50, len(routed)           # a boot and a shelve: every kind of hop
    for hop in routed:
        assert nx.is_path(graph, hop["route"]), hop


def test_layout_is_deterministic_and_in_reading_order():
    for n in (1, 3, 7):
        a, b = layout.as_data(layout.topology(n)), layout.as_data(layout.topology(n))
        assert a == b
        x = {node["id"]: node["x"] for node in a["nodes"]}
        assert x["client"] < x["nova-api"] < x["nova-conductor"] < x["nova-scheduler"] \
            < x["nova-compute@compute-1"]
        y = [node["y"] for node in a["nodes"] if node["role"] == "compute"]
        assert y == sorted(y) and len(set(y)) == n
        bus_y = a["bus_y"]
        assert all(node["y"] < bus_y for node in a["nodes"] if node["role"] in ("compute", "nova"))


def test_frames_move_a_token_via_the_bus():
    graph = layout.topology(["compute-1"])
    hop = {"route": ["nova-conductor", H.BUS, "nova-compute@compute-1"]}
    frames = layout.frames(graph, hop, steps=20)
    assert frames[0] == graph.nodes["nova-conductor"]["pos"]
    assert frames[-1] == pytest.approx(graph.nodes["nova-compute@compute-1"]["pos"])
    assert max(y for _, y in frames) == pytest.approx(graph.graph["bus_y"])  # it dips to the bus
    assert layout.point_along([(0, 0), (2, 0), (2, 2)], 0.75) == (2, 1)


def test_labels_shorten_paths():
    event = {"kind": "http", "phase": "request", "method": "POST",
             "path": "/v2.1/servers/1d95389b-297a-41d7-abc7-8bf596380ed6/action", "name": "x"}
    assert H.label(event) == "POST /servers/{id}/action"


def test_mirror_names_the_nova_file_and_function():
    m = H.mirror("labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances")
    assert m["path"] == "nova/conductor/manager.py"
    assert m["function"] == "ComputeTaskManager.schedule_and_build_instances"
    assert m["url"] == ("https://opendev.org/openstack/nova/src/tag/34.0.0/"
                        "nova/conductor/manager.py")
    assert H.mirror("labkit.placement.handlers.allocation.AllocationHandler.delete_allocations")[
        "project"] == "placement"


def test_mirror_names_upstream_files_not_labkit_paths():
    """The table names the real file and function, which are not always labkit's: pecan's
    generic resource controller for neutron's, placement's handler functions."""
    upload = H.mirror("labkit.glance.api.v2.image_data.ImageDataController.upload")
    assert (upload["path"], upload["function"]) == ("glance/api/v2/image_data.py",
                                                    "ImageDataController.upload")
    port = H.mirror("labkit.neutron.pecan_wsgi.controllers.resource.Controller.create_port")
    assert port["path"] == "neutron/pecan_wsgi/controllers/resource.py"
    claim = H.mirror("labkit.placement.handlers.allocation.AllocationHandler."
                     "set_allocations_for_consumer")
    assert (claim["path"], claim["function"]) == ("placement/handlers/allocation.py",
                                                  "set_allocations_for_consumer")
    assert H.mirror("labkit.nova.db.api.instance_create")["path"] == "nova/db/main/api.py"


def test_db_hops_name_the_function_that_recorded_them(run):
    events = run["trace"].events(request_id=run["boot"])
    write = next(e for e in events if e["kind"] == "db" and e["name"] == "instance_create")
    detail = H.describe(write)
    assert detail["handler"] == "labkit.nova.db.api.instance_create"
    assert detail["mirrors"]["function"] == "instance_create"


def test_details_find_handlers_for_requests_and_replies(run):
    events = run["trace"].events(request_id=run["boot"])
    details = {d["seq"]: d for d in H.details(events)}
    post = next(e for e in events if e["kind"] == "http" and e["phase"] == "request")
    assert details[post["seq"]]["handler"].endswith("ServersController.create")
    reply = next(e for e in events if e["kind"] == "reply" and e["name"] == "select_destinations")
    assert details[reply["seq"]]["mirrors"]["path"] == "nova/scheduler/manager.py"
    cast = next(e for e in events if e["kind"] == "cast")
    assert "one way" in details[cast["seq"]]["rpc"]
    assert "***" in json.dumps([d["payload"] for d in details.values()])   # redacted adminPass
