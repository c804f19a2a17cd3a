"""glance images v2 over real HTTP: discovery, list filters, visibility, create/upload/delete.

Real glance behaviour these follow: glance/api/v2/images.py, glance/api/versions.py.
"""
import hashlib

import pytest
import requests
from labkit.client import get_token

pytestmark = pytest.mark.lab

CIRROS = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
ADMIN_PROJECT = "d7beb7f28e0b4f41901215000339361d"


def token(lab, user):
    return get_token(lab, user)[0]


@pytest.fixture
def glance(lab):
    """(base url, {user: auth headers}) for admin, demo and alt_demo."""
    return lab.endpoints["glance"], {u: {"X-Auth-Token": token(lab, u)}
                                     for u in ("admin", "demo", "alt_demo")}


@pytest.fixture(autouse=True)
def _delete_new_images(lab):
    """The lab is shared by this module: remove what each test created."""
    yield
    base, headers = lab.endpoints["glance"], {"X-Auth-Token": token(lab, "admin")}
    patch = dict(headers, **{"Content-Type": "application/openstack-images-v2.1-json-patch"})
    for image in requests.get(base + "/v2/images?visibility=all&limit=1000",
                              headers=headers).json()["images"]:
        if image["id"] != CIRROS:
            if image["protected"]:
                requests.patch(f"{base}/v2/images/{image['id']}", headers=patch,
                               json=[{"op": "replace", "path": "/protected", "value": False}])
            requests.delete(f"{base}/v2/images/{image['id']}", headers=headers)


def create(base, headers, **fields):
    resp = requests.post(base + "/v2/images", headers=headers, json=fields)
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_versions(lab):
    base = lab.endpoints["glance"]
    root = requests.get(base + "/", allow_redirects=False)
    assert root.status_code == 300
    versions = requests.get(base + "/versions")
    assert versions.status_code == 200
    first = versions.json()["versions"][0]
    assert first == {"id": "v2.16", "status": "CURRENT",
                     "links": [{"rel": "self", "href": base + "/v2/"}]}
    assert all(v["status"] == "SUPPORTED" for v in versions.json()["versions"][1:])
    assert root.json() == versions.json()


def test_list_show_and_filters(glance):
    base, users = glance
    listing = requests.get(base + "/v2/images", headers=users["demo"])
    assert listing.status_code == 200
    body = listing.json()
    assert body["schema"] == "/v2/schemas/images" and body["first"] == "/v2/images"
    (cirros,) = body["images"]
    assert cirros["id"] == CIRROS and cirros["status"] == "active"
    assert cirros["owner"] == ADMIN_PROJECT and cirros["visibility"] == "public"
    assert cirros["os_distro"] == "cirros" and cirros["hw_rng_model"] == "virtio"
    assert cirros["self"] == f"/v2/images/{CIRROS}" and cirros["file"].endswith("/file")
    assert cirros["created_at"].endswith("Z")
    for query, count in (("?name=cirros-0.6.2-x86_64-disk", 1), ("?name=cirros", 0),
                         (f"?id=in:{CIRROS},nope", 1), ("?status=queued", 0),
                         ("?visibility=public", 1), ("?visibility=private", 0),
                         (f"?owner={ADMIN_PROJECT}", 1), ("?unknown=ignored", 1)):
        resp = requests.get(base + "/v2/images" + query, headers=users["demo"])
        assert resp.status_code == 200 and len(resp.json()["images"]) == count, query
    shown = requests.get(f"{base}/v2/images/{CIRROS}", headers=users["demo"])
    assert shown.json() == cirros
    by_name = requests.get(base + "/v2/images/cirros", headers=users["demo"])
    assert by_name.status_code == 404 and by_name.json()["code"] == 404


def test_pagination(glance):
    base, users = glance
    for n in range(3):
        create(base, users["demo"], name=f"img-{n}", disk_format="raw", container_format="bare")
    page = requests.get(base + "/v2/images?limit=2&sort_key=name&sort_dir=asc",
                        headers=users["demo"]).json()
    assert [i["name"] for i in page["images"]] == ["cirros-0.6.2-x86_64-disk", "img-0"]
    rest = requests.get(base + page["next"], headers=users["demo"]).json()
    assert [i["name"] for i in rest["images"]] == ["img-1", "img-2"]
    assert requests.get(base + "/v2/images?sort_key=bogus",
                        headers=users["demo"]).status_code == 400


