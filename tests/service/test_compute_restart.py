"""Lab.restart_compute_service: one nova-compute stopped and a new one started in its
place, as nova's functional tests restart a compute (restart_compute_service).

With ``keep_hypervisor_state`` the guests survive (the service restarted, not the
machine); the node keeps its uuid (nova keeps it in the compute_id file), so placement
sees the same provider; the new service answers RPC and heartbeats.
"""
from labkit.client import Client


def test_a_restarted_compute_keeps_its_guests_and_its_node(lab):
    client, admin = Client(lab), Client(lab, "admin", microversion="2.53")
    server_id = client.boot_active("survivor")
    host = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    before = {h["hypervisor_hostname"]: h["id"] for h in admin.get(
        "/os-hypervisors").json()["hypervisors"]}
    old = lab.compute(host)
    new = lab.restart_compute_service(host, keep_hypervisor_state=True)
    assert lab.compute(host) is new and new is not old and not old.running
    assert server_id in new.manager.driver.instances
    assert {h["hypervisor_hostname"]: h["id"] for h in admin.get(
        "/os-hypervisors").json()["hypervisors"]} == before
    (svc,) = admin.get(f"/os-services?binary=nova-compute&host={host}").json()["services"]
    assert svc["state"] == "up"
    # the new service takes the server's next action
    assert client.server_action(server_id, {"os-stop": None}).status_code == 202
    client.wait_for(server_id, "SHUTOFF")
    lab.wait_idle()
    resp = client.server_action(server_id, {"os-start": None})
    client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    assert [e["dst"] for e in lab.trace.events(request_id=resp.headers[
        "x-compute-request-id"], kind="cast")] == [f"nova-compute@{host}"]
