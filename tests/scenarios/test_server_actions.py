"""The short server actions hop by hop, against nova 34's captured flows.

/work/shared/reference/lifecycle-flows.md (stop, start, reboot_soft, reboot_hard,
pause, unpause, suspend, resume): one cast from nova-api to the server's host, the
task state nova-api saves, then nova-compute's saves, the instance action and its
``compute_<method>`` event, and the versioned notifications.
"""
import pytest

from labkit.client import Client

_OBJECT_CALLS = ("object_action", "object_class_action_versions")

# action body, status before, status after, the compute method, the instance action,
# the state saves (nova-api first, then nova-compute) and the notification's action
FLOWS = {
    "stop": ({"os-stop": None}, "ACTIVE", "SHUTOFF", "stop_instance", "stop",
             [{"task_state": "powering-off"},
              {"power_state": 4, "task_state": None, "vm_state": "stopped"}], "power_off"),
    "start": ({"os-start": None}, "SHUTOFF", "ACTIVE", "start_instance", "start",
              [{"task_state": "powering-on"},
               {"power_state": 1, "task_state": None, "vm_state": "active"}], "power_on"),
    "reboot_soft": ({"reboot": {"type": "SOFT"}}, "ACTIVE", "ACTIVE", "reboot_instance",
                    "reboot", [{"task_state": "rebooting"}, {"task_state": "reboot_pending"},
                               {"task_state": "reboot_started"}, {"task_state": None}],
                    "reboot"),
    "reboot_hard": ({"reboot": {"type": "HARD"}}, "ACTIVE", "ACTIVE", "reboot_instance",
                    "reboot", [{"task_state": "rebooting_hard"},
                               {"task_state": "reboot_pending_hard"},
                               {"task_state": "reboot_started_hard"}, {"task_state": None}],
                    "reboot"),
    "pause": ({"pause": None}, "ACTIVE", "PAUSED", "pause_instance", "pause",
              [{"task_state": "pausing"}, {"task_state": None, "vm_state": "paused"}], "pause"),
    "unpause": ({"unpause": None}, "PAUSED", "ACTIVE", "unpause_instance", "unpause",
                [{"task_state": "unpausing"}, {"task_state": None, "vm_state": "active"}],
                "unpause"),
    "suspend": ({"suspend": None}, "ACTIVE", "SUSPENDED", "suspend_instance", "suspend",
                [{"task_state": "suspending"}, {"task_state": None, "vm_state": "suspended"}],
                "suspend"),
    "resume": ({"resume": None}, "SUSPENDED", "ACTIVE", "resume_instance", "resume",
               [{"task_state": "resuming"}, {"task_state": None, "vm_state": "active"}],
               "resume"),
}
# how to bring an ACTIVE server to each flow's starting status
_SETUP = {"SHUTOFF": ({"os-stop": None},), "PAUSED": ({"pause": None},),
          "SUSPENDED": ({"suspend": None},), "ACTIVE": ()}


def _server_in(client, name, status):
    server_id = client.boot(name, check=False)["id"]
    client.wait_for(server_id, "ACTIVE")
    for body in _SETUP[status]:
        assert client.server_action(server_id, body).status_code == 202
        client.wait_for(server_id, status)
    return server_id


def _changes(event):
    """What one state save changed: {key: new value} (all of them for a create)."""
    before, after = event["states"]["before"] or {}, event["states"]["after"]
    return {k: v for k, v in after.items() if k in ("vm_state", "task_state", "power_state")
            and (k not in before or before[k] != v)}


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_flow_matches_nova(lab, flow):
    body, before, after, method, action, saves, notification = FLOWS[flow]
    client, admin = Client(lab), Client(lab, "admin")
    server_id = _server_in(client, f"flow-{flow}", before)
    host = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]
    resp = client.server_action(server_id, body)
    assert resp.status_code == 202 and resp.content == b""
    server, _ = client.wait_for(server_id, after)
    lab.wait_idle()
    assert server["OS-EXT-STS:task_state"] is None
    rid = resp.headers["x-compute-request-id"]
    events = lab.trace.events(request_id=rid)
    rpc = [(e["kind"], e["src"], e["dst"], e["name"]) for e in events
           if e["kind"] in ("cast", "call") and e["name"] not in _OBJECT_CALLS]
    # one hop: nova-api casts straight to the server's host (no conductor, no scheduler)
    assert rpc == [("cast", "nova-api", f"nova-compute@{host}", method)]
    db = [e for e in events if e["kind"] == "db" and e.get("states")]
    assert [_changes(e) for e in db] == saves
    assert db[0]["src"] == "nova-api" and all(e["src"] != "nova-api" for e in db[1:])
    assert [e["name"] for e in events if e["kind"] == "notification"] == [
        f"instance.{notification}.start", f"instance.{notification}.end"]
    # os-instance-actions names the action as nova does, its event as compute_<method>
    actions = client.get(f"/servers/{server_id}/os-instance-actions").json()["instanceActions"]
    assert actions[0]["action"] == action and actions[0]["request_id"] == rid
    detail = admin.get(f"/servers/{server_id}/os-instance-actions/{rid}").json()
    assert [(e["event"], e["result"]) for e in detail["instanceAction"]["events"]] == [
        (f"compute_{method}", "Success")]


