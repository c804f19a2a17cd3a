"""Many clients at once: nothing lost, nothing stuck, nothing shared (issue: faults and load)."""
import concurrent.futures
import time

import requests

import labkit
from labkit.client import Client, get_token

THREADS, BOOTS = 8, 50
IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
BULK = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"     # 10.10.0.0/20: room for every server


def _worker(lab, index):
    client = Client(lab, "admin")       # the bulk network is the admin project's
    ids = []
    for n in range(BOOTS):
        resp = client.post("/servers", json={"server": {
            "name": f"load-{index}-{n}", "flavorRef": "42", "imageRef": IMAGE,
            "networks": [{"uuid": BULK}]}})
        assert resp.status_code == 202, resp.text
        ids.append(resp.json()["server"]["id"])
    return ids


def test_concurrent_boots_all_settle_with_unique_ids_and_ips():
    with labkit.start(computes=10, seed=21, exclusive=False, quota_instances=10**4,
                      quota_cores=10**5, quota_ram=10**8) as lab:
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            ids = [i for chunk in pool.map(lambda k: _worker(lab, k), range(THREADS))
                   for i in chunk]
        assert len(ids) == len(set(ids)) == THREADS * BOOTS
        admin = Client(lab, "admin")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            servers = admin.get("/servers/detail?all_tenants=1").json()["servers"]
            if len(servers) == len(ids) and all(s["status"] in ("ACTIVE", "ERROR")
                                                for s in servers):
                break
            time.sleep(0.2)
        by_status = {}
        for s in servers:
            by_status.setdefault(s["status"], []).append(s)
        assert set(by_status) <= {"ACTIVE", "ERROR"}, {k: len(v) for k, v in by_status.items()}
        assert {s["id"] for s in servers} == set(ids)
        # the bulk network has room for all: not one ERROR (the faults say why, if any)
        assert len(by_status.get("ACTIVE", [])) == len(ids), \
            [(s["name"], s["fault"]["message"]) for s in by_status.get("ERROR", [])][:5]
        ips = [a["addr"] for s in by_status["ACTIVE"] for a in s["addresses"]["bulk"]]
        assert len(ips) == len(set(ips)) == len(by_status["ACTIVE"])
        # placement's usage is exactly the sum of the flavors of the ACTIVE servers
        token = admin.token
        total = {"VCPU": 0, "MEMORY_MB": 0, "DISK_GB": 0}
        providers = requests.get(f"{lab.url('placement')}/resource_providers",
                                 headers={"X-Auth-Token": token}).json()["resource_providers"]
        for rp in providers:
            usages = requests.get(f"{lab.url('placement')}/resource_providers/{rp['uuid']}/usages",
                                  headers={"X-Auth-Token": token}).json()["usages"]
            for rc in total:
                total[rc] += usages.get(rc, 0)
        active = len(by_status["ACTIVE"])
        assert total == {"VCPU": active, "MEMORY_MB": 192 * active, "DISK_GB": active}


def test_projects_are_isolated(lab):
    demo, alt = Client(lab, "demo"), Client(lab, "alt_demo")
    server_id = demo.boot("mine", check=False)["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert alt.get(f"/servers/{server_id}").status_code == 404
    assert alt.server_action(server_id, {"shelve": None}).status_code == 404
    assert alt.send("DELETE", f"/servers/{server_id}").status_code == 404
    assert server_id not in [s["id"] for s in alt.get("/servers").json()["servers"]]
    everyone = alt.get("/servers?all_tenants=1").json()["servers"]     # not for a member
    assert server_id not in [s["id"] for s in everyone]


def test_list_filters_by_name_regex_and_status(lab):
    """``name`` is a regular expression and ``status`` a state, both applied in SQL."""
    demo = Client(lab, "demo")
    ids = [demo.boot(f"filt-{n}", check=False)["id"] for n in range(3)]
    for sid in ids:
        demo.wait_for(sid, "ACTIVE")
    demo.server_action(ids[0], {"shelve": None})
    demo.wait_for(ids[0], "SHELVED_OFFLOADED")

    def names(query):
        return sorted(s["name"] for s in demo.get(f"/servers?{query}").json()["servers"])
    assert names("name=^filt-[12]$") == ["filt-1", "filt-2"]
    assert names("name=^filt-&status=ACTIVE") == ["filt-1", "filt-2"]
    assert names("name=^filt-&status=SHELVED_OFFLOADED") == ["filt-0"]
    assert names("name=^filt-&status=NOSUCH") == []
    assert demo.get("/servers?name=(").status_code == 400
    for sid in ids:
        demo.send("DELETE", f"/servers/{sid}")


def test_admin_apis_are_for_admins(lab):
    demo, admin = Client(lab, "demo"), Client(lab, "admin")
    resp = demo.get("/os-hypervisors")
    assert resp.status_code == 403
    assert resp.json() == {"forbidden": {"code": 403, "message":
                           "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed."}}
    assert admin.get("/os-hypervisors").status_code == 200
    server_id = demo.boot("offload", check=False)["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = demo.server_action(server_id, {"shelveOffload": None})
    assert resp.status_code == 403


def test_expired_tokens_are_refused():
    with labkit.start(seed=22, exclusive=False, token_expiration=1) as lab:
        token, _ = get_token(lab)
        headers = {"X-Auth-Token": token}
        assert requests.get(lab.compute_url + "/servers", headers=headers).status_code == 200
        time.sleep(1.2)
        resp = requests.get(lab.compute_url + "/servers", headers=headers)
        assert resp.status_code == 401
        assert resp.json()["error"]["code"] == 401
        assert resp.headers["WWW-Authenticate"].startswith("Keystone uri=")
