"""The short server actions with the unmodified ``openstack`` CLI against ``labkit up``.

server stop, start, reboot (soft, --hard --wait), pause, unpause, suspend, resume
and console log show (--lines), as a learner types them; nova's 409 for a wrong
state reaches the CLI's error line.
"""
import json
import time

from ._support import IMAGE_NAME


def _status(up, name):
    return json.loads(up.openstack("server", "show", "-f", "json", "-c", "status",
                                   name).stdout)["status"]


def _wait(up, name, status, timeout=30):
    """The CLI's stop/start/pause ... have no --wait: poll ``server show`` as a user would."""
    deadline, seen = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        seen = _status(up, name)
        if seen == status:
            return
        time.sleep(0.2)
    raise AssertionError(f"{name} never reached {status} (last {seen})")


def test_short_actions_with_the_cli(up):
    up.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME,
                 "--network", "private", "--wait", "cli-actions")
    for command, status in ((("stop",), "SHUTOFF"), (("start",), "ACTIVE"),
                            (("pause",), "PAUSED"), (("unpause",), "ACTIVE"),
                            (("suspend",), "SUSPENDED"), (("resume",), "ACTIVE"),
                            (("reboot",), "ACTIVE")):
        proc = up.openstack("server", *command, "cli-actions")
        assert proc.stdout == ""
        _wait(up, "cli-actions", status)
    up.openstack("server", "reboot", "--hard", "--wait", "cli-actions")
    assert _status(up, "cli-actions") == "ACTIVE"

    log = up.openstack("console", "log", "show", "cli-actions").stdout.splitlines()
    assert log[0] == "FAKE CONSOLE OUTPUT" and log[-1] == "cli-actions login:"
    assert "cli-actions: soft reboot" in log and "cli-actions: hard reboot" in log
    assert "reboot: Power down" in log                       # the stop
    tail = up.openstack("console", "log", "show", "--lines", "2", "cli-actions").stdout
    assert tail.splitlines() == log[-2:]

    refused = up.openstack("server", "start", "cli-actions", check=False)
    assert refused.returncode == 1
    assert "Cannot 'start' instance" in refused.stderr and "vm_state active" in refused.stderr
    assert "ConflictException: 409" in refused.stderr
    actions = json.loads(up.openstack("server", "event", "list", "-f", "json",
                                      "cli-actions").stdout)
    assert [a["Action"] for a in actions][:9] == [
        "reboot", "reboot", "resume", "suspend", "unpause", "pause", "start", "stop",
        "create"]
    up.openstack("server", "delete", "--wait", "cli-actions")
