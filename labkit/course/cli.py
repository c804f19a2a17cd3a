"""The real OpenStack command-line clients, pointed at a notebook's lab.

``make lab`` and ``make test`` install python-openstackclient and
python-novaclient into ``.venv-clients`` (kept apart from labkit's own
dependencies); a ``!`` cell runs them with the lab's ``OS_*`` variables.
"""
import os
import pathlib
import re
import shutil

REPO = pathlib.Path(__file__).resolve().parents[2]
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def find(name="openstack"):
    """The path of a client command (``openstack`` or ``nova``), or None if not installed."""
    local = REPO / ".venv-clients" / "bin" / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def use(lab, user="demo"):
    """Export the lab's ``OS_*`` variables into this kernel, so ``!openstack ...`` reaches it."""
    os.environ.update(lab.os_environ(user))
    os.environ.pop("OS_CLOUD", None)
    os.environ.pop("OS_CLIENT_CONFIG_FILE", None)


def client_requests(trace, since=0):
    """The distinct requests the clients sent (ids shown as {id}), in first-seen order."""
    seen = []
    for e in trace.events(kind="http", since=since):
        if e["src"] == "client" and e.get("phase") == "request":
            name = _ID.sub("{id}", e["name"].split("?")[0])
            line = f"{name:<48} -> {e['dst']}"
            if line not in seen:
                seen.append(line)
    return seen
