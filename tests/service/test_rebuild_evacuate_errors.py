"""Rebuild and evacuate refuse bad input and wrong states in nova's own words.

nova/api/openstack/compute/servers.py:_rebuild ("Cannot find image for rebuild",
"Invalid key_name provided.", the flavor/image checks' 400s, the 409s of a locked server
or one in the wrong state) and nova/api/openstack/compute/evacuate.py:_evacuate
(ComputeServiceInUse for a host that is up -- a 400 in nova, "The target host can't be
the same one.", "Compute host <host> not found." (404), the 2.29 force rule, the
microversions' schemas, admin only).
"""
import time

import pytest
import requests

import labkit
from labkit.client import Client, fault
from waits import wait_for_fault

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"


@pytest.fixture(scope="module")
def active(lab):
    return Client(lab).boot_active("rebuild-errors")


@pytest.fixture(scope="module")
def paused(lab):
    client = Client(lab)
    server_id = client.boot_active("paused-errors")
    client.server_action(server_id, {"pause": None})
    client.wait_for(server_id, "PAUSED")
    return server_id


def test_rebuild_with_a_bad_image(lab, active):
    client = Client(lab)
    missing = "00000000-0000-4000-8000-000000000000"
    assert fault(client.server_action(active, {"rebuild": {"imageRef": missing}}), 400) == \
        "Cannot find image for rebuild"
    assert fault(client.server_action(active, {"rebuild": {"imageRef": "cirros"}}), 400) == (
        "Invalid input for field/attribute imageRef. Value: cirros. "
        "'cirros' is not a 'uuid'")
    assert fault(client.server_action(active, {"rebuild": {}}), 400) == (
        "Invalid input for field/attribute rebuild. Value: {}. "
        "'imageRef' is a required property")


def test_rebuild_with_an_image_too_big_for_the_flavor(lab, active):
    admin = Client(lab, "admin")
    glance = lab.url("glance")
    image = requests.post(f"{glance}/v2/images", headers={"X-Auth-Token": admin.token},
                          timeout=10, json={"name": "big", "disk_format": "qcow2",
                                            "container_format": "bare",
                                            "visibility": "public", "min_ram": 10**6}).json()
    resp = Client(lab).server_action(active, {"rebuild": {"imageRef": image["id"]}})
    assert fault(resp, 400) == f"Image {image['id']} is not active."        # no data yet
    requests.put(f"{glance}/v2/images/{image['id']}/file", data=b"\0" * 512, timeout=10,
                 headers={"X-Auth-Token": admin.token,
                          "Content-Type": "application/octet-stream"})
    resp = Client(lab).server_action(active, {"rebuild": {"imageRef": image["id"]}})
    assert fault(resp, 400) == "Flavor's memory is too small for requested image."
    assert Client(lab).show(active)["status"] == "ACTIVE"


def test_rebuild_in_a_wrong_state_or_locked(lab, active, paused):
    client, admin = Client(lab), Client(lab, "admin")
    assert fault(client.server_action(paused, {"rebuild": {"imageRef": IMAGE}}), 409) == (
        f"Cannot 'rebuild' instance {paused} while it is in vm_state paused")
    admin.server_action(active, {"lock": None})
    try:
        assert fault(client.server_action(active, {"rebuild": {"imageRef": IMAGE}}), 409) == (
            f"Instance {active} is locked")
    finally:
        admin.server_action(active, {"unlock": None})


def test_rebuild_key_name_from_2_54(lab, active):
    assert fault(Client(lab, "demo", microversion="2.54").server_action(active, {"rebuild": {
        "imageRef": IMAGE, "key_name": "no-such-key"}}), 400) == "Invalid key_name provided."
    message = fault(Client(lab, "demo", microversion="2.53").server_action(active, {"rebuild": {
        "imageRef": IMAGE, "key_name": "no-such-key"}}), 400)
    assert message.startswith("Invalid input for field/attribute rebuild.")
    assert "Additional properties are not allowed ('key_name' was unexpected)" in message


def test_rebuild_of_another_projects_server_is_not_found(lab, active):
    assert fault(Client(lab, "alt_demo").server_action(active, {"rebuild": {"imageRef": IMAGE}}),
                 404) == f"Instance {active} could not be found."


def test_preserve_ephemeral_fails_on_the_host(lab):
    """The fake driver (nova's too) has no rebuild of its own: the default one refuses to
    keep ephemeral disks, on the host, after the API said 202; the server goes ERROR, and
    a plain rebuild brings it back."""
    client = Client(lab)
    server_id = client.boot_active("preserve")
    resp = client.server_action(server_id, {"rebuild": {"imageRef": IMAGE,
                                                 "preserve_ephemeral": True}})
    assert resp.status_code == 202, resp.text
    server = wait_for_fault(client, server_id)
    assert server["fault"]["message"] == (
        "The current driver does not support preserving ephemeral partitions.")
    lab.wait_idle()
    # as nova's rebuild_instance, the failure gives back the allocation on the host
    placement = lab.url("placement")
    assert Client(lab, "admin").get(f"{placement}/allocations/{server_id}").json()[
        "allocations"] == {}
    # nova rebuilds a server in ERROR too: that is how one gets it back
    assert client.server_action(server_id, {"rebuild": {"imageRef": IMAGE}}).status_code == 202
    server, _ = client.wait_for(server_id, "ACTIVE")
    assert "fault" not in server


