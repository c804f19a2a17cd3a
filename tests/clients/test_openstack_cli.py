"""The ``openstack`` CLI (python-openstackclient), unmodified, against labkit.

Against ``python -m labkit up`` (the README's "Use your usual tools"): the
list commands and a server's whole life.  Against an in-process lab: the
``--debug`` REQ/RESP lines a learner reads are the same requests the trace
records as ``client`` hops.
"""
import concurrent.futures
import json
import time

from ._support import IMAGE_NAME, NET_ID, debug_requests, request_id_after


def _json(proc):
    return json.loads(proc.stdout)


def test_list_commands(up):
    flavors = {f["Name"]: f for f in _json(up.openstack("flavor", "list", "-f", "json"))}
    assert flavors["m1.nano"]["ID"] == "42" and flavors["m1.nano"]["RAM"] == 192
    images = _json(up.openstack("image", "list", "-f", "json"))
    assert [(i["Name"], i["Status"]) for i in images] == [(IMAGE_NAME, "active")]
    networks = {n["Name"]: n for n in _json(up.openstack("network", "list", "-f", "json"))}
    assert networks["private"]["ID"] == NET_ID and networks["private"]["Subnets"]


def test_server_lifecycle(up):
    """create --wait, list, show, shelve --wait, unshelve --wait, lock/unlock, delete --wait."""
    created = _json(up.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                 IMAGE_NAME, "--network", "private", "--wait", "-f", "json",
                                 "t3"))
    assert created["status"] == "ACTIVE" and created["name"] == "t3"
    assert created["addresses"]["private"][0].startswith("192.168.1.")
    # the walkthrough's form: a nic by network id, without waiting
    second = _json(up.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                IMAGE_NAME, "--nic", f"net-id={NET_ID}", "-f", "json", "t4"))
    assert second["status"] == "BUILD"

    listed = {s["Name"]: s for s in _json(up.openstack("server", "list", "-f", "json"))}
    assert set(listed) == {"t3", "t4"}
    assert listed["t3"]["Status"] == "ACTIVE" and listed["t3"]["Flavor"] == "m1.nano"
    assert listed["t3"]["Image"] == IMAGE_NAME

    shown = _json(up.openstack("server", "show", "-f", "json", "t3"))
    assert shown["id"] == created["id"] and shown["OS-EXT-STS:vm_state"] == "active"

    def lock_t4():      # meanwhile (shelve --wait mostly sleeps between its polls)
        up.openstack("server", "lock", "t4")
        shown = _json(up.openstack("server", "show", "-f", "json", "-c", "locked", "t4"))
        up.openstack("server", "unlock", "t4")
        return shown["locked"]

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        locked = pool.submit(lock_t4)
        up.openstack("server", "shelve", "--wait", "t3")
        assert locked.result() is True
    listed = {s["Name"]: s for s in _json(up.openstack("server", "list", "-f", "json"))}
    assert listed["t3"]["Status"] == "SHELVED_OFFLOADED"      # shelved_offload_time = 0
    assert listed["t4"]["Status"] == "ACTIVE"
    up.openstack("server", "unshelve", "--wait", "t3")          # waits for ACTIVE

    up.openstack("server", "delete", "--wait", "t3", "t4")     # waits for the 404s
    missing = up.openstack("server", "show", "t3", check=False)
    assert missing.returncode == 1 and "No Server found for t3" in missing.stderr


def test_debug_requests_are_the_traced_client_hops(lab, clients):
    """What ``--debug`` prints is what the course animates: the same request, src client."""
    since = lab.trace.events()[-1]["seq"] if lab.trace.events() else 0
    proc = clients.openstack("--debug", "server", "create", "--flavor", "m1.nano", "--image",
                             IMAGE_NAME, "--nic", f"net-id={NET_ID}", "debugged")
    out = proc.stdout + proc.stderr
    servers_url = lab.compute_url + "/servers"
    assert ("POST", servers_url) in debug_requests(out)
    rid = request_id_after(out, "POST", servers_url)
    assert rid, "no x-openstack-request-id after the POST .../servers REQ line"
    deadline = time.monotonic() + 10      # the build goes on after the 202
    while True:
        hops = lab.trace.events(request_id=rid, since=since)
        if any(e["name"] == "build_and_run_instance" for e in hops) or \
                time.monotonic() > deadline:
            break
        time.sleep(0.02)
    first = hops[0]
    assert (first["kind"], first["src"], first["dst"], first["name"]) == (
        "http", "client", "nova-api", "POST /v2.1/servers")
    # and the boot's RPC hops carry the same request id, down to the compute host
    names = [e["name"] for e in hops if e["kind"] in ("cast", "call")]
    assert "schedule_and_build_instances" in names and "build_and_run_instance" in names
    # every request the CLI logged reached a service as a client hop
    client_hops = {(e["method"], e["path"]) for e in lab.trace.events(kind="http", since=since)
                   if e["src"] == "client" and e.get("phase") == "request"}
    for method, url in debug_requests(out):
        path = "/" + url.split("/", 3)[3].split("?")[0] if url.count("/") >= 3 else "/"
        assert (method, path.rstrip("/") or "/") in {(m, p.rstrip("/") or "/")
                                                      for m, p in client_hops}, (method, url)
    clients.openstack("server", "delete", "debugged")
