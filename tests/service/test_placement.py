"""placement over real HTTP: providers, inventories, candidates, claims, concurrency.

Real placement behaviour these follow: placement/handlers/*.py and
placement/objects/*.py.  nova-compute registers its own providers in the
same lab, so every test makes ``test-*`` providers in an aggregate of its own
and asks for candidates with ``member_of`` that aggregate.
"""
import threading
import uuid

import pytest
import requests
from labkit.client import get_token

from labkit.common import schema as schema_cache

pytestmark = pytest.mark.lab

RESOURCES = "VCPU:1,MEMORY_MB:512,DISK_GB:1"


def token(lab, user):
    return get_token(lab, user)[0]


class Placement:
    """A tiny placement client for tests, as the admin at microversion 1.39."""

    def __init__(self, lab, user="admin", version="1.39"):
        self.base = lab.endpoints["placement"]
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = token(lab, user)
        self.session.headers["OpenStack-API-Version"] = f"placement {version}"
        self.aggregate = str(uuid.uuid4())
        self.providers = []

    def __call__(self, method, path, **kw):
        return self.session.request(method, self.base + path, **kw)

    def provider(self, name, vcpu=16, memory_mb=16384, disk_gb=200, ratio=4.0,
                 reserved_mb=512, traits=()):
        rp = self("POST", "/resource_providers", json={"name": name}).json()
        inventories = {"VCPU": {"total": vcpu, "allocation_ratio": ratio},
                       "MEMORY_MB": {"total": memory_mb, "reserved": reserved_mb},
                       "DISK_GB": {"total": disk_gb}}
        resp = self("PUT", f"/resource_providers/{rp['uuid']}/inventories",
                    json={"resource_provider_generation": 0, "inventories": inventories})
        assert resp.status_code == 200, resp.text
        generation = resp.json()["resource_provider_generation"]
        resp = self("PUT", f"/resource_providers/{rp['uuid']}/aggregates",
                    json={"aggregates": [self.aggregate],
                          "resource_provider_generation": generation})
        assert resp.status_code == 200, resp.text
        if traits:
            generation = resp.json()["resource_provider_generation"]
            resp = self("PUT", f"/resource_providers/{rp['uuid']}/traits",
                        json={"traits": list(traits), "resource_provider_generation": generation})
            assert resp.status_code == 200, resp.text
        self.providers.append(rp["uuid"])
        return rp["uuid"]

    def candidates(self, query=""):
        resp = self("GET", f"/allocation_candidates?resources={RESOURCES}"
                           f"&member_of={self.aggregate}{query}")
        assert resp.status_code == 200, resp.text
        return resp.json()

    def claim(self, consumer, rp, generation=None, **resources):
        return self("PUT", f"/allocations/{consumer}", json={
            "allocations": {rp: {"resources": resources}}, "project_id": "p1",
            "user_id": "u1", "consumer_generation": generation})

    def cleanup(self):
        for rp in self.providers:
            for consumer in self("GET", f"/resource_providers/{rp}/allocations").json().get(
                    "allocations", {}):
                self("DELETE", f"/allocations/{consumer}")
            self("DELETE", f"/resource_providers/{rp}")
        self.session.close()


@pytest.fixture
def placement(lab):
    client = Placement(lab)
    yield client
    client.cleanup()


def test_root_and_microversions(lab):
    base = lab.endpoints["placement"]
    root = requests.get(base + "/")
    assert root.status_code == 200
    assert root.json() == {"versions": [{"id": "v1.0", "max_version": "1.39",
                                         "min_version": "1.0", "status": "CURRENT",
                                         "links": [{"rel": "self", "href": ""}]}]}
    assert root.headers["OpenStack-API-Version"] == "placement 1.0"
    assert "openstack-api-version" in root.headers["Vary"]
    latest = requests.get(base + "/", headers={"OpenStack-API-Version": "placement latest"})
    assert latest.headers["OpenStack-API-Version"] == "placement 1.39"
    too_new = requests.get(base + "/", headers={"OpenStack-API-Version": "placement 1.99"})
    assert too_new.status_code == 406
    bad = requests.get(base + "/", headers={"OpenStack-API-Version": "placement one"})
    assert bad.status_code == 400


def test_policy_and_error_format(lab):
    member = Placement(lab, "demo")
    resp = member("GET", "/resource_providers")
    assert resp.status_code == 403
    (error,) = resp.json()["errors"]
    assert error["status"] == 403 and error["title"] == "Forbidden"
    assert error["code"] == "placement.undefined_code"
    assert error["request_id"] == resp.headers["x-openstack-request-id"]
    assert "placement:resource_providers:list" in error["detail"]
    assert requests.get(lab.endpoints["placement"] + "/resource_providers").status_code == 401


