"""Boot a server over real HTTP and check what every hop did."""
import requests

import labkit

from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
NET = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"


def test_boot_reaches_active_with_host_and_ip(lab, client):
    resp = client.post("/servers", json={"server": {
        "name": "t3", "imageRef": IMAGE, "flavorRef": "42", "networks": [{"uuid": NET}]}})
    server_id = resp.json()["server"]["id"]
    assert resp.headers["Location"].endswith(f"/servers/{server_id}")
    assert resp.headers["x-compute-request-id"].startswith("req-")
    server, seen = client.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    assert server["hostId"]
    addr = server["addresses"]["private"][0]
    assert addr["addr"].startswith("192.168.1.") and addr["OS-EXT-IPS-MAC:mac_addr"].startswith("fa:16:3e")
    admin = Client(lab, "admin")
    assert admin.show(server_id)["OS-EXT-SRV-ATTR:host"] in lab.hosts


def test_boot_hops_follow_nova(lab, client):
    server_id = client.boot("hops", check=False)["id"]
    rid = client.last_request_id
    client.wait_for(server_id, "ACTIVE")
    events = lab.trace.events(request_id=rid)
    rpc = [(e["kind"], e["src"], e["dst"], e["name"]) for e in events
           if e["kind"] in ("cast", "call") and e["name"] not in (
               "object_action", "object_class_action_versions")]
    host = next(e["server"] for e in events if e["name"] == "build_and_run_instance")
    assert rpc[:3] == [
        ("cast", "nova-api", "nova-conductor", "schedule_and_build_instances"),
        ("call", "nova-conductor", "nova-scheduler", "select_destinations"),
        ("cast", "nova-conductor", f"nova-compute@{host}", "build_and_run_instance"),
    ]
    # the 202 went back to the client before compute did anything
    response = next(e for e in events if e["kind"] == "http" and e.get("phase") == "response"
                    and e["name"].startswith("POST") and e["dst"] == "client")
    first_compute = next(e for e in events if e["src"].startswith("nova-compute@"))
    cast = next(e for e in events if e["name"] == "schedule_and_build_instances")
    assert cast["seq"] < response["seq"]
    # compute never touches the database: its saves are calls to the conductor
    assert not [e for e in events if e["kind"] == "db" and e["src"].startswith("nova-compute")]
    assert [e for e in events if e["kind"] == "call" and e["src"] == f"nova-compute@{host}"
            and e["name"] == "object_action"]
    http = {(e["src"], e["dst"]) for e in events if e["kind"] == "http"}
    assert ("nova-api", "glance") in http and ("nova-scheduler", "placement") in http
    assert (f"nova-compute@{host}", "neutron") in http
    assert first_compute["seq"] > cast["seq"]


def test_boot_states_in_order(lab, client):
    server_id = client.boot("states", check=False)["id"]
    rid = client.last_request_id
    client.wait_for(server_id, "ACTIVE")
    changes = [e["states"]["after"] for e in lab.trace.events(request_id=rid, kind="db")
               if e.get("states") and e.get("instance_uuid") == server_id]
    seq = [(s["vm_state"], s["task_state"]) for s in changes]
    assert seq[0] == ("building", "scheduling")
    for expected in [("building", None), ("building", "networking"),
                     ("building", "block_device_mapping"), ("building", "spawning"),
                     ("active", None)]:
        assert expected in seq
    assert seq.index(("building", "networking")) < seq.index(("building", "spawning")) \
        < seq.index(("active", None))


def test_instance_action_and_events(lab, client):
    server_id = client.boot("actions", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    actions = client.get(f"/servers/{server_id}/os-instance-actions").json()["instanceActions"]
    assert [a["action"] for a in actions] == ["create"]
    admin = Client(lab, "admin")
    detail = admin.get(f"/servers/{server_id}/os-instance-actions/{actions[0]['request_id']}")
    events = detail.json()["instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in events] == [
        ("compute__do_build_and_run_instance", "Success")]


def test_notifications_emitted(lab, client):
    server_id = client.boot("notes", check=False)["id"]
    rid = client.last_request_id
    client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()           # compute saves ACTIVE before it sends instance.create.end
    names = [e["name"] for e in lab.trace.events(request_id=rid, kind="notification")]
    assert names == ["scheduler.select_destinations.start", "scheduler.select_destinations.end",
                     "instance.create.start", "instance.create.end"]


def test_tokens_redacted_in_trace(lab, client):
    """The boot's secret in the trace is the adminPass of its 202 (the token never is)."""
    password = client.boot("secret", check=False)["adminPass"]
    rid = client.last_request_id
    text = lab.trace.to_json()
    assert client.token not in text and password not in text
    answer = next(e for e in lab.trace.events(request_id=rid,
                                              kind="http")
                  if e["phase"] == "response" and e["dst"] == "client")
    assert answer["payload"]["server"]["adminPass"] == "***"


def _seeded_run(seed):
    with labkit.start(seed=seed, exclusive=False) as lab:
        client = Client(lab)
        server_id = client.boot("same", check=False)["id"]
        server, _ = client.wait_for(server_id, "ACTIVE")
        host = Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]
        return server_id, server["addresses"], host