def test_no_placement_traffic_and_allocations_kept(lab):
    """None of the short actions asks placement anything: the claim stays as booted."""
    client, admin = Client(lab), Client(lab, "admin")
    server_id = _server_in(client, "no-placement", "ACTIVE")
    placement = lab.url("placement")
    allocations = admin.get(f"{placement}/allocations/{server_id}").json()
    rids = []
    for body, status in (({"os-stop": None}, "SHUTOFF"), ({"os-start": None}, "ACTIVE"),
                         ({"reboot": {"type": "HARD"}}, "ACTIVE"), ({"pause": None}, "PAUSED"),
                         ({"unpause": None}, "ACTIVE"), ({"suspend": None}, "SUSPENDED"),
                         ({"resume": None}, "ACTIVE")):
        rids.append(client.server_action(server_id, body).headers["x-compute-request-id"])
        client.wait_for(server_id, status)
    lab.wait_idle()
    for rid in rids:
        assert not [e for e in lab.trace.events(request_id=rid, kind="http")
                    if e["dst"] == "placement"]
    assert admin.get(f"{placement}/allocations/{server_id}").json() == allocations


def test_console_output_is_a_call_with_the_boot_lines(lab):
    client = Client(lab)
    server_id = _server_in(client, "console", "ACTIVE")
    resp = client.server_action(server_id, {"os-getConsoleOutput": {}})
    assert resp.status_code == 200
    lines = resp.json()["output"].splitlines()
    assert lines[0] == "FAKE CONSOLE OUTPUT" and lines[-1] == "console login:"
    assert any(server_id in line and line.startswith("Booting console") for line in lines)
    rid = resp.headers["x-compute-request-id"]
    events = lab.trace.events(request_id=rid)
    rpc = [(e["kind"], e["src"], e["name"]) for e in events
           if e["kind"] in ("cast", "call", "reply") and e["name"] not in _OBJECT_CALLS]
    assert rpc[0] == ("call", "nova-api", "get_console_output")
    assert not [e for e in events if e["kind"] == "db" and e.get("states")]
    actions = client.get(f"/servers/{server_id}/os-instance-actions").json()["instanceActions"]
    assert [a["action"] for a in actions] == ["create"]      # no action for a console read
    # a reboot shows in the log; length keeps the last lines
    client.server_action(server_id, {"reboot": {"type": "SOFT"}})
    client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    tail = client.server_action(server_id, {"os-getConsoleOutput": {"length": "3"}}).json()["output"]
    assert tail.splitlines() == ["console: soft reboot", lines[1], "console login:"]
    assert client.server_action(server_id, {"os-getConsoleOutput": {"length": 0}}).json() == {
        "output": ""}


def test_hard_reboot_powers_on_a_stopped_server(lab):
    """A hard reboot is allowed from SHUTOFF (ALLOW_HARD_REBOOT) and ends ACTIVE, running."""
    client = Client(lab)
    server_id = _server_in(client, "hard-from-off", "SHUTOFF")
    resp = client.server_action(server_id, {"reboot": {"type": "HARD"}})
    assert resp.status_code == 202
    server, _ = client.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    assert server["OS-EXT-STS:power_state"] == 1
    db = [e for e in lab.trace.events(request_id=resp.headers["x-compute-request-id"],
                                      kind="db") if e.get("states")]
    assert [_changes(e) for e in db] == [
        {"task_state": "rebooting_hard"}, {"task_state": "reboot_pending_hard"},
        {"task_state": "reboot_started_hard"},
        {"power_state": 1, "task_state": None, "vm_state": "active"}]
