"""Bad input gets nova's status and fault body, never a 500, and the lab keeps serving.

Modelled on tempest's negative compute tests (tempest/api/compute/servers/
test_servers_negative.py) and nova's API reference.
"""
import json

import pytest
import requests

import labkit

from labkit.client import Client

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
NET = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"


def _server(**extra):
    body = {"name": "bad", "imageRef": IMAGE, "flavorRef": "42"}
    body.update(extra)
    return {"server": body}


def _fault(resp, code, name=None):
    assert resp.status_code == code, resp.text
    body = resp.json()
    name = name or {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
                    409: "conflictingRequest", 406: "computeFault"}[code]
    assert list(body) == [name], body
    assert body[name]["code"] == code
    return body[name]["message"]


@pytest.fixture(scope="module")
def active(lab):
    client = Client(lab)
    server_id = client.boot("target", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


def test_no_and_bad_tokens_get_keystones_401(lab):
    for headers in ({}, {"X-Auth-Token": "not-a-token"}):
        resp = requests.get(lab.compute_url + "/servers", headers=headers, timeout=10)
        assert resp.status_code == 401
        assert resp.json() == {"error": {"code": 401, "title": "Unauthorized", "message":
                               "The request you have made requires authentication."}}


@pytest.mark.parametrize("data", [b"{not json", b'{"server": '])
def test_malformed_json(client, data):
    resp = client.post("/servers", data=data, headers={"Content-Type": "application/json"})
    assert _fault(resp, 400) == "Malformed request body"


@pytest.mark.parametrize("body,needle", [
    ([], "is not of type 'object'"),
    ({"server": "x"}, "is not of type 'object'"),
    ({"server": {}}, "'name' is a required property"),
    ({"server": {"name": "a", "imageRef": IMAGE}}, "'flavorRef' is a required property"),
    (_server(foo=1), "Additional properties are not allowed ('foo' was unexpected)"),
    ({"server": _server()["server"], "bar": 1}, "Additional properties are not allowed"),
    (_server(name="x" * 256), "is too long"),
    ({"server": {"name": "a", "imageRef": IMAGE}},
     "Invalid input for field/attribute server. Value: {'name': 'a', 'imageRef'"),
    (_server(name=""), "Invalid input for field/attribute name. Value: ."),
    (_server(name=" lead"), "does not match"),
    (_server(min_count=0), "Invalid input for field/attribute min_count"),
    (_server(min_count="abc"), "Invalid input for field/attribute min_count"),
    (_server(imageRef="not-a-uuid"), "Invalid input for field/attribute imageRef"),
    (_server(networks=[{"uuid": "nope"}]), "Invalid input for field/attribute"),
    (_server(metadata={"k": 1}), "Invalid input for field/attribute"),
])
def test_schema_errors(client, body, needle):
    message = _fault(client.post("/servers", json=body), 400)
    assert message.startswith("Invalid input for field/attribute"), message
    assert needle in message, message


@pytest.mark.parametrize("body,message", [
    (_server(flavorRef="999"), "Invalid flavorRef provided."),
    (_server(imageRef="00000000-0000-4000-8000-000000000000"), "Can not find requested image"),
    (_server(networks=[{"uuid": "00000000-0000-4000-8000-000000000000"}]),
     "Network 00000000-0000-4000-8000-000000000000 could not be found."),
    (_server(min_count=3, max_count=2), "min_count must be <= max_count"),
])
def test_unknown_references(client, body, message):
    assert _fault(client.post("/servers", json=body), 400) == message


def test_quota():
    with labkit.start(seed=31, exclusive=False, quota_instances=1) as small:
        c = Client(small)
        assert c.post("/servers", json=_server()).status_code == 202
        message = _fault(c.post("/servers", json=_server()), 403)
        assert message == ("Quota exceeded for instances: Requested 1, but already used 1 of 1 "
                           "instances")


def test_actions(client, active):
    assert _fault(client.server_action(active, {"nosuch": None}), 400) == "There is no such action: nosuch"
    assert _fault(client.server_action(active, {}), 400) == "Malformed request body"
    assert _fault(client.server_action(active, {"shelve": None, "lock": None}), 400) == \
        "Malformed request body"
    assert _fault(client.post(f"/servers/{active}/action", data=b"[1,"), 400) == \
        "Malformed request body"
    assert _fault(client.server_action(active, {"shelve": {"x": 1}}), 400).startswith("Invalid input")


def test_actions_in_the_wrong_state(lab, client):
    server_id = client.boot("states", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    assert _fault(client.server_action(server_id, {"unshelve": None}), 409) == \
        f"Cannot 'unshelve' instance {server_id} while it is in vm_state active"
    client.server_action(server_id, {"shelve": None})
    client.wait_for(server_id, "SHELVED_OFFLOADED")
    assert _fault(client.server_action(server_id, {"shelve": None}), 409) == \
        f"Cannot 'shelve' instance {server_id} while it is in vm_state shelved_offloaded"
    admin = Client(lab, "admin")
    assert _fault(admin.server_action(server_id, {"shelveOffload": None}), 409).startswith(
        f"Cannot 'shelveOffload' instance {server_id}")


def test_member_cannot_use_admin_actions(client, active):
    assert _fault(client.server_action(active, {"shelveOffload": None}), 403) == \
        "Policy doesn't allow os_compute_api:os-shelve:shelve_offload to be performed."


def test_another_projects_server_is_not_found(lab, active):
    alt = Client(lab, "alt_demo")
    for resp in (alt.get(f"/servers/{active}"), alt.server_action(active, {"lock": None}),
                 alt.send("DELETE", f"/servers/{active}")):
        assert _fault(resp, 404) == f"Instance {active} could not be found."


def test_unknown_server_and_odd_paths(client):
    assert _fault(client.get("/servers/00000000-0000-4000-8000-000000000000"), 404) == \
        "Instance 00000000-0000-4000-8000-000000000000 could not be found."
    for path in ("/nothing", "/servers/a/b/c", "/servers/%00", "/../../etc/passwd"):
        assert client.get(path).status_code == 404


def test_bad_list_paging_is_400(client, active):
    """servers.py:_get_servers: nova's messages for an unknown marker and a bad limit."""
    for path in ("/servers", "/servers/detail"):
        assert _fault(client.get(f"{path}?marker=nope"), 400) == "marker [nope] not found"
        assert _fault(client.get(f"{path}?limit=-1"), 400).startswith(
            "Invalid input for query parameters limit.")
    page = client.get(f"/servers?marker={active}").json()   # a marker past the last server
    assert active not in [s["id"] for s in page["servers"]]


def test_wrong_method_is_404_as_nova_answers(client):
    _fault(client.send("PATCH", "/servers"), 404)
    _fault(client.send("PUT", "/flavors/42"), 404)


@pytest.mark.parametrize("header,code", [("compute 2.200", 406), ("compute 3.0", 406),
                                         ("compute 2.x", 400), ("compute latest", 200)])
def test_microversions(lab, client, header, code):
    resp = client.get("/servers", headers={"OpenStack-API-Version": header})
    assert resp.status_code == code, resp.text
    if code == 406:
        assert "is not supported by the API. Minimum is 2.1 and maximum is" in \
            resp.json()["computeFault"]["message"]


def test_oversize_body_is_413(client):
    resp = client.post("/servers", json=_server(metadata={"k": "x" * 200_000}))
    assert resp.status_code == 413
    assert resp.json()["overLimit"]["code"] == 413


def test_lab_keeps_serving_after_all_that(client):
    server_id = client.boot("still-fine", check=False)["id"]
    client.wait_for(server_id, "ACTIVE")


def test_no_traceback_ever_reaches_a_client(lab, client):
    """Every response the lab sent (the bad input above, or some of it when run alone)."""
    client.post("/servers", data=b"{not json", headers={"Content-Type": "application/json"})
    client.get("/servers/a/b/c")
    responses = [e for e in lab.trace.events(kind="http") if e.get("phase") == "response"]
    assert len([e for e in responses if 400 <= e["status"] < 500]) >= 2, responses[-5:]
    for event in responses:
        assert event["status"] != 500, event
        assert "Traceback" not in json.dumps(event.get("payload"))


def test_several_possible_networks_is_network_ambiguous(lab):
    """As admin, private (shared), bulk and public (the admin project's own) all fit."""
    admin = Client(lab, "admin")
    resp = admin.post("/servers", json=_server())
    assert _fault(resp, 409) == "More than one possible network found. Specify network ID(s)."
    assert admin.post("/servers", json=_server(networks=[{"uuid": NET}])).status_code == 202
