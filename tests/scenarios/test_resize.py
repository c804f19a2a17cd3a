"""Resize, confirm, revert and cold migrate hop by hop, against nova 34's captured flows.

/work/shared/reference/lifecycle-flows.md, sections resize, resize_confirm,
resize_again, resize_revert, migrate and migrate_confirm, run in that order on one
server in a two-host lab, as nova's were: the RPC hops with their topics
(``compute-alt`` for the compute-to-compute hops), every placement request, the state
saves and who made them, the migration record's statuses and the allocations after.
"""
import pytest

import labkit
from flow_hops import rpc_hops
from labkit.client import Client

TINY = {"DISK_GB": 1, "MEMORY_MB": 512, "VCPU": 1}          # flavor 1, m1.tiny
SMALL = {"DISK_GB": 20, "MEMORY_MB": 2048, "VCPU": 1}       # flavor 2, m1.small
MEDIUM = {"DISK_GB": 40, "MEMORY_MB": 4096, "VCPU": 2}      # flavor 3, m1.medium


@pytest.fixture(scope="module")
def lab():
    """Two compute hosts, as in nova's run: every move goes to the other one."""
    with labkit.start(seed=1, exclusive=False, computes=2) as running:
        yield running


@pytest.fixture(scope="module")
def run(lab):
    """The server, booted with m1.tiny, and its hosts: n1 the boot host, n2 the other."""
    client, admin = Client(lab), Client(lab, "admin")
    server = client.boot("mover", flavor="1", check=False)["id"]
    client.wait_for(server, "ACTIVE")
    lab.wait_idle()
    h1 = admin.show(server)["OS-EXT-SRV-ATTR:host"]
    h2 = next(h for h in ("compute-1", "compute-2") if h != h1)
    rps = {lab.compute(h).manager.rt.compute_node["uuid"]: h for h in (h1, h2)}
    return {"client": client, "admin": admin, "server": server, "h1": h1, "h2": h2,
            "rps": rps, "migrations": []}


def _act(lab, run, body, status, code=202, client=None):
    """Send the action, wait for ``status`` and a quiet lab; the request's events."""
    resp = (client or run["client"]).server_action(run["server"], body)
    assert resp.status_code == code, resp.text
    run["client"].wait_for(run["server"], status)
    lab.wait_idle()
    return lab.trace.events(request_id=resp.headers["x-compute-request-id"])


def _names(run, text):
    """Ids as the reference writes them: {instance}, {migration:...}, {rp:host}."""
    text = text.replace(run["server"], "{instance}")
    for i, uuid in enumerate(run["migrations"], 1):
        text = text.replace(uuid, f"{{migration#{i}}}")
    for rp, host in run["rps"].items():
        text = text.replace(rp, f"{{rp:{host}}}")
    return text


def _placement(run, events):
    """(caller, METHOD /path) with the reference's names; a candidates query keeps only
    its ``resources``."""
    out = []
    for e in events:
        if e["kind"] == "http" and e["dst"] == "placement" and e.get("phase") != "response":
            method, _, path = e["name"].partition(" ")
            if path.startswith("/allocation_candidates"):
                query = dict(p.split("=", 1) for p in path.split("?")[1].split("&"))
                path = f"/allocation_candidates?resources={query['resources']}"
            out.append((e["src"], _names(run, f"{method} {path}")))
    return out


def _bodies(run, events, method):
    """The request bodies of each placement ``method``: {consumer or rp: resources}."""
    out = []
    for e in events:
        if e["kind"] == "http" and e["dst"] == "placement" and e["method"] == method \
                and e.get("phase") != "response":
            body = e["payload"]
            allocations = body["allocations"] if "allocations" in body else body
            if method == "POST":
                out.append({_names(run, c): {_names(run, rp): a["resources"]
                                             for rp, a in v["allocations"].items()}
                            for c, v in body.items()})
            else:
                out.append({_names(run, rp): a["resources"] for rp, a in allocations.items()})
    return out


def _saves(events):
    """(who, what changed) of every instance state save and migration record write: a
    save nova-compute makes through the conductor is the host's (its object_action call
    for that kind of object, still waiting for its reply, brackets the database write)."""
    waiting, states, migrations = {}, [], []
    for e in events:
        if e["name"] == "object_action" and e["kind"] in ("call", "reply"):
            if e["kind"] == "call":
                waiting[e["msg_id"]] = (e["src"], e["payload"]["objinst"]["nova_object.name"])
            else:
                waiting.pop(e["msg_id"], None)
        elif e["kind"] == "db":
            kind = "Migration" if e["name"].startswith("migration_") else "Instance"
            callers = [src for src, name in waiting.values() if name == kind]
            who = callers[-1] if callers else e["src"]
            if e.get("states"):
                before, after = e["states"]["before"] or {}, e["states"]["after"]
                states.append((who, {k: v for k, v in after.items() if before.get(k) != v}))
            elif e["name"] in ("migration_create", "migration_update"):
                migrations.append((who, e["migration"]["status"]))
    return states, migrations


