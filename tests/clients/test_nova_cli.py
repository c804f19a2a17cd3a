"""The ``nova`` CLI (python-novaclient: deprecated, still shipped), as the walkthrough runs it.

``nova --debug boot t3 ...`` and ``nova --debug shelve t2`` exactly as in
the seed walkthrough, with the ``export OS_*`` lines labkit prints
(``Lab.os_environ()``), then list / show / unshelve / delete.
"""
import re
import time

from ._support import IMAGE_ID, NET_ID, debug_requests, request_id_after


def _table(output):
    """The rows of a prettytable as lists of cells."""
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in output.splitlines() if line.startswith("| ")]


def _status(clients, name, want, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        rows = {r[1]: r for r in _table(clients.nova("list").stdout)[1:]}
        if name in rows and rows[name][2] == want or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_walkthrough_boot_and_shelve(lab, clients):
    # nova --debug boot t3 --flavor m1.nano --image <id> --nic net-id=<id>
    proc = clients.nova("--debug", "boot", "t3", "--flavor", "m1.nano", "--image", IMAGE_ID,
                        "--nic", f"net-id={NET_ID}")
    out = proc.stdout + proc.stderr
    servers_url = lab.compute_url + "/servers"
    assert ("POST", servers_url) in debug_requests(out)
    body = re.search(r"-X POST " + re.escape(servers_url) + r" .* -d '(\{.*\})'", out).group(1)
    assert '"name": "t3"' in body and f'"imageRef": "{IMAGE_ID}"' in body
    assert '"flavorRef": "42"' in body and f'"networks": [{{"uuid": "{NET_ID}"}}]' in body
    rid = request_id_after(out, "POST", servers_url)
    hop = lab.trace.events(request_id=rid, kind="http")[0]
    assert (hop["src"], hop["dst"], hop["name"]) == ("client", "nova-api", "POST /v2.1/servers")

    clients.nova("boot", "t2", "--flavor", "m1.nano", "--image", IMAGE_ID,
                 "--nic", f"net-id={NET_ID}", "--poll")
    rows = _status(clients, "t3", "ACTIVE")
    assert rows["t2"][2:5] == ["ACTIVE", "-", "Running"]
    assert rows["t3"][5].startswith("private=192.168.1.")

    # nova --debug shelve t2
    proc = clients.nova("--debug", "shelve", "t2")
    out = proc.stdout + proc.stderr
    t2 = rows["t2"][0]
    action_url = f"{lab.compute_url}/servers/{t2}/action"
    assert ("POST", action_url) in debug_requests(out)
    assert re.search(re.escape(action_url) + r" .* -d '\{\"shelve\": null\}'", out)
    assert re.search(r"RESP: \[202\]", out)
    rid = request_id_after(out, "POST", action_url)
    hop = lab.trace.events(request_id=rid, kind="http")[0]
    assert (hop["src"], hop["name"]) == ("client", f"POST /v2.1/servers/{t2}/action")
    rows = _status(clients, "t2", "SHELVED_OFFLOADED")
    assert rows["t2"][2:5] == ["SHELVED_OFFLOADED", "-", "Shutdown"]

    shown = dict(_table(clients.nova("show", "t2").stdout)[1:])
    assert shown["status"] == "SHELVED_OFFLOADED" and shown["id"] == t2
    assert shown["flavor:original_name"] == "m1.nano"

    clients.nova("unshelve", "t2")
    rows = _status(clients, "t2", "ACTIVE")
    assert rows["t2"][2:5] == ["ACTIVE", "-", "Running"]

    clients.nova("delete", "t2", "t3")
    deadline = time.monotonic() + 10
    while _table(clients.nova("list").stdout)[1:] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _table(clients.nova("list").stdout)[1:] == []