def test_evacuate_a_server_whose_host_is_up(lab, active):
    admin = Client(lab, "admin", microversion="2.95")
    host = Client(lab, "admin").show(active)["OS-EXT-SRV-ATTR:host"]
    assert fault(admin.server_action(active, {"evacuate": {}}), 400) == (
        f"Compute service of {host} is still in use.")
    assert fault(admin.server_action(active, {"evacuate": {"host": host}}), 400) == (
        "The target host can't be the same one.")
    assert fault(admin.server_action(active, {"evacuate": {"host": "nowhere"}}), 404) == (
        "Compute host nowhere not found.")
    assert Client(lab).show(active)["status"] == "ACTIVE"


def test_evacuate_bodies_by_microversion(lab, active):
    assert fault(Client(lab, "admin", microversion="2.29").server_action(active, {"evacuate": {"force": True}}),
                 400) == "Can't force to a non-provided destination"
    message = fault(Client(lab, "admin", microversion="2.68").server_action(
        active, {"evacuate": {"host": "compute-2", "force": True}}), 400)
    assert "Additional properties are not allowed ('force' was unexpected)" in message
    assert fault(Client(lab, "admin").server_action(active, {"evacuate": {}}), 400) == (
        "Invalid input for field/attribute evacuate. Value: {}. "
        "'onSharedStorage' is a required property")
    assert fault(Client(lab, "admin").server_action(active, {"evacuate": {
        "onSharedStorage": True, "adminPass": "secret"}}), 400) == (
        "admin password can't be changed on existing disk")


def test_evacuate_is_for_admins_and_the_right_states(lab, active, paused):
    assert fault(Client(lab, "demo", microversion="2.95").server_action(active, {"evacuate": {}}), 403) == (
        "Policy doesn't allow os_compute_api:os-evacuate to be performed.")
    assert fault(Client(lab, "admin", microversion="2.95").server_action(paused, {"evacuate": {}}), 409) == (
        f"Cannot 'evacuate' instance {paused} while it is in vm_state paused")


def test_evacuate_before_2_14_answers_the_new_password(lab):
    """onSharedStorage false: a new disk, so a new password, which the answer carries;
    the server keeps its state (no 2.95 stop)."""
    client, admin = Client(lab), Client(lab, "admin")
    server_id = client.boot_active("legacy-evacuate")
    source = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    lab.faults.stop_service(f"nova-compute@{source}")
    services = Client(lab, "admin", microversion="2.53")
    (svc,) = services.get(f"/os-services?host={source}").json()["services"]
    services.put(f"/os-services/{svc['id']}", json={"forced_down": True})
    try:
        resp = admin.server_action(server_id, {"evacuate": {"onSharedStorage": False,
                                                      "adminPass": "n3w-secret"}})
        assert (resp.status_code, resp.json()) == (200, {"adminPass": "n3w-secret"})
        client.wait_for(server_id, "ACTIVE")
        assert admin.show(server_id)["OS-EXT-SRV-ATTR:host"] != source
    finally:
        lab.restart_compute_service(source)
        services.put(f"/os-services/{svc['id']}", json={"forced_down": False})
    lab.wait_idle()


def test_evacuate_with_no_host_to_go_to(lab):
    """Every other host forced down: the scheduler finds none (NoValidHost), the
    conductor puts the server in ERROR with nova's fault and the migration in ``error``;
    the API had already answered 200."""
    client, admin = Client(lab), Client(lab, "admin", microversion="2.95")
    server_id = client.boot_active("nowhere-to-go")
    source = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    services = Client(lab, "admin", microversion="2.53")
    ids = {s["host"]: s["id"] for s in services.get(
        "/os-services?binary=nova-compute").json()["services"]}
    lab.faults.stop_service(f"nova-compute@{source}")
    for service_id in ids.values():
        services.put(f"/os-services/{service_id}", json={"forced_down": True})
    try:
        assert admin.server_action(server_id, {"evacuate": {}}).status_code == 200
        server = wait_for_fault(client, server_id)
        assert server["fault"]["message"].startswith("No valid host was found.")
        (migration,) = [m for m in Client(lab, "admin", microversion="2.59").get("/os-migrations").json()[
            "migrations"] if m["instance_uuid"] == server_id]
        assert (migration["migration_type"], migration["status"]) == ("evacuation", "error")
    finally:
        for service_id in ids.values():
            services.put(f"/os-services/{service_id}", json={"forced_down": False})
        lab.restart_compute_service(source)
    lab.wait_idle()
    assert Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"] == source


def test_a_host_whose_heartbeat_stopped_may_be_evacuated():
    """Not forced down, only silent for longer than service_down_time: nova-api judges
    it down too (servicegroup's DB driver), and the evacuation goes ahead."""
    with labkit.start(seed=6, computes=2, exclusive=False, report_interval=0.05,
                      service_down_time=0.3) as small:
        client, admin = Client(small), Client(small, "admin", microversion="2.95")
        server_id = client.boot_active("silent-host")
        source = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
        small.faults.stop_service(f"nova-compute@{source}")
        assert fault(admin.server_action(server_id, {"evacuate": {}}), 400) == (
            f"Compute service of {source} is still in use.")      # not silent long enough
        deadline = time.monotonic() + 5
        while admin.server_action(server_id, {"evacuate": {}}).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        client.wait_for(server_id, "SHUTOFF")
        # nova-compute saves the new host last (its heartbeats keep the lab from going quiet)
        while admin.show(server_id)["OS-EXT-SRV-ATTR:host"] == source:
            assert time.monotonic() < deadline + 5
            time.sleep(0.02)