def _allocations(run):
    placement = run["client"].lab.url("placement")
    out = {}
    for consumer in [run["server"]] + run["migrations"]:
        allocs = run["admin"].get(f"{placement}/allocations/{consumer}").json()
        if allocs["allocations"]:
            out[_names(run, consumer)] = {run["rps"][rp]: a["resources"]
                                          for rp, a in allocs["allocations"].items()}
    return out


def _notifications(events):
    return [e["name"] for e in events if e["kind"] == "notification"
            and e["name"].startswith("instance.")]


def _os_migration(run):
    latest = run["admin"].get("/os-migrations").json()["migrations"][-1]
    return latest["status"], latest["source_compute"], latest["dest_compute"]


def _move(lab, run, body, flavor, src, dst, kind, admin=False):
    """One resize or cold migration from ``src`` to ``dst`` against the reference; returns
    the events and the placement calls for the caller's own checks."""
    events = _act(lab, run, body, "VERIFY_RESIZE", client=run["admin"] if admin else None)
    created = [e for e in events if e["name"] == "migration_create"]
    run["migrations"].append(created[0]["migration"]["uuid"])
    n_src, n_dst = f"nova-compute@{src}", f"nova-compute@{dst}"
    assert rpc_hops(events) == [
        ("cast", "nova-api", "nova-conductor", "migrate_server", "conductor"),
        ("call", "nova-conductor", "nova-scheduler", "select_destinations", "scheduler"),
        ("cast", "nova-conductor", n_dst, "prep_resize", "compute"),
        ("cast", n_dst, n_src, "resize_instance", "compute-alt"),
        ("cast", n_src, n_dst, "finish_resize", "compute-alt"),
        ("cast", n_dst, "nova-scheduler", "update_instance_info", "scheduler")]
    mig = f"{{migration#{len(run['migrations'])}}}"
    res = ",".join(f"{k}:{v}" for k, v in sorted(flavor.items()))
    assert _placement(run, events)[-11:] == [
        ("nova-conductor", "GET /allocations/{instance}"),
        ("nova-conductor", "GET /allocations/{instance}"),
        ("nova-conductor", f"GET /allocations/{mig}"),
        ("nova-conductor", "POST /allocations"),
        ("nova-scheduler", f"GET /allocation_candidates?resources={res}"),
        ("nova-scheduler", "GET /allocations/{instance}"),
        ("nova-scheduler", "PUT /allocations/{instance}"),
        (n_dst, "GET /allocations/{instance}"),
        (n_dst, f"GET /resource_providers/{{rp:{dst}}}/allocations"),
        (n_dst, "GET /allocations/{instance}"),
        (n_dst, "GET /allocations/{instance}")]
    assert _bodies(run, events, "PUT") == [{f"{{rp:{dst}}}": flavor}]
    states, migrations = _saves(events)
    assert states == [
        ("nova-api", {"task_state": "resize_prep"}),
        (n_src, {"task_state": "resize_migrating"}),
        (n_src, {"host": dst, "task_state": "resize_migrated"}),
        (n_dst, {"task_state": "resize_finish"}),
        (n_dst, {"task_state": None, "vm_state": "resized"})]
    assert migrations == [("nova-conductor", "pre-migrating"), (n_dst, "pre-migrating"),
                          (n_src, "migrating"), (n_src, "post-migrating"), (n_dst, "finished")]
    latest = run["admin"].get("/os-migrations", headers={
        "OpenStack-API-Version": "compute 2.23"}).json()["migrations"][-1]
    assert (latest["migration_type"], latest["status"], latest["source_compute"],
            latest["dest_compute"]) == (kind, "finished", src, dst)
    return events


def test_resize(lab, run):
    h1, h2 = run["h1"], run["h2"]
    events = _move(lab, run, {"resize": {"flavorRef": "2"}}, SMALL, h1, h2, "resize")
    assert len(_placement(run, events)) == 11
    assert _bodies(run, events, "POST") == [
        {"{instance}": {}, "{migration#1}": {f"{{rp:{h1}}}": TINY}}]
    assert _allocations(run) == {"{instance}": {h2: SMALL}, "{migration#1}": {h1: TINY}}
    server = run["admin"].show(run["server"])
    assert (server["status"], server["flavor"]["id"]) == ("VERIFY_RESIZE", "2")
    actions = run["client"].get(f"/servers/{run['server']}/os-instance-actions").json()
    latest = actions["instanceActions"][0]
    assert latest["action"] == "resize"
    detail = run["admin"].get(f"/servers/{run['server']}/os-instance-actions/"
                              f"{latest['request_id']}").json()["instanceAction"]
    assert sorted((e["event"], e["result"]) for e in detail["events"]) == [
        ("cold_migrate", "Success"), ("compute_finish_resize", "Success"),
        ("compute_prep_resize", "Success"), ("compute_resize_instance", "Success")]
    prep = [e for e in events if e["name"] == "instance.resize_prep.start"][0]["payload"]
    assert prep["nova_object.name"] == "InstanceActionResizePrepPayload"
    assert (prep["nova_object.data"]["flavor"]["name"],
            prep["nova_object.data"]["new_flavor"]["name"]) == ("m1.tiny", "m1.small")
    assert sorted(_notifications(events)) == sorted(
        f"instance.{a}.{p}" for a in ("resize_prep", "resize", "resize_finish")
        for p in ("start", "end"))


