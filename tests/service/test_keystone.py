"""keystone over real HTTP: discovery, v3 and v2.0 tokens, validation, expiry, AuthProtocol.

Real keystone behaviour these follow: keystone/api/auth.py, keystone/api/discovery.py,
keystonemiddleware/auth_token; the client needs are /work/shared/reference/client-surface.md.
"""
import json
import re
import time

import pytest
import requests

import labkit

pytestmark = pytest.mark.lab

UNAUTHORIZED = {"error": {"code": 401, "title": "Unauthorized",
                          "message": "The request you have made requires authentication."}}
ZTIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def password_auth(user="demo", password="secret", project=None, scoped=True):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"name": "Default"}, "password": password}}}}}
    if scoped:
        body["auth"]["scope"] = {"project": {"name": project or user,
                                             "domain": {"name": "Default"}}}
    return body


def issue(lab, user="demo", **kw):
    resp = requests.post(lab.auth_url + "/auth/tokens", json=password_auth(user, **kw))
    assert resp.status_code == 201, resp.text
    return resp.headers["X-Subject-Token"], resp.json()["token"]


def test_discovery(lab):
    base = lab.endpoints["keystone"]
    root = requests.get(base + "/", allow_redirects=False)
    assert root.status_code == 300
    assert root.headers["Location"] == base + "/v3/"
    (v3,) = root.json()["versions"]["values"]
    assert v3["id"] == "v3.14" and v3["status"] == "stable"
    assert v3["links"] == [{"rel": "self", "href": base + "/v3/"}]
    for path in ("/v3", "/v3/"):
        resp = requests.get(base + path)
        assert resp.status_code == 200 and resp.json() == {"version": v3}
    v2 = requests.get(base + "/v2.0").json()["version"]
    assert v2["id"] == "v2.0" and v2["status"] == "deprecated"


def test_issue_project_token(lab):
    resp = requests.post(lab.auth_url + "/auth/tokens", json=password_auth())
    assert resp.status_code == 201
    assert resp.headers["Vary"] == "X-Auth-Token"
    assert len(resp.headers["X-Subject-Token"]) > 100
    token = resp.json()["token"]
    assert "id" not in token
    assert token["methods"] == ["password"]
    assert ZTIME.match(token["expires_at"]) and ZTIME.match(token["issued_at"])
    assert token["user"]["name"] == "demo"
    assert token["user"]["domain"] == {"id": "default", "name": "Default"}
    assert token["project"] == {"id": "5f1c0a4e6a8a4a7b9d2e3c4b5a697881", "name": "demo",
                                "domain": {"id": "default", "name": "Default"}}
    assert token["is_domain"] is False
    assert {r["name"] for r in token["roles"]} == {"member", "reader"}
    assert len(token["audit_ids"]) == 1
    catalog = {s["type"]: s for s in token["catalog"]}
    assert set(catalog) == {"identity", "compute", "image", "network", "placement"}
    assert catalog["compute"]["name"] == "nova"
    for service in catalog.values():
        assert {e["interface"] for e in service["endpoints"]} == {"public", "internal", "admin"}
        assert all(e["region"] == "RegionOne" for e in service["endpoints"])
    public = {t: next(e["url"] for e in s["endpoints"] if e["interface"] == "public")
              for t, s in catalog.items()}
    assert public == {"identity": lab.auth_url, "compute": lab.compute_url,
                      "image": lab.endpoints["glance"], "network": lab.endpoints["neutron"],
                      "placement": lab.endpoints["placement"]}


def test_nocatalog_unscoped_and_ids(lab):
    resp = requests.post(lab.auth_url + "/auth/tokens?nocatalog", json=password_auth())
    assert resp.status_code == 201 and "catalog" not in resp.json()["token"]
    _, unscoped = issue(lab, scoped=False)
    assert "project" not in unscoped and "catalog" not in unscoped
    by_id = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "id": "7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2", "password": "secret"}}},
        "scope": {"project": {"id": "5f1c0a4e6a8a4a7b9d2e3c4b5a697881"}}}}
    resp = requests.post(lab.auth_url + "/auth/tokens", json=by_id)
    assert resp.status_code == 201 and resp.json()["token"]["project"]["name"] == "demo"


