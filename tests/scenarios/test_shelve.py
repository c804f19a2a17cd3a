"""Shelve, unshelve, lock: the walkthrough's second flow, over real HTTP."""

import labkit
from labkit.client import Client


def _active(client, name):
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


def test_shelve_offloads_and_snapshots(lab, client):
    server_id = _active(client, "t2")
    resp = client.server_action(server_id, {"shelve": None})
    assert resp.status_code == 202 and resp.content == b""
    server, seen = client.wait_for(server_id, "SHELVED_OFFLOADED")
    assert server["OS-EXT-STS:power_state"] == 4
    assert server["hostId"] == ""
    glance = lab.url("glance")
    images = client.get(f"{glance}/v2/images?name=t2-shelved").json()["images"]
    assert len(images) == 1 and images[0]["status"] == "active"
    rid = resp.headers["x-compute-request-id"]
    rpc = [(e["kind"], e["src"], e["dst"], e["name"]) for e in lab.trace.events(request_id=rid)
           if e["kind"] in ("cast", "call") and e["name"] not in (
               "object_action", "object_class_action_versions")]
    # shelve skips the conductor and the scheduler: nova-api casts straight to the host
    assert rpc[0][:2] == ("cast", "nova-api") and rpc[0][3] == "shelve_instance"
    assert rpc[0][2].startswith("nova-compute@")
    # no scheduling: the only scheduler message is compute's fanout "forget this instance"
    assert [r[3] for r in rpc if "nova-scheduler" in r[1:3]] == ["delete_instance_info"]
    assert not [r for r in rpc if r[2] == "nova-conductor"]


def test_shelve_states_in_order(lab, client):
    server_id = _active(client, "shelve-states")
    rid = client.server_action(server_id, {"shelve": None}).headers["x-compute-request-id"]
    client.wait_for(server_id, "SHELVED_OFFLOADED")
    seq = [(e["states"]["after"]["vm_state"], e["states"]["after"]["task_state"])
           for e in lab.trace.events(request_id=rid, kind="db") if e.get("states")]
    assert seq == [("active", "shelving"), ("active", "shelving_image_pending_upload"),
                   ("active", "shelving_image_uploading"), ("shelved", "shelving_offloading"),
                   ("shelved_offloaded", None)]


def test_unshelve_returns_to_active_and_deletes_snapshot(lab, client):
    server_id = _active(client, "u1")
    client.server_action(server_id, {"shelve": None})
    client.wait_for(server_id, "SHELVED_OFFLOADED")
    resp = client.server_action(server_id, {"unshelve": None})
    assert resp.status_code == 202
    server, _ = client.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:task_state"] is None and server["OS-EXT-STS:power_state"] == 1
    glance = lab.url("glance")
    assert client.get(f"{glance}/v2/images?name=u1-shelved").json()["images"] == []
    rid = resp.headers["x-compute-request-id"]
    names = [e["name"] for e in lab.trace.events(request_id=rid) if e["kind"] in ("cast", "call")]
    assert names.index("unshelve_instance") < names.index("select_destinations")
    # as nova's _unshelve_instance, compute reads the allocations the scheduler made, then
    # claims, and binds the port to its host inside the claim
    requests = [e["name"] for e in lab.trace.events(request_id=rid, kind="http")
                if e["src"].startswith("nova-compute@") and e.get("phase") != "response"]
    assert requests.index(f"GET /allocations/{server_id}") < min(
        i for i, name in enumerate(requests) if name.startswith("PUT /v2.0/ports/"))
    # as after a build, nova-compute tells every scheduler the host runs the instance again
    lab.wait_idle()
    fanout = [e for e in lab.trace.events(request_id=rid, kind="cast")
              if e["name"] == "update_instance_info"]
    assert len(fanout) == 1 and fanout[0]["src"].startswith("nova-compute@")
    assert fanout[0]["dst"] == "nova-scheduler" and fanout[0].get("fanout")


def test_shelve_locked_server_is_409(lab, client):
    server_id = _active(client, "locked")
    assert client.server_action(server_id, {"lock": None}).status_code == 202
    resp = client.server_action(server_id, {"shelve": None})
    assert resp.status_code == 409
    assert resp.json() == {"conflictingRequest": {
        "code": 409, "message": f"Instance {server_id} is locked"}}
    assert client.server_action(server_id, {"unlock": None}).status_code == 202
    assert client.server_action(server_id, {"shelve": None}).status_code == 202


def test_unshelve_active_server_is_409(lab, client):
    server_id = _active(client, "awake")
    resp = client.server_action(server_id, {"unshelve": None})
    assert resp.status_code == 409
    assert resp.json()["conflictingRequest"]["message"] == \
        f"Cannot 'unshelve' instance {server_id} while it is in vm_state active"


def test_shelve_without_offload_then_unshelve_in_place():
    with labkit.start(seed=2, shelved_offload_time=-1, exclusive=False) as lab:
        client = Client(lab)
        server_id = _active(client, "stay")
        host = Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]
        client.server_action(server_id, {"shelve": None})
        client.wait_for(server_id, "SHELVED")
        resp = client.server_action(server_id, {"unshelve": None})
        server, _ = client.wait_for(server_id, "ACTIVE")
        assert Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"] == host
        rid = resp.headers["x-compute-request-id"]
        names = [e["name"] for e in lab.trace.events(request_id=rid)]
        assert "start_instance" in names and "select_destinations" not in names


def test_conductor_records_its_own_host_on_unshelve_events(lab, client):
    """The conductor's action events name the conductor's host (nova: CONF.host), not a compute."""
    server_id = _active(client, "u-events")
    client.server_action(server_id, {"shelve": None})
    client.wait_for(server_id, "SHELVED_OFFLOADED")
    rid = client.server_action(server_id, {"unshelve": None}).headers["x-compute-request-id"]
    client.wait_for(server_id, "ACTIVE")
    admin = Client(lab, user="admin", microversion="2.62")
    action = admin.get(f"/servers/{server_id}/os-instance-actions/{rid}").json()["instanceAction"]
    hosts = {e["event"]: e["host"] for e in action["events"]}
    conductor = lab.services["nova-conductor"].host
    assert hosts["get_image_info"] == hosts["schedule_instances"] == conductor
    assert hosts["compute_unshelve_instance"] in lab.hosts