def test_same_seed_same_ids():
    assert _seeded_run(41) == _seeded_run(41)
    assert _seeded_run(41)[0] != _seeded_run(42)[0]


def test_the_walkthroughs_legacy_v2_urls_work(lab):
    """``/v2/{tenant_id}/...`` as the walkthrough's nova client used them (admin's tenant)."""
    admin = Client(lab, "admin")
    tenant = admin.project_id
    assert tenant == "d7beb7f28e0b4f41901215000339361d"
    base = lab.url("nova-api") + f"/v2/{tenant}"
    headers = {"X-Auth-Token": admin.token}
    image = requests.get(f"{base}/images/{IMAGE}", headers=headers)
    assert image.status_code == 200 and image.json()["image"]["name"] == "cirros-0.6.2-x86_64-disk"
    flavor = requests.get(f"{base}/flavors/42", headers=headers)
    assert flavor.json()["flavor"]["name"] == "m1.nano"
    body = {"server": {"name": "t3", "imageRef": IMAGE, "flavorRef": "42", "max_count": 1,
                       "min_count": 1, "networks": [{"uuid": NET}]}}
    resp = requests.post(f"{base}/servers", json=body, headers=headers)
    assert resp.status_code == 202
    server, _ = admin.wait_for(resp.json()["server"]["id"], "ACTIVE")
    shelve = requests.post(f"{base}/servers/{server['id']}/action", json={"shelve": None},
                           headers=headers)
    assert shelve.status_code == 202 and shelve.content == b""
    assert shelve.headers["x-compute-request-id"].startswith("req-")
    other = requests.get(lab.url("nova-api") + "/v2/a3b2c1d0e9f84766b5a4c3d2e1f00917/servers",
                         headers=headers)
    assert other.status_code == 400 and "doesn't match Context's project_id" in other.text


def test_discovery_documents(lab):
    root = requests.get(lab.url("nova-api") + "/").json()
    assert [v["id"] for v in root["versions"]] == ["v2.0", "v2.1"]
    v21 = requests.get(lab.compute_url).json()["version"]
    assert v21["min_version"] == "2.1" and v21["version"] == lab.conf.max_api_version


def test_microversion_headers_are_echoed(lab, client):
    resp = client.get("/servers", headers={"OpenStack-API-Version": "compute 2.79"})
    assert resp.headers["OpenStack-API-Version"] == "compute 2.79"
    assert resp.headers["X-OpenStack-Nova-API-Version"] == "2.79"
    assert "OpenStack-API-Version" in resp.headers["Vary"]


def test_scheduler_decides_before_it_claims(lab, client):
    """candidates → filters → weighers → claim: the decision comes before PUT /allocations."""
    server_id = client.boot("order", check=False)["id"]
    rid = client.last_request_id
    client.wait_for(server_id, "ACTIVE")
    events = lab.trace.events(request_id=rid)
    seq = lambda pred: next(e["seq"] for e in events if pred(e))   # noqa: E731
    candidates = seq(lambda e: e["kind"] == "http" and "allocation_candidates" in (e.get("path") or ""))
    decision = seq(lambda e: e["kind"] == "schedule")
    claim = seq(lambda e: e["kind"] == "http" and e.get("method") == "PUT"
                and "/allocations/" in (e.get("path") or ""))
    assert candidates < decision < claim
    schedule = next(e for e in events if e["kind"] == "schedule")
    host = next(e["server"] for e in events if e["name"] == "build_and_run_instance")
    assert schedule["payload"]["chosen"] == host
