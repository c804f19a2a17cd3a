"""Evacuate on the multi-process lab: kill a nova-compute process, evacuate, restart it.

The real failure evacuate is for: compute-1's process dies (``kill -9``), an admin
forces its service down, evacuates the server to compute-2 (both hosts held in
placement), then starts compute-1 again.  The new process's init_host finds the
evacuation (status ``done``, source compute-1) through the conductor, drops the
source allocation and completes the migration.
"""
import time

import pytest

from labkit.cluster import Cluster
from labkit.client import Client
from broker import broker_url


@pytest.fixture(scope="module")
def pair():
    lab = Cluster(computes=2, seed=5, transport=broker_url())
    try:
        yield lab
    finally:
        lab.stop()


def _held(lab, admin, server_id):
    placement = lab.endpoints["placement"]
    names = {rp["uuid"]: rp["name"] for rp in admin.get(
        f"{placement}/resource_providers").json()["resource_providers"]}
    held = admin.get(f"{placement}/allocations/{server_id}").json()["allocations"]
    return sorted(names[rp] for rp in held)


def test_evacuate_after_a_killed_compute_comes_back(pair):
    admin = Client(pair, "admin", microversion="2.95")
    resp = admin.post("/servers", json={"server": {
        "name": "evacuee", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
        "flavorRef": "42", "availability_zone": "nova:compute-1",
        "networks": [{"uuid": "b745b2c6-db16-40ab-8ad7-af6da0e5e699"}]}})
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    admin.wait_for(server_id, "ACTIVE", timeout=30)
    pair.kill("nova-compute@compute-1")
    services = Client(pair, "admin", microversion="2.53")
    (svc,) = services.get("/os-services?host=compute-1").json()["services"]
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    assert admin.server_action(server_id, {"evacuate": {}}).status_code == 200
    admin.wait_for(server_id, "SHUTOFF", timeout=30)
    # nova-compute saves the host last (the resource tracker's finish_evacuation)
    deadline = time.monotonic() + 10
    while admin.show(server_id)["OS-EXT-SRV-ATTR:host"] != "compute-2":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert _held(pair, admin, server_id) == ["compute-1", "compute-2"]
    pair.restart("nova-compute@compute-1")
    services.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    # init_host ran before the process said it was ready: the cleanup is done by now
    migrations = Client(pair, "admin", microversion="2.59").get("/os-migrations").json()["migrations"]
    assert [m["status"] for m in migrations if m["instance_uuid"] == server_id] == [
        "completed"]
    assert _held(pair, admin, server_id) == ["compute-2"]
