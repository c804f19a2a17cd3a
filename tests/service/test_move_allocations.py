"""The pieces every move shares: the report client's move_allocations and compute-alt.

Real nova: nova/scheduler/client/report.py:SchedulerReportClient.move_allocations
(one POST /allocations that empties one consumer and fills another) and
nova/compute/rpcapi.py:RPC_TOPIC_ALT (each nova-compute serves a second topic).
"""
from labkit.client import Client
from labkit.nova.scheduler.client.report import SchedulerReportClient


def test_move_allocations_is_one_post_and_moves_everything(lab):
    client = Client(lab)
    server_id = client.boot("mover", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    report = SchedulerReportClient(lab, "nova-conductor")
    ctxt = lab.services["nova-conductor"].admin_context()
    before = report.get_allocs_for_consumer(ctxt, server_id)
    target = lab.ids.uuid4()
    mark = len(lab.trace.events())
    assert report.move_allocations(ctxt, server_id, target) is True
    calls = [(e["method"], e["path"].split("?")[0]) for e in lab.trace.events()[mark:]
             if e["kind"] == "http" and e["dst"] == "placement"]
    assert calls == [("GET", f"/allocations/{server_id}"), ("GET", f"/allocations/{target}"),
                     ("POST", "/allocations")]
    moved = report.get_allocs_for_consumer(ctxt, target)
    assert {rp: a["resources"] for rp, a in moved["allocations"].items()} == {
        rp: a["resources"] for rp, a in before["allocations"].items()}
    assert report.get_allocs_for_consumer(ctxt, server_id)["allocations"] == {}
    # done already: the source holds nothing, the target does
    assert report.move_allocations(ctxt, server_id, target) is True
    # back again, then drop the provider's part with a PUT of the rest ({})
    assert report.move_allocations(ctxt, target, server_id) is True
    rp = next(iter(before["allocations"]))
    assert report.remove_provider_tree_from_instance_allocation(ctxt, server_id, rp)
    assert report.get_allocs_for_consumer(ctxt, server_id)["allocations"] == {}
    report.close()


def test_every_compute_serves_compute_alt_as_itself(lab):
    from labkit.nova.compute import rpcapi as compute_rpcapi
    api = compute_rpcapi.ComputeAPI(lab, "nova-compute@compute-1")
    cctxt = api.prepare_for_alt_rpcserver(api.client, "compute-2", "6.0")
    assert cctxt.target.routing_key() == "compute-alt.compute-2"
    assert cctxt.target.node() == "nova-compute@compute-2"
    for host in ("compute-1", "compute-2", "compute-3"):
        service = lab.compute(host)
        assert service.rpcserver_alt.running and service.rpcserver_alt.target.topic == "compute-alt"
    assert lab.transport.handlers[("compute-alt", None, "stop_instance")].endswith(
        "ComputeManager.stop_instance")