def test_create_upload_download_delete(glance):
    base, users = glance
    image = create(base, users["admin"], name="vm1-shelved", disk_format="qcow2",
                   container_format="bare", visibility="private", image_type="snapshot",
                   instance_uuid="0f0e0d0c-0b0a-4908-8706-050403020100")
    assert image["status"] == "queued" and image["size"] is None
    assert image["owner"] == ADMIN_PROJECT and image["image_type"] == "snapshot"
    data = b"fake disk bytes" * 100
    url = f"{base}/v2/images/{image['id']}"
    upload = requests.put(url + "/file", data=data, headers=dict(
        users["admin"], **{"Content-Type": "application/octet-stream"}))
    assert upload.status_code == 204
    shown = requests.get(url, headers=users["admin"]).json()
    assert shown["status"] == "active" and shown["size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert shown["os_hash_algo"] == "sha512"
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    again = requests.put(url + "/file", data=data, headers=dict(
        users["admin"], **{"Content-Type": "application/octet-stream"}))
    assert again.status_code == 409
    download = requests.get(url + "/file", headers=users["admin"])
    assert download.status_code == 200 and download.content == data
    patch = requests.patch(url, headers=dict(
        users["admin"], **{"Content-Type": "application/openstack-images-v2.1-json-patch"}),
        json=[{"op": "replace", "path": "/name", "value": "renamed"},
              {"op": "add", "path": "/note", "value": "x"}])
    assert patch.status_code == 200
    assert patch.json()["name"] == "renamed" and patch.json()["note"] == "x"
    assert requests.delete(url, headers=users["admin"]).status_code == 204
    assert requests.get(url, headers=users["admin"]).status_code == 404
    assert requests.delete(url, headers=users["admin"]).status_code == 404


def test_visibility_across_projects(glance):
    base, users = glance
    private = create(base, users["admin"], name="admin-private", visibility="private")
    shared = create(base, users["demo"], name="demo-default")
    assert shared["visibility"] == "shared"
    url = f"{base}/v2/images/{private['id']}"
    assert requests.get(url, headers=users["demo"]).status_code == 404
    demo_list = {i["name"] for i in requests.get(base + "/v2/images",
                                                 headers=users["demo"]).json()["images"]}
    assert demo_list == {"cirros-0.6.2-x86_64-disk", "demo-default"}
    alt_list = {i["name"] for i in requests.get(base + "/v2/images",
                                                headers=users["alt_demo"]).json()["images"]}
    assert alt_list == {"cirros-0.6.2-x86_64-disk"}
    admin_list = {i["name"] for i in requests.get(base + "/v2/images",
                                                  headers=users["admin"]).json()["images"]}
    assert {"admin-private", "demo-default"} <= admin_list
    assert requests.delete(url, headers=users["demo"]).status_code == 404
    cirros = f"{base}/v2/images/{CIRROS}"
    assert requests.delete(cirros, headers=users["demo"]).status_code == 403


def test_create_errors(glance):
    base, users = glance
    for body, status in (({"name": "x", "status": "active"}, 403),
                         ({"name": "x", "disk_format": "floppy"}, 400),
                         ({"name": "x", "visibility": "public"}, 403),
                         ({"name": "x", "min_ram": "lots"}, 400),
                         ({"name": "x", "extra": 5}, 400)):
        resp = requests.post(base + "/v2/images", headers=users["demo"], json=body)
        assert resp.status_code == status, body
        assert resp.json()["code"] == status
    protected = create(base, users["admin"], name="keep", protected=True)
    resp = requests.delete(f"{base}/v2/images/{protected['id']}", headers=users["admin"])
    assert resp.status_code == 403


def test_schemas(glance):
    base, users = glance
    image = requests.get(base + "/v2/schemas/image", headers=users["demo"]).json()
    assert image["name"] == "image" and "disk_format" in image["properties"]
    images = requests.get(base + "/v2/schemas/images", headers=users["demo"]).json()
    assert images["name"] == "images"


def test_trace_records_glance_hops(lab, glance):
    base, users = glance
    resp = requests.get(base + "/v2/images", headers=users["demo"])
    rid = resp.headers["x-openstack-request-id"]
    events = lab.trace.events(request_id=rid, kind="http")
    assert [(e["src"], e["dst"], e["phase"]) for e in events][0] == ("client", "glance",
                                                                     "request")
    assert events[-1]["status"] == 200 and events[-1]["dst"] == "client"