def test_provider_crud(lab, placement):
    old = Placement(lab, version="1.0")
    resp = old("POST", "/resource_providers", json={"name": "test-old"})
    assert resp.status_code == 201 and not resp.content
    rp = resp.headers["Location"].rsplit("/", 1)[1]
    placement.providers.append(rp)
    shown = placement("GET", f"/resource_providers/{rp}").json()
    assert shown["name"] == "test-old" and shown["generation"] == 0
    assert shown["root_provider_uuid"] == rp and shown["parent_provider_uuid"] is None
    new = placement("POST", "/resource_providers", json={"name": "test-new"})
    assert new.status_code == 200 and new.json()["name"] == "test-new"
    placement.providers.append(new.json()["uuid"])
    dup = placement("POST", "/resource_providers", json={"name": "test-new"})
    assert dup.status_code == 409 and dup.json()["errors"][0]["code"] == "placement.duplicate_name"
    renamed = placement("PUT", f"/resource_providers/{rp}", json={"name": "test-renamed"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "test-renamed"
    names = [p["name"] for p in placement("GET", "/resource_providers?name=test-renamed")
             .json()["resource_providers"]]
    assert names == ["test-renamed"]
    assert placement("DELETE", f"/resource_providers/{rp}").status_code == 204
    missing = placement("GET", f"/resource_providers/{rp}")
    assert missing.status_code == 404
    old.session.close()


def test_inventory_and_generation(placement):
    rp = placement.provider("test-inv")
    inv = placement("GET", f"/resource_providers/{rp}/inventories").json()
    assert inv["inventories"]["VCPU"] == {"total": 16, "reserved": 0, "min_unit": 1,
                                          "max_unit": 2147483647, "step_size": 1,
                                          "allocation_ratio": 4.0}
    stale = placement("PUT", f"/resource_providers/{rp}/inventories",
                      json={"resource_provider_generation": 0,
                            "inventories": {"VCPU": {"total": 1}}})
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "placement.concurrent_update"
    unknown = placement("PUT", f"/resource_providers/{rp}/inventories",
                        json={"resource_provider_generation": inv["resource_provider_generation"],
                              "inventories": {"FOO": {"total": 1}}})
    assert unknown.status_code == 400
    usages = placement("GET", f"/resource_providers/{rp}/usages").json()["usages"]
    assert usages == {"VCPU": 0, "MEMORY_MB": 0, "DISK_GB": 0}


def test_allocation_candidates(placement):
    a = placement.provider("test-a", vcpu=4, memory_mb=2048)
    placement.provider("test-b", vcpu=1, memory_mb=768)      # 256 MB free after reserve
    c = placement.provider("test-c", vcpu=8, traits=["HW_CPU_X86_AVX"])
    placement.provider("test-d", traits=["COMPUTE_STATUS_DISABLED"])
    body = placement.candidates("&limit=1000&root_required=!COMPUTE_STATUS_DISABLED")
    assert [list(r["allocations"]) for r in body["allocation_requests"]] == [[a], [c]]
    assert body["allocation_requests"][0]["allocations"][a] == {
        "resources": {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}}
    assert set(body["provider_summaries"]) == {a, c}
    summary = body["provider_summaries"][a]
    assert summary["resources"] == {"VCPU": {"capacity": 16, "used": 0},
                                    "MEMORY_MB": {"capacity": 1536, "used": 0},
                                    "DISK_GB": {"capacity": 200, "used": 0}}
    assert summary["root_provider_uuid"] == a and summary["parent_provider_uuid"] is None
    assert body["provider_summaries"][c]["traits"] == ["HW_CPU_X86_AVX"]
    assert len(placement.candidates("&root_required=!COMPUTE_STATUS_DISABLED&limit=1")
               ["allocation_requests"]) == 1
    avx = placement.candidates("&required=HW_CPU_X86_AVX")
    assert list(avx["provider_summaries"]) == [c]
    assert len(placement.candidates()["allocation_requests"]) == 3     # test-d counts again
    bad = placement("GET", "/allocation_candidates?resources=VCPU:0")
    assert bad.status_code == 400


def test_claim_conflicts_and_delete(placement):
    rp = placement.provider("test-claim", vcpu=2, ratio=1.0)
    consumer = str(uuid.uuid4())
    assert placement.claim(consumer, rp, VCPU=1, MEMORY_MB=512).status_code == 204
    allocs = placement("GET", f"/allocations/{consumer}").json()
    assert allocs["allocations"][rp]["resources"] == {"VCPU": 1, "MEMORY_MB": 512}
    assert allocs["consumer_generation"] == 1 and allocs["project_id"] == "p1"
    stale = placement.claim(consumer, rp, VCPU=2)
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "placement.concurrent_update"
    over = placement.claim(str(uuid.uuid4()), rp, VCPU=2)
    assert over.status_code == 409
    (error,) = over.json()["errors"]
    assert "Unable to allocate inventory" in error["detail"]
    assert error["code"] == "placement.undefined_code" and error["title"] == "Conflict"
    summary = placement.candidates()["provider_summaries"][rp]
    assert summary["resources"]["VCPU"] == {"capacity": 2, "used": 1}
    usages = placement("GET", "/usages?project_id=p1").json()["usages"]
    assert usages["VCPU"] >= 1
    in_use = placement("DELETE", f"/resource_providers/{rp}")
    assert in_use.status_code == 409
    assert placement("DELETE", f"/allocations/{consumer}").status_code == 204
    assert placement("DELETE", f"/allocations/{consumer}").status_code == 404
    assert placement("GET", f"/allocations/{consumer}").json() == {"allocations": {}}


def test_concurrent_claims_never_over_allocate(lab, placement):
    rp = placement.provider("test-race", vcpu=5, ratio=1.0)
    results, lock = [], threading.Lock()

    def worker():
        client = Placement(lab)
        for _ in range(2):
            status = client.claim(str(uuid.uuid4()), rp, VCPU=1).status_code
            with lock:
                results.append(status)
        client.session.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [204] * 5 + [409] * 11
    usages = placement("GET", f"/resource_providers/{rp}/usages").json()["usages"]
    assert usages["VCPU"] == 5


def test_traits_and_resource_classes(placement):
    traits = placement("GET", "/traits?name=startswith:COMPUTE_STATUS").json()["traits"]
    assert traits == ["COMPUTE_STATUS_DISABLED"]
    assert placement("PUT", "/traits/CUSTOM_LAB").status_code == 201      # created
    assert placement("PUT", "/traits/CUSTOM_LAB").status_code == 204      # already there
    assert placement("PUT", "/traits/NOT_CUSTOM").status_code == 400
    classes = [c["name"] for c in placement("GET", "/resource_classes").json()["resource_classes"]]
    assert classes[:3] == ["VCPU", "MEMORY_MB", "DISK_GB"]
    rp = placement.provider("test-traits")
    generation = placement("GET", f"/resource_providers/{rp}").json()["generation"]
    bad = placement("PUT", f"/resource_providers/{rp}/traits",
                    json={"traits": ["NO_SUCH_TRAIT"], "resource_provider_generation": generation})
    assert bad.status_code == 400


def test_placement_hops_in_trace(lab, placement):
    resp = placement("GET", "/resource_providers")
    rid = resp.headers["x-openstack-request-id"]
    events = lab.trace.events(request_id=rid, kind="http")
    assert (events[0]["src"], events[0]["dst"]) == ("client", "placement")
    assert events[-1]["status"] == 200


def test_post_allocations_moves_a_claim_with_a_schema_built_once(placement):
    """POST /allocations (1.13): one consumer emptied and another filled in one request,
    as nova moves a server's claim to its migration.  Its schema is placement's static
    data (placement/schemas/allocation.py:POST_ALLOCATIONS_V1_28), built once per
    microversion: the validator cache stays the same size however many moves go by."""
    rp = placement.provider("test-move", vcpu=4, ratio=1.0)
    instance, migration = str(uuid.uuid4()), str(uuid.uuid4())
    assert placement.claim(instance, rp, VCPU=2).status_code == 204

    def move(src, dst):
        generations = {c: placement("GET", f"/allocations/{c}").json().get(
            "consumer_generation") for c in (src, dst)}
        return placement("POST", "/allocations", json={
            src: {"allocations": {}, "project_id": "p1", "user_id": "u1",
                  "consumer_generation": generations[src]},
            dst: {"allocations": {rp: {"resources": {"VCPU": 2}}}, "project_id": "p1",
                  "user_id": "u1", "consumer_generation": generations[dst]}})

    assert move(instance, migration).status_code == 204
    validators = len(schema_cache._CACHE)
    for src, dst in [(migration, instance), (instance, migration)] * 3:
        assert move(src, dst).status_code == 204
    assert len(schema_cache._CACHE) == validators
    allocations = placement("GET", f"/allocations/{migration}").json()["allocations"]
    assert allocations[rp]["resources"] == {"VCPU": 2}
    assert placement("GET", f"/allocations/{instance}").json() == {"allocations": {}}
    # the same schema still refuses what it refused: from 1.28 each consumer's generation
    resp = placement("POST", "/allocations", json={instance: {
        "allocations": {}, "project_id": "p1", "user_id": "u1"}})
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["detail"].endswith(
        "JSON does not validate: 'consumer_generation' is a required property  ")
