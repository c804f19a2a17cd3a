"""Rebuild hop by hop, against nova 34's captured flow.

/work/shared/reference/lifecycle-flows.md (rebuild): nova-api saves ``rebuilding`` and
casts to the conductor, which casts ``rebuild_instance`` to the server's own host (topic
``compute``): no scheduler, no claim, one placement read, no migration record, and the
allocation stays as booted.  A new image sends the conductor to the scheduler first,
which only checks the server's host against the image (``_nova_check_type: rebuild``).
"""
import pytest
import requests

from flow_hops import migration_statuses, placement_calls, rpc_hops, state_saves
from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"


@pytest.fixture(scope="module")
def server(lab):
    client = Client(lab)
    server_id = client.boot_active("rebuild-me")
    return server_id


def test_rebuild_matches_nova(lab, server):
    client, admin = Client(lab), Client(lab, "admin")
    host = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    placement = lab.url("placement")
    before = admin.get(f"{placement}/allocations/{server}").json()["allocations"]
    resp = client.server_action(server, {"rebuild": {"imageRef": IMAGE, "name": "rebuilt",
                                              "metadata": {"role": "web"}}})
    assert resp.status_code == 202, resp.text
    body = resp.json()["server"]
    assert body["status"] == "REBUILD" and body["name"] == "rebuilt"
    assert body["metadata"] == {"role": "web"} and body["adminPass"]
    client.wait_for(server, "ACTIVE")
    lab.wait_idle()
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    assert rpc_hops(events) == [
        ("cast", "nova-api", "nova-conductor", "rebuild_instance", "conductor"),
        ("cast", "nova-conductor", f"nova-compute@{host}", "rebuild_instance", "compute"),
        ("cast", f"nova-compute@{host}", "nova-scheduler", "update_instance_info",
         "scheduler")]
    assert placement_calls(events) == [(f"nova-compute@{host}", f"GET /allocations/{server}")]
    node = f"nova-compute@{host}"
    assert state_saves(events) == [
        ("nova-api", {"task_state": "rebuilding"}),
        ("nova-conductor", {"task_state": "rebuild_block_device_mapping"}),
        ("nova-conductor", {"task_state": "rebuild_spawning"}),
        ("nova-conductor", {"task_state": None})]
    # the compute saves go through the conductor: one object_action call from the host each
    assert all(e["src"] == node for e in events
               if e["kind"] == "call" and e["name"] == "object_action")
    assert not [e for e in events if e["name"] in ("migration_create", "migration_update")]
    assert [e["name"] for e in events if e["kind"] == "notification"] == [
        "instance.rebuild.start", "instance.rebuild.end"]
    after = admin.get(f"{placement}/allocations/{server}").json()["allocations"]
    assert {rp: a["resources"] for rp, a in after.items()} == \
        {rp: a["resources"] for rp, a in before.items()}
    shown = admin.show(server)
    assert (shown["OS-EXT-SRV-ATTR:host"], shown["name"]) == (host, "rebuilt")
    actions = client.get(f"/servers/{server}/os-instance-actions").json()["instanceActions"]
    assert actions[0]["action"] == "rebuild"
    detail = admin.get(f"/servers/{server}/os-instance-actions/"
                       f"{actions[0]['request_id']}").json()["instanceAction"]
    assert sorted((e["event"], e["result"]) for e in detail["events"]) == [
        ("compute_rebuild_instance", "Success"), ("rebuild_server", "Success")]


def test_the_guest_is_made_again(lab, server):
    """The host powers the old guest off, destroys it and spawns a new one."""
    client = Client(lab)
    client.server_action(server, {"reboot": {"type": "SOFT"}})
    client.wait_for(server, "ACTIVE")
    lab.wait_idle()
    client.server_action(server, {"rebuild": {"imageRef": IMAGE}})
    client.wait_for(server, "ACTIVE")
    lab.wait_idle()
    log = client.server_action(server, {"os-getConsoleOutput": {}}).json()["output"].splitlines()
    assert not any("reboot" in line for line in log)      # a new console: a new guest
    assert log[-1].endswith("login:")


def test_a_stopped_server_is_rebuilt_and_stopped_again(lab):
    client = Client(lab)
    server_id = client.boot_active("stopped-rebuild")
    client.server_action(server_id, {"os-stop": None})
    client.wait_for(server_id, "SHUTOFF")
    resp = client.server_action(server_id, {"rebuild": {"imageRef": IMAGE}})
    assert resp.status_code == 202 and resp.json()["server"]["status"] == "REBUILD"
    server, _ = client.wait_for(server_id, "SHUTOFF")
    lab.wait_idle()
    assert server["OS-EXT-STS:task_state"] is None
    saves = [s for _, s in state_saves(lab.trace.events(
        request_id=resp.headers["x-compute-request-id"]))]
    # the guest was off (power 4) and stays so until spawned; then stopped again
    assert saves == [{"task_state": "rebuilding"},
                     {"task_state": "rebuild_block_device_mapping"},
                     {"task_state": "rebuild_spawning"},
                     {"power_state": 1, "task_state": None, "vm_state": "active"},
                     {"task_state": "powering-off"},
                     {"power_state": 4, "task_state": None, "vm_state": "stopped"}]


def _new_image(lab, admin, name):
    """An active image in glance (created, then its data uploaded)."""
    glance = lab.url("glance")
    headers = {"X-Auth-Token": admin.token}
    image = requests.post(f"{glance}/v2/images", headers=headers, timeout=10, json={
        "name": name, "disk_format": "qcow2", "container_format": "bare",
        "visibility": "public"}).json()
    requests.put(f"{glance}/v2/images/{image['id']}/file", data=b"\0" * 512, timeout=10,
                 headers=dict(headers, **{"Content-Type": "application/octet-stream"}))
    return image["id"]


def test_a_new_image_asks_the_scheduler_about_the_same_host(lab, server):
    client, admin = Client(lab), Client(lab, "admin")
    image_id = _new_image(lab, admin, "rebuild-image")
    host = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    resp = client.server_action(server, {"rebuild": {"imageRef": image_id}})
    assert resp.status_code == 202, resp.text
    shown, _ = client.wait_for(server, "ACTIVE")
    lab.wait_idle()
    assert shown["image"]["id"] == image_id
    events = lab.trace.events(request_id=resp.headers["x-compute-request-id"])
    assert [hop[:4] for hop in rpc_hops(events)] == [
        ("cast", "nova-api", "nova-conductor", "rebuild_instance"),
        ("call", "nova-conductor", "nova-scheduler", "select_destinations"),
        ("cast", "nova-conductor", f"nova-compute@{host}", "rebuild_instance"),
        ("cast", f"nova-compute@{host}", "nova-scheduler", "update_instance_info")]
    # no candidates and no claim: only the host's own read of the allocation
    assert placement_calls(events) == [(f"nova-compute@{host}", f"GET /allocations/{server}")]
    assert admin.show(server)["OS-EXT-SRV-ATTR:host"] == host
