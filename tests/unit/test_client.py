"""labkit.client: one client for notebooks, tests and benchmarks, against a real lab."""
import pytest

import labkit
from labkit.client import Client, ClientError, fault, get_token

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab():
    with labkit.start(seed=1, exclusive=False) as running:
        yield running


def test_built_from_a_keystone_url_and_a_password_it_needs_no_lab(lab):
    c = lab.credentials("demo")
    client = Client(auth_url=lab.auth_url, user="demo", password=c["password"],
                    project=c["project_name"])
    server = client.boot("by-url", check=False)          # glance's cirros, found by name
    assert server["id"] and client.wait(server["id"], "ACTIVE")["name"] == "by-url"
    assert client.project_id == Client(lab).project_id
    client.delete(server["id"])


def test_a_wrong_password_is_keystones_401(lab):
    client = Client(auth_url=lab.auth_url, user="demo", password="not-it")
    with pytest.raises(ClientError) as refused:
        client.authenticate()
    assert refused.value.status == 401


def test_the_token_is_fetched_on_first_use_and_get_token_gives_it_with_its_body(lab):
    client = Client(lab)
    assert client._token is None                          # nothing sent yet
    assert client.token_body["user"]["name"] == "demo" and client.token
    token, body = get_token(lab, "admin")
    assert body["user"]["name"] == "admin" and token != client.token


def test_the_raw_wire_answers_whatever_the_status_and_fault_reads_it(lab):
    client = Client(lab)
    missing = client.get("/servers/no-such-server")
    assert missing.status_code == 404
    assert fault(missing, 404) == "Instance no-such-server could not be found."
    with pytest.raises(AssertionError):
        fault(missing, 400)
    with pytest.raises(ClientError) as raised:                # the named calls raise
        client.show("no-such-server")
    assert raised.value.status == 404 and raised.value.message == fault(missing, 404)


def test_the_raw_wire_takes_whole_urls_and_headers_over_the_clients_own(lab):
    admin = Client(lab, "admin", microversion="2.1")
    providers = admin.get(f"{lab.url('placement')}/resource_providers")
    assert providers.status_code == 200 and providers.json()["resource_providers"]
    at_253 = admin.get("/os-services", headers={"OpenStack-API-Version": "compute 2.53"})
    assert at_253.headers["OpenStack-API-Version"] == "compute 2.53"
    assert admin.get("/os-services").headers["OpenStack-API-Version"] == "compute 2.1"


def test_wait_for_gives_the_states_a_server_went_through_and_waits_for_deleted(lab):
    client = Client(lab)
    server_id = client.boot_active("states")
    resp = client.server_action(server_id, {"shelve": None})
    assert resp.status_code == 202 and not resp.content
    server, seen = client.wait_for(server_id, "SHELVED_OFFLOADED", timeout=60)
    assert server["status"] == "SHELVED_OFFLOADED"
    assert seen[0][0] == "ACTIVE" and seen[-1] == ("SHELVED_OFFLOADED", "shelved_offloaded",
                                                    None, 4)
    assert len(seen) == len(set(seen))                   # each change once
    client.delete(server_id)
    assert client.wait_for(server_id, ("DELETED",))[0] is None


def test_wait_for_times_out_with_what_it_saw(lab):
    client = Client(lab)
    server_id = client.boot_active("stays-active")
    with pytest.raises(TimeoutError, match="SHELVED_OFFLOADED"):
        client.wait_for(server_id, "SHELVED_OFFLOADED", timeout=0.05)
    client.delete(server_id)


def test_a_compute_url_given_is_the_one_its_requests_go_to(lab):
    client = Client(auth_url=lab.auth_url, user="demo", password="secret",
                    compute_url=lab.url("nova-api") + "/v2.1")
    assert client.endpoint("compute") == lab.url("nova-api") + "/v2.1"
    assert client.endpoint("image") == lab.url("glance")
    assert client.get("/flavors").json()["flavors"]
