"""os-aggregates over real HTTP: create with a zone, hosts in and out, metadata, and
the placement aggregate nova-api keeps in step with each host's resource provider.

Expected bodies and messages are nova's (nova/api/openstack/compute/aggregates.py,
nova/compute/api.py:AggregateAPI, nova/exception.py).
"""
import requests

from labkit.client import Client, fault as _fault

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"


def _placement_aggregates(lab, token, host):
    base, headers = lab.url("placement"), {"X-Auth-Token": token,
                                           "OpenStack-API-Version": "placement 1.19"}
    (rp,) = requests.get(f"{base}/resource_providers?name={host}", headers=headers,
                         timeout=10).json()["resource_providers"]
    return requests.get(f"{base}/resource_providers/{rp['uuid']}/aggregates", headers=headers,
                        timeout=10).json()["aggregates"]


def test_create_add_host_show_list_and_placement(lab):
    admin = Client(lab, "admin", microversion="2.41")
    resp = admin.post("/os-aggregates", json={"aggregate": {"name": "rack-1",
                                                            "availability_zone": "az-a"}})
    assert resp.status_code == 200, resp.text
    created = resp.json()["aggregate"]
    assert set(created) == {"availability_zone", "created_at", "deleted", "deleted_at", "id",
                            "name", "updated_at", "uuid"}          # no hosts or metadata
    assert (created["name"], created["availability_zone"]) == ("rack-1", "az-a")
    agg_id = created["id"]
    added = admin.post(f"/os-aggregates/{agg_id}/action",
                       json={"add_host": {"host": "compute-1"}}).json()["aggregate"]
    assert added["hosts"] == ["compute-1"]
    assert added["metadata"] == {"availability_zone": "az-a"}
    assert _placement_aggregates(lab, admin.token, "compute-1") == [created["uuid"]]
    old = Client(lab, "admin").get(f"/os-aggregates/{agg_id}").json()["aggregate"]
    assert "uuid" not in old                                         # 2.41 shows it
    listed = admin.get("/os-aggregates").json()["aggregates"]
    assert [a["name"] for a in listed] == ["rack-1"]
    zones = Client(lab).get("/os-availability-zone").json()["availabilityZoneInfo"]
    assert [z["zoneName"] for z in zones] == ["az-a", "nova"]

    assert _fault(admin.post(f"/os-aggregates/{agg_id}/action",
                             json={"add_host": {"host": "compute-1"}}), 409) == (
        f"Aggregate {agg_id} already has host compute-1.")
    assert _fault(admin.post(f"/os-aggregates/{agg_id}/action",
                             json={"add_host": {"host": "nowhere"}}), 404) == (
        "Compute host nowhere could not be found.")
    assert _fault(admin.send("DELETE", f"/os-aggregates/{agg_id}"), 400) == (
        f"Cannot remove host from aggregate {agg_id}. Reason: Host aggregate is not empty.")
    removed = admin.post(f"/os-aggregates/{agg_id}/action",
                         json={"remove_host": {"host": "compute-1"}}).json()["aggregate"]
    assert removed["hosts"] == []
    assert _placement_aggregates(lab, admin.token, "compute-1") == []
    assert _fault(admin.post(f"/os-aggregates/{agg_id}/action",
                             json={"remove_host": {"host": "compute-1"}}), 404) == (
        f"Cannot remove host compute-1 in aggregate {agg_id}")
    assert admin.send("DELETE", f"/os-aggregates/{agg_id}").status_code == 200
    assert _fault(admin.get(f"/os-aggregates/{agg_id}"), 404) == (
        f"Aggregate {agg_id} could not be found.")


def test_update_metadata_and_the_zone_rules(lab):
    admin = Client(lab, "admin")
    one = admin.post("/os-aggregates", json={"aggregate": {"name": "one",
                                                           "availability_zone": "z1"}})
    two = admin.post("/os-aggregates", json={"aggregate": {"name": "two"}})
    one, two = one.json()["aggregate"]["id"], two.json()["aggregate"]["id"]
    admin.post(f"/os-aggregates/{one}/action", json={"add_host": {"host": "compute-2"}})
    admin.post(f"/os-aggregates/{two}/action", json={"add_host": {"host": "compute-2"}})
    meta = admin.post(f"/os-aggregates/{two}/action", json={"set_metadata": {
        "metadata": {"ssd": "true", "gpu": None}}}).json()["aggregate"]
    assert meta["metadata"] == {"ssd": "true"}
    meta = admin.post(f"/os-aggregates/{two}/action", json={"set_metadata": {
        "metadata": {"ssd": None}}}).json()["aggregate"]
    assert meta["metadata"] == {}
    assert _fault(admin.post(f"/os-aggregates/{two}/action", json={"set_metadata": {
        "metadata": {"availability_zone": "z2"}}}), 400) == (
        f"Cannot update metadata of aggregate {two}. Reason: One or more hosts already in "
        "availability zone(s) ['z1'].")
    renamed = admin.send("PUT", f"/os-aggregates/{two}",
                            json={"aggregate": {"name": "renamed"}}).json()["aggregate"]
    assert renamed["name"] == "renamed" and renamed["updated_at"]
    assert _fault(admin.send("PUT", f"/os-aggregates/{two}",
                                json={"aggregate": {"name": "one"}}), 409) == (
        "Aggregate one already exists.")
    assert _fault(admin.post("/os-aggregates", json={"aggregate": {"name": "one"}}), 409) == (
        "Aggregate one already exists.")
    for agg in (one, two):
        admin.post(f"/os-aggregates/{agg}/action", json={"remove_host": {"host": "compute-2"}})
        admin.send("DELETE", f"/os-aggregates/{agg}")


def test_bad_input_in_novas_words(lab):
    admin = Client(lab, "admin")
    assert _fault(admin.get("/os-aggregates/abc"), 400) == (
        "Invalid input received: id must be an integer")
    message = _fault(admin.post("/os-aggregates", json={"aggregate": {
        "name": "x", "availability_zone": "a:b"}}), 400)
    assert message.startswith("Invalid input for field/attribute availability_zone.")
    assert _fault(admin.post("/os-aggregates", json={"aggregate": {}}), 400).startswith(
        "Invalid input for field/attribute aggregate.")
    assert _fault(admin.post("/os-aggregates/1/action", json={"bogus": {}}), 400) == (
        "There is no such action: bogus")
    assert _fault(Client(lab).get("/os-aggregates"), 403) == (
        "Policy doesn't allow os_compute_api:os-aggregates:index to be performed.")


def test_a_host_with_servers_keeps_its_zone(lab):
    """Adding a host that runs servers to an aggregate with another zone is refused."""
    admin, demo = Client(lab, "admin"), Client(lab)
    server = demo.boot("stays", check=False)["id"]
    demo.wait_for(server, "ACTIVE")
    host = admin.get(f"/servers/{server}").json()["server"]["OS-EXT-SRV-ATTR:host"]
    agg = admin.post("/os-aggregates", json={"aggregate": {
        "name": "elsewhere", "availability_zone": "far"}}).json()["aggregate"]["id"]
    message = _fault(admin.post(f"/os-aggregates/{agg}/action",
                                json={"add_host": {"host": host}}), 409)
    assert message.startswith(f"Cannot add host to aggregate {agg}. Reason: The host cannot "
                              "be added to the aggregate as the availability zone of the "
                              "host would change from 'None' to 'far' but the host already "
                              "has 1 instance(s).")
    demo.send("DELETE", f"/servers/{server}")
    demo.wait_for(server, "DELETED")
    admin.send("DELETE", f"/os-aggregates/{agg}")
