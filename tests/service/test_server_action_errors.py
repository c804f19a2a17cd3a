"""The short server actions refuse wrong states and bad input in nova's own words.

nova/api/openstack/common.py:raise_http_conflict_for_instance_invalid_state
("Cannot '<action>' instance <id> while it is in <attr> <state>"), nova's
InstanceIsLocked and InstanceNotReady (409), the schemas' 400s, and the
policy's 403 for another project's member (404: that server is not theirs).
"""
import pytest

from labkit.client import Client


def _fault(resp, code):
    assert resp.status_code == code, resp.text
    name = {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
            409: "conflictingRequest"}[code]
    body = resp.json()
    assert list(body) == [name] and body[name]["code"] == code, body
    return body[name]["message"]


def _active(client, name):
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    return server_id


@pytest.fixture(scope="module")
def active(lab):
    return _active(Client(lab), "actions-target")


@pytest.mark.parametrize("body,action,state", [
    ({"os-start": None}, "start", "active"),
    ({"unpause": None}, "unpause", "active"),
    ({"resume": None}, "resume", "active"),
])
def test_wrong_vm_state_from_active(client, active, body, action, state):
    msg = _fault(client.server_action(active, body), 409)
    assert msg == f"Cannot '{action}' instance {active} while it is in vm_state {state}"


def test_stop_a_stopped_server(lab, client):
    server_id = _active(client, "stopped-twice")
    assert client.server_action(server_id, {"os-stop": None}).status_code == 202
    client.wait_for(server_id, "SHUTOFF")
    lab.wait_idle()
    for body, action in (({"os-stop": None}, "stop"), ({"pause": None}, "pause"),
                         ({"suspend": None}, "suspend"), ({"reboot": {"type": "SOFT"}}, "reboot")):
        msg = _fault(client.server_action(server_id, body), 409)
        assert msg == f"Cannot '{action}' instance {server_id} while it is in vm_state stopped"
    # a hard reboot is allowed from SHUTOFF (nova's ALLOW_HARD_REBOOT)
    assert client.server_action(server_id, {"reboot": {"type": "hard"}}).status_code == 202
    client.wait_for(server_id, "ACTIVE")


def test_an_action_under_way_refuses_the_next(lab, client):
    """While nova-compute pauses the server (task_state pausing), a soft reboot is refused
    by its task state; a hard reboot may interrupt it (task_states.ALLOW_REBOOT)."""
    server_id = _active(client, "busy")
    lab.faults.delay(0.5, method="pause_instance")
    assert client.server_action(server_id, {"pause": None}).status_code == 202
    msg = _fault(client.server_action(server_id, {"reboot": {"type": "SOFT"}}), 409)
    assert msg == f"Cannot 'reboot' instance {server_id} while it is in task_state pausing"
    msg = _fault(client.server_action(server_id, {"os-stop": None}), 409)
    assert msg == f"Cannot 'stop' instance {server_id} while it is in task_state pausing"
    client.wait_for(server_id, "PAUSED")
    lab.wait_idle()


def test_locked_server_refuses_every_action_but_the_console(lab, client, admin):
    server_id = _active(client, "locked-actions")
    assert client.server_action(server_id, {"lock": None}).status_code == 202
    for body in ({"os-stop": None}, {"reboot": {"type": "SOFT"}}, {"reboot": {"type": "HARD"}},
                 {"pause": None}, {"suspend": None}):
        assert _fault(client.server_action(server_id, body), 409) == \
            f"Instance {server_id} is locked"
    assert client.server_action(server_id, {"os-getConsoleOutput": {}}).status_code == 200
    # an admin may act on a locked server (nova's check_instance_lock)
    assert admin.server_action(server_id, {"pause": None}).status_code == 202
    client.wait_for(server_id, "PAUSED")
    assert client.server_action(server_id, {"unlock": None}).status_code == 202
    assert client.server_action(server_id, {"unpause": None}).status_code == 202
    client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()


@pytest.mark.parametrize("body,needle", [
    ({"reboot": {"type": "WARM"}}, "Invalid input for field/attribute type. Value: WARM."),
    ({"reboot": {}}, "'type' is a required property"),
    ({"reboot": None}, "is not of type 'object'"),
    ({"reboot": {"type": "SOFT", "force": True}}, "Additional properties are not allowed"),
    ({"os-getConsoleOutput": {"length": -2}}, "less than the minimum of -1"),
    ({"os-getConsoleOutput": {"length": "ten"}}, "does not match"),
    ({"os-getConsoleOutput": {"lines": 3}}, "Additional properties are not allowed"),
    ({"os-getConsoleOutput": None}, "is not of type 'object'"),
])
def test_bad_bodies_are_400(client, active, body, needle):
    assert needle in _fault(client.server_action(active, body), 400)


def test_unknown_action_and_server(client, active):
    assert _fault(client.server_action(active, {"os-hibernate": None}), 400) == \
        "There is no such action: os-hibernate"
    missing = "00000000-0000-4000-8000-000000000000"
    assert _fault(client.server_action(missing, {"os-stop": None}), 404) == \
        f"Instance {missing} could not be found."


def test_another_projects_server_is_not_found(lab, active):
    other = Client(lab, "alt_demo")
    for body in ({"os-stop": None}, {"reboot": {"type": "SOFT"}}, {"pause": None},
                 {"suspend": None}, {"os-getConsoleOutput": {}}):
        assert _fault(other.server_action(active, body), 404) == \
            f"Instance {active} could not be found."


def test_console_of_a_server_without_host_is_409(lab, client):
    """A SHELVED_OFFLOADED server has no host: nova's InstanceNotReady."""
    server_id = _active(client, "no-host-console")
    assert client.server_action(server_id, {"shelve": None}).status_code == 202
    client.wait_for(server_id, "SHELVED_OFFLOADED")
    lab.wait_idle()
    assert _fault(client.server_action(server_id, {"os-getConsoleOutput": {}}), 409) == \
        f"Instance {server_id} is not ready"
    assert _fault(client.server_action(server_id, {"os-start": None}), 409) == \
        f"Instance {server_id} is not ready"