def _confirm(lab, run, src, dst, status_after="ACTIVE"):
    events = _act(lab, run, {"confirmResize": None}, status_after, code=204)
    n_src = f"nova-compute@{src}"
    mig = f"{{migration#{len(run['migrations'])}}}"
    assert rpc_hops(events) == [
        ("cast", "nova-api", n_src, "confirm_resize", "compute"),
        ("cast", n_src, "nova-scheduler", "delete_instance_info", "scheduler")]
    assert _placement(run, events) == [
        (n_src, f"GET /resource_providers/{{rp:{src}}}/allocations"),
        (n_src, f"GET /allocations/{mig}"), (n_src, f"GET /allocations/{mig}"),
        (n_src, f"PUT /allocations/{mig}")]
    assert _bodies(run, events, "PUT") == [{}]
    states, migrations = _saves(events)
    assert states == [(n_src, {"vm_state": "active"})]
    assert migrations == [("nova-api", "confirming"), (n_src, "confirmed")]
    assert _os_migration(run) == ("confirmed", src, dst)
    assert _notifications(events) == ["instance.resize_confirm.start",
                                      "instance.resize_confirm.end"]


def test_resize_confirm(lab, run):
    _confirm(lab, run, run["h1"], run["h2"])
    assert _allocations(run) == {"{instance}": {run["h2"]: SMALL}}
    assert run["client"].get(f"/servers/{run['server']}/os-instance-actions").json()[
        "instanceActions"][0]["action"] == "confirmResize"


def test_resize_again(lab, run):
    h1, h2 = run["h1"], run["h2"]
    events = _move(lab, run, {"resize": {"flavorRef": "3"}}, MEDIUM, h2, h1, "resize")
    assert _bodies(run, events, "POST") == [
        {"{instance}": {}, "{migration#2}": {f"{{rp:{h2}}}": SMALL}}]
    assert _allocations(run) == {"{instance}": {h1: MEDIUM}, "{migration#2}": {h2: SMALL}}


def test_resize_revert(lab, run):
    h1, h2 = run["h1"], run["h2"]
    n1, n2 = f"nova-compute@{h1}", f"nova-compute@{h2}"
    events = _act(lab, run, {"revertResize": None}, "ACTIVE")
    assert rpc_hops(events) == [
        ("cast", "nova-api", n1, "revert_resize", "compute"),
        ("cast", n1, n2, "finish_revert_resize", "compute-alt")]
    assert _placement(run, events) == [
        (n1, f"GET /resource_providers/{{rp:{h1}}}/allocations"),
        (n1, "GET /allocations/{instance}"),
        (n2, "GET /allocations/{migration#2}"), (n2, "GET /allocations/{migration#2}"),
        (n2, "GET /allocations/{instance}"), (n2, "POST /allocations")]
    assert _bodies(run, events, "POST") == [
        {"{migration#2}": {}, "{instance}": {f"{{rp:{h2}}}": SMALL}}]
    states, migrations = _saves(events)
    assert states == [("nova-api", {"task_state": "resize_reverting"}),
                      (n2, {"host": h2}), (n2, {"task_state": None, "vm_state": "active"})]
    assert migrations == [("nova-api", "reverting"), (n1, "reverted")]
    assert _notifications(events) == ["instance.resize_revert.start",
                                      "instance.resize_revert.end"]
    assert _os_migration(run) == ("reverted", h2, h1)
    assert _allocations(run) == {"{instance}": {h2: SMALL}}
    server = run["admin"].show(run["server"])
    assert (server["OS-EXT-SRV-ATTR:host"], server["flavor"]["id"]) == (h2, "2")


def test_migrate(lab, run):
    h1, h2 = run["h1"], run["h2"]
    events = _move(lab, run, {"migrate": None}, SMALL, h2, h1, "migration", admin=True)
    # nova-api asks whether the source may take it back (COMPUTE_SAME_HOST_COLD_MIGRATE)
    assert _placement(run, events)[0] == ("nova-api",
                                          f"GET /resource_providers/{{rp:{h2}}}/traits")
    assert len(_placement(run, events)) == 12
    assert _bodies(run, events, "POST") == [
        {"{instance}": {}, "{migration#3}": {f"{{rp:{h2}}}": SMALL}}]
    assert _allocations(run) == {"{instance}": {h1: SMALL}, "{migration#3}": {h2: SMALL}}
    assert run["client"].get(f"/servers/{run['server']}/os-instance-actions").json()[
        "instanceActions"][0]["action"] == "migrate"


def test_migrate_confirm(lab, run):
    _confirm(lab, run, run["h2"], run["h1"])
    assert _allocations(run) == {"{instance}": {run["h1"]: SMALL}}
    server = run["admin"].show(run["server"])
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", run["h1"])
    assert run["admin"].get("/os-migrations").json()["migrations"] and all(
        m["status"] in ("confirmed", "reverted")
        for m in run["admin"].get("/os-migrations").json()["migrations"])
