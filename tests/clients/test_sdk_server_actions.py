"""openstacksdk's short server actions against an in-process lab (sdk_server_actions.py)."""


def test_sdk_short_actions(clients, lab):
    out = clients.python("sdk_server_actions.py", "labkit").stdout.splitlines()
    server_id = out[0].split()[1]
    # status, vm_state, task_state, power_state once each wait is over: the fake
    # hypervisor's pause and suspend leave the power state RUNNING (1), as nova's does
    assert out[1:9] == ["stop SHUTOFF stopped None 4", "start ACTIVE active None 1",
                        "reboot-soft ACTIVE active None 1", "reboot-hard ACTIVE active None 1",
                        "pause PAUSED paused None 1", "unpause ACTIVE active None 1",
                        "suspend SUSPENDED suspended None 1", "resume ACTIVE active None 1"]
    host = next(e["dst"] for e in lab.trace.events(kind="cast")
                if e["name"] == "resume_instance").split("@", 1)[1]
    assert out[9] == (f"console-tail 'Booting sdk-actions ({server_id}) on {host}\\n"
                      "sdk-actions login:'")
    # the banner, then the boot (2 lines), the stop (1), the start (2), two reboots (3 each)
    assert out[10] == "console-lines 12"
    assert out[11:] == ["start-active 409", "deleted"]
