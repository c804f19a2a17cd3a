"""tempest.lib's evacuate: the answer checked against tempest's schemas, microversion by
microversion (tempest_evacuate.py), with one host's nova-compute stopped and forced down."""
from labkit.client import Client

VERSIONS = ("2.1", "2.14", "2.29", "2.68", "2.95")


def test_evacuate_client_schemas(lab, clients):
    admin = Client(lab, "admin")
    source, dest = lab.hosts[0], lab.hosts[1]
    servers = []
    for version in VERSIONS:
        resp = admin.post("/servers", json={"server": {
            "name": f"tempest-evacuate-{version}", "imageRef": "44c37b90-0ec3-460a-bdf2-"
            "bd8bb98c9fdf", "flavorRef": "42", "availability_zone": f"nova:{source}",
            "networks": [{"uuid": "b745b2c6-db16-40ab-8ad7-af6da0e5e699"}]}})
        assert resp.status_code == 202, resp.text
        servers.append(resp.json()["server"]["id"])
    for server_id in servers:
        admin.wait_for(server_id, "ACTIVE")
    lab.faults.stop_service(f"nova-compute@{source}")
    c = lab.credentials("admin")
    try:
        proc = clients.python("tempest_evacuate.py", lab.auth_url,
                              lab.data["identities"]["region"], c["username"],
                              c["project_name"], c["password"], source, dest,
                              *(f"{v}={s}" for v, s in zip(VERSIONS, servers)))
        assert proc.stdout.splitlines() == [
            "ok 2.1 ACTIVE", "ok 2.14 ACTIVE", "ok 2.29 ACTIVE", "ok 2.68 ACTIVE",
            "ok 2.95 SHUTOFF"]
        assert admin.show(servers[2])["OS-EXT-SRV-ATTR:host"] == dest     # forced
    finally:
        lab.restart_compute_service(source)
        (svc,) = Client(lab, "admin", microversion="2.53").get(
            f"/os-services?host={source}").json()["services"]
        Client(lab, "admin", microversion="2.53").put(f"/os-services/{svc['id']}",
                                         json={"forced_down": False})
    lab.wait_idle()
    migrations = Client(lab, "admin", microversion="2.59").get("/os-migrations").json()["migrations"]
    assert sorted(m["status"] for m in migrations if m["instance_uuid"] in servers) == \
        ["completed"] * len(VERSIONS)