@pytest.mark.parametrize("body", [
    password_auth(password="wrong"),
    password_auth(user="nobody"),
    password_auth(project="no-such-project"),
    password_auth(user="demo", project="admin"),        # no role there
])
def test_bad_credentials_401(lab, body):
    resp = requests.post(lab.auth_url + "/auth/tokens", json=body)
    assert resp.status_code == 401
    assert resp.json() == UNAUTHORIZED


@pytest.mark.parametrize("data", ["{not json", json.dumps({"auth": {}}), json.dumps({}),
                                  json.dumps({"auth": {"identity": {"methods": "password"}}})])
def test_malformed_400(lab, data):
    resp = requests.post(lab.auth_url + "/auth/tokens", data=data,
                         headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == 400 and error["title"] == "Bad Request" and error["message"]


def test_validate_check_and_revoke(lab):
    admin, _ = issue(lab, "admin")
    demo, demo_body = issue(lab, "demo")
    url = lab.auth_url + "/auth/tokens"
    resp = requests.get(url, headers={"X-Auth-Token": admin, "X-Subject-Token": demo})
    assert resp.status_code == 200
    assert resp.headers["X-Subject-Token"] == demo
    assert resp.json()["token"]["user"] == demo_body["user"]
    assert resp.json()["token"]["expires_at"] == demo_body["expires_at"]
    head = requests.head(url, headers={"X-Auth-Token": admin, "X-Subject-Token": demo})
    assert head.status_code == 200 and not head.content
    bad_caller = requests.get(url, headers={"X-Auth-Token": "nope", "X-Subject-Token": demo})
    assert bad_caller.status_code == 401 and bad_caller.json() == UNAUTHORIZED
    other, _ = issue(lab, "alt_demo")
    forbidden = requests.get(url, headers={"X-Auth-Token": other, "X-Subject-Token": demo})
    assert forbidden.status_code == 403
    resp = requests.delete(url, headers={"X-Auth-Token": demo, "X-Subject-Token": demo})
    assert resp.status_code == 204
    gone = requests.get(url, headers={"X-Auth-Token": admin, "X-Subject-Token": demo})
    assert gone.status_code == 404
    assert gone.json() == {"error": {"code": 404, "title": "Not Found",
                                     "message": f"Could not find token: {demo}."}}


def test_rescope_with_token_method(lab):
    unscoped = requests.post(lab.auth_url + "/auth/tokens",
                             json=password_auth(scoped=False)).headers["X-Subject-Token"]
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": unscoped}},
                     "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}
    resp = requests.post(lab.auth_url + "/auth/tokens", json=body)
    assert resp.status_code == 201
    token = resp.json()["token"]
    assert token["project"]["name"] == "demo" and "token" in token["methods"]
    assert len(token["audit_ids"]) == 2


def test_v2_tokens(lab):
    base = lab.endpoints["keystone"]
    body = {"auth": {"passwordCredentials": {"username": "admin", "password": "secret"},
                     "tenantName": "admin"}}
    resp = requests.post(base + "/v2.0/tokens", json=body)
    assert resp.status_code == 200
    access = resp.json()["access"]
    tenant_id = "d7beb7f28e0b4f41901215000339361d"
    assert access["token"]["tenant"] == {"id": tenant_id, "name": "admin", "enabled": True,
                                         "description": None}
    assert access["token"]["expires"].endswith("Z") and access["token"]["id"]
    assert access["user"]["name"] == access["user"]["username"] == "admin"
    assert {"name": "admin"} in access["user"]["roles"]
    assert access["metadata"]["is_admin"] == 0
    compute = next(s for s in access["serviceCatalog"] if s["type"] == "compute")
    (endpoint,) = compute["endpoints"]
    assert endpoint["publicURL"] == f"{lab.endpoints['nova-api']}/v2/{tenant_id}"
    assert endpoint["region"] == "RegionOne"
    # the v2 token works against the v3 API too: it is the same token
    check = requests.get(lab.auth_url + "/auth/tokens",
                         headers={"X-Auth-Token": access["token"]["id"],
                                  "X-Subject-Token": access["token"]["id"]})
    assert check.status_code == 200
    body["auth"]["passwordCredentials"]["password"] = "wrong"
    resp = requests.post(base + "/v2.0/tokens", json=body)
    assert resp.status_code == 401 and resp.json() == UNAUTHORIZED


def test_project_lists_and_catalog(lab):
    admin, _ = issue(lab, "admin")
    demo, body = issue(lab, "demo")
    names = [p["name"] for p in requests.get(lab.auth_url + "/projects",
                                             headers={"X-Auth-Token": admin}).json()["projects"]]
    assert names == ["admin", "alt_demo", "demo", "service"]
    assert requests.get(lab.auth_url + "/projects",
                        headers={"X-Auth-Token": demo}).status_code == 403
    mine = requests.get(lab.auth_url + "/auth/projects", headers={"X-Auth-Token": demo}).json()
    assert [p["name"] for p in mine["projects"]] == ["demo"]
    user_id = body["user"]["id"]
    resp = requests.get(f"{lab.auth_url}/users/{user_id}/projects", headers={"X-Auth-Token": demo})
    assert [p["name"] for p in resp.json()["projects"]] == ["demo"]
    catalog = requests.get(lab.auth_url + "/auth/catalog", headers={"X-Auth-Token": demo})
    assert catalog.status_code == 200 and len(catalog.json()["catalog"]) == 5
    assert requests.get(lab.auth_url + "/projects").status_code == 401


def test_users_and_role_assignments_for_an_admin(lab):
    """GET /v3/users (by name), /v3/users/{id} and /v3/role_assignments: what the CLI's
    ``keypair list --user NAME`` and ``--project NAME`` ask keystone."""
    admin, _ = issue(lab, "admin")
    demo, body = issue(lab, "demo")
    demo_id, project_id = body["user"]["id"], body["project"]["id"]
    as_admin = {"X-Auth-Token": admin}
    found = requests.get(lab.auth_url + "/users?name=demo", headers=as_admin).json()["users"]
    assert [(u["id"], u["domain_id"], u["enabled"]) for u in found] == [
        (demo_id, "default", True)]
    assert found[0]["links"]["self"] == f"{lab.auth_url}/users/{demo_id}"
    every = requests.get(lab.auth_url + "/users", headers=as_admin).json()["users"]
    assert {"admin", "demo", "alt_demo", "nova"} <= {u["name"] for u in every}
    for token in (admin, demo):                               # an admin, or the user
        shown = requests.get(f"{lab.auth_url}/users/{demo_id}", headers={"X-Auth-Token": token})
        assert shown.status_code == 200 and shown.json()["user"]["name"] == "demo"
    other = requests.get(f"{lab.auth_url}/users/{every[0]['id']}", headers={"X-Auth-Token": demo})
    assert other.status_code == 403
    assert requests.get(lab.auth_url + "/users/demo", headers=as_admin).json() == {"error": {
        "code": 404, "title": "Not Found", "message": "Could not find user: demo."}}
    assert requests.get(lab.auth_url + "/users", headers={"X-Auth-Token": demo}).status_code \
        == 403
    assignments = requests.get(f"{lab.auth_url}/role_assignments?scope.project.id={project_id}",
                               headers=as_admin).json()["role_assignments"]
    assert {a["user"]["id"] for a in assignments} == {demo_id}
    roles = {r["id"] for r in body["roles"]}
    assert {a["role"]["id"] for a in assignments} == roles
    assert {a["scope"]["project"]["id"] for a in assignments} == {project_id}
    assert requests.get(f"{lab.auth_url}/role_assignments?user.id={demo_id}&scope.domain.id="
                        "default", headers=as_admin).json()["role_assignments"] == []
    assert requests.get(lab.auth_url + "/role_assignments",
                        headers={"X-Auth-Token": demo}).status_code == 403


API_PATHS = {"glance": "/v2/images", "neutron": "/v2.0/networks",
             "placement": "/resource_providers", "nova-api": "/v2.1/servers"}


@pytest.mark.parametrize("node", sorted(API_PATHS))
def test_auth_protocol_rejects(lab, node):
    url = lab.endpoints[node] + API_PATHS[node]
    for headers in ({}, {"X-Auth-Token": "not-a-token"}):
        resp = requests.get(url, headers=headers)
        assert resp.status_code == 401
        assert resp.json() == UNAUTHORIZED
        assert resp.headers["WWW-Authenticate"] == f'Keystone uri="{lab.endpoints["keystone"]}"'


def test_auth_protocol_validates_over_http_and_caches(lab):
    token, _ = issue(lab, "admin")
    since = lab.trace.last_seq()
    first = requests.get(lab.endpoints["glance"] + "/v2/images", headers={"X-Auth-Token": token})
    second = requests.get(lab.endpoints["glance"] + "/v2/images", headers={"X-Auth-Token": token})
    assert first.status_code == second.status_code == 200
    rid = first.headers["x-openstack-request-id"]
    hops = [(e["src"], e["dst"], e["name"]) for e in lab.trace.events(request_id=rid, kind="http")
            if e["phase"] == "request"]
    assert hops[0] == ("client", "glance", "GET /v2/images")
    assert ("glance", "keystone", "GET /v3/auth/tokens") in hops
    rid2 = second.headers["x-openstack-request-id"]
    assert [(e["src"], e["dst"]) for e in lab.trace.events(request_id=rid2)
            if e["phase"] == "request"] == [("client", "glance")]
    dump = json.dumps(lab.trace.events(since=since))
    assert token not in dump


def test_trace_redacts_passwords_and_tokens(lab):
    token, _ = issue(lab, "demo")
    requests.get(lab.endpoints["neutron"] + "/v2.0/networks", headers={"X-Auth-Token": token})
    events = lab.trace.events(kind="http")
    posts = [e for e in events if e["name"] == "POST /v3/auth/tokens" and e["phase"] == "request"]
    assert posts and all(e["src"] and e["dst"] == "keystone" for e in posts)
    dump = json.dumps(events)
    assert '"secret"' not in dump
    assert token not in dump


def test_token_expiry():
    lab = labkit.start(seed=1, token_expiration=1, exclusive=False)
    try:
        token, body = issue(lab, "admin")
        ok = requests.get(lab.endpoints["glance"] + "/v2/images", headers={"X-Auth-Token": token})
        assert ok.status_code == 200
        time.sleep(1.1)
        expired = requests.get(lab.auth_url + "/auth/tokens",
                               headers={"X-Auth-Token": token, "X-Subject-Token": token})
        assert expired.status_code == 401
        for node in ("glance", "neutron", "placement"):
            resp = requests.get(lab.endpoints[node] + API_PATHS[node],
                                headers={"X-Auth-Token": token})
            assert resp.status_code == 401, node      # the middleware cache stops at expires_at
            rid = resp.headers["x-openstack-request-id"]
            asked = [e["status"] for e in lab.trace.events(request_id=rid, kind="http")
                     if e["phase"] == "response" and e["name"] == "GET /v3/auth/tokens"]
            # glance cached the token's data and refuses it locally, as keystonemiddleware's
            # _validate_token does; neutron and placement never saw it and ask keystone (404)
            assert asked == ([] if node == "glance" else [404]), node
        fresh, _ = issue(lab, "admin")
        resp = requests.get(lab.auth_url + "/auth/tokens",
                            headers={"X-Auth-Token": fresh, "X-Subject-Token": token})
        assert resp.status_code == 404
    finally:
        lab.stop()
