"""labkit.upstream: every function a learner is pointed at exists in the release it names.

The table is checked three ways: each row against the definitions the real
sdists hold (data/upstream/, written by tools/upstream_index.py); each labkit
name against labkit itself; and the table's reach against what a lab really
shows — every route and RPC handler of every service, every handler and
database hop in a trace of the lab's flows, every excerpt a notebook prints.
"""
import ast
import json
import pathlib

import pytest

import labkit
from labkit import upstream
from labkit.client import Client
from labkit.common.reflection import get_callable_name
from labkit.messaging.server import dispatch_table
from labkit.nova.service import register_handlers
from labkit.viz import hops as H
from labkit.viz.code import resolve
from labkit.wsgi.app import Router

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "upstream"


def _index():
    return {(r["project"], r["version"]): r["files"]
            for r in (json.loads(p.read_text()) for p in DATA.glob("*.json"))}


def _release(project):
    name, _, version = project.partition("@")
    return name, version or upstream.RELEASES[name]


def test_every_row_names_a_definition_the_release_has():
    index = _index()
    missing = []
    for dotted, (project, path, function) in upstream.MIRRORS.items():
        files = index.get(_release(project), {})
        if function not in files.get(path, ()):
            missing.append(f"{dotted} -> {project} {path}:{function}")
    assert not missing, "\n".join(missing)


def test_the_committed_index_holds_only_the_named_files():
    named = {}
    for project, path, _ in upstream.MIRRORS.values():
        named.setdefault(_release(project), set()).add(path)
    assert {k: set(v) for k, v in _index().items()} == named


def test_every_labkit_name_in_the_table_exists():
    for dotted in list(upstream.MIRRORS) + list(upstream.EVENTS.values()):
        assert callable(resolve(dotted)), dotted
    assert set(upstream.EVENTS.values()) <= set(upstream.MIRRORS)
    assert set(upstream.NOTES) <= set(upstream.MIRRORS)


def test_links_are_pinned_to_release_tags():
    m = upstream.mirror("labkit.nova.compute.manager.ComputeManager.build_and_run_instance")
    assert m == {"project": "nova", "version": "34.0.0", "path": "nova/compute/manager.py",
                 "function": "ComputeManager.build_and_run_instance",
                 "url": "https://opendev.org/openstack/nova/src/tag/34.0.0/"
                        "nova/compute/manager.py"}
    v2 = upstream.mirror("labkit.keystone.v2.V2Controller.authenticate")
    assert v2["url"] == ("https://opendev.org/openstack/keystone/src/tag/12.0.2/"
                         "keystone/token/controllers.py") and "Queens" in v2["note"]
    for dotted in upstream.MIRRORS:
        assert "/src/tag/" in upstream.mirror(dotted)["url"]
    assert upstream.mirror("labkit.nova.compute.manager.nothing_here") is None


def test_the_table_imports_nothing_of_labkit():
    for path in (ROOT / "labkit" / "upstream").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                raise AssertionError(f"{path.name} imports {node.names[0].name}")
            if isinstance(node, ast.ImportFrom):
                assert node.module == "labkit.upstream", (path.name, node.module)


def _db_records():
    """``(event name, labkit function)`` of every ``db`` hop labkit's nova code records."""
    for path in sorted((ROOT / "labkit" / "nova").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield from _records(ast.parse(path.read_text()), [module])


def _records(node, names):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.ClassDef)):
            yield from _records(child, names + [child.name])
            continue
        if isinstance(child, ast.Call) and getattr(child.func, "attr", "") == "record" \
                and len(child.args) > 1 and isinstance(child.args[1], ast.Constant):
            yield child.args[1].value, ".".join(names)
        yield from _records(child, names)


def test_every_db_hop_labkit_records_names_its_function():
    recorders = {}
    for name, function in _db_records():
        recorders.setdefault(name, set()).add(function)
    assert "instance_update_and_get_original" in recorders
    wrong = {name: functions for name, functions in recorders.items()
             if upstream.EVENTS.get(("db", name)) not in functions}
    assert not wrong, wrong


def _routers(obj, seen):
    """Every Router reachable from a service through its WSGI stack's attributes."""
    if id(obj) in seen or not hasattr(obj, "__dict__"):
        return
    seen.add(id(obj))
    if isinstance(obj, Router):
        yield obj
        return
    for name, value in vars(obj).items():
        if name != "lab" and callable(value) and not isinstance(value, type):
            yield from _routers(value, seen)


def _route_handlers(router):
    for _, _, handler in router._routes:
        yield get_callable_name(handler)
        for action in getattr(getattr(handler, "__self__", None), "actions", {}).values():
            yield get_callable_name(action)


@pytest.fixture(scope="module")
def lab():
    with labkit.start(seed=1, exclusive=False) as running:
        yield running


def test_every_route_and_rpc_handler_has_a_row(lab):
    names = set()
    for node in ("keystone", "glance", "neutron", "placement", "nova-api"):
        routers = list(_routers(lab.services[node], set()))
        assert routers, node
        for router in routers:
            names.update(_route_handlers(router))
    table = {}
    register_handlers(type("Transport", (), {"handlers": table})())
    names.update(table.values())
    for service in lab.services.values():
        if getattr(service, "manager", None) is not None:
            names.update(get_callable_name(fn) for fn in dispatch_table([service.manager]).values())
    missing = sorted(n for n in names if n not in upstream.MIRRORS)
    assert not missing, "\n".join(missing)


def test_every_hop_of_the_labs_flows_names_a_mirrored_function(lab):
    c = Client(lab)
    server = c.boot("mirrored")
    c.wait(server["id"], "ACTIVE")
    c.shelve(server["id"])
    c.wait(server["id"], "SHELVED_OFFLOADED")
    c.unshelve(server["id"])
    c.wait(server["id"], "ACTIVE")
    c.lock(server["id"])
    c.unlock(server["id"])
    for path in ("/servers/detail", f"/servers/{server['id']}/ips",
                 f"/servers/{server['id']}/os-instance-actions", "/flavors/detail",
                 "/images"):
        c.request("GET", c.endpoint("compute") + path)
    admin = Client(lab, "admin")
    admin.request("GET", admin.endpoint("compute") + "/os-hypervisors")
    image = c.endpoint("image")
    for path in ("/v2/images", "/v2/schemas/image", "/v2/schemas/images"):
        c.request("GET", image + path)
    for path in ("/v2.0/networks", "/v2.0/ports"):
        c.request("GET", c.endpoint("network") + path)
    admin.request("GET", admin.endpoint("placement") + "/resource_providers")
    creds = lab.credentials("demo")
    c.request("POST", lab.endpoints["keystone"] + "/v2.0/tokens",
              {"auth": {"passwordCredentials": {"username": creds["username"],
                                                "password": creds["password"]},
                        "tenantName": creds["project_name"]}}, auth=False)
    c.delete(server["id"])
    lab.wait_idle()
    seen = set()
    for detail in H.details(lab.trace.events()):
        if detail["handler"]:
            seen.add(detail["handler"])
            assert detail["mirrors"], detail["handler"]
    db = {e["name"] for e in lab.trace.events(kind="db")}
    assert {("db", name) for name in db} <= set(upstream.EVENTS), db
    for expected in ("ShelveController._unshelve", "ComputeTaskManager.unshelve_instance",
                     "V2Controller.authenticate", "schemas.images",
                     "db.api.instance_update_and_get_original"):
        assert any(name.endswith(expected) for name in seen), expected


def _excerpts(notebook):
    """``(labkit dotted name, the mirrors= text)`` of each show_source call in a notebook."""
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        modules = {a.asname or a.name: f"{n.module}.{a.name}" for n in ast.walk(tree)
                   if isinstance(n, ast.ImportFrom) for a in n.names}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or getattr(call.func, "attr", "") != "show_source":
                continue
            text = {k.arg: k.value.value for k in call.keywords}.get("mirrors")
            target = ast.unparse(call.args[0]).split(".", 1)
            yield f"{modules[target[0]]}.{target[1]}", text


def test_every_notebook_excerpt_agrees_with_the_table():
    found = [(nb.name, name, text) for folder in ("notebooks", "exercises")
             for nb in sorted((ROOT / folder).glob("*.ipynb")) for name, text in _excerpts(nb)]
    assert found
    for notebook, name, text in found:
        project, path, function = upstream.MIRRORS[name]
        # an excerpt may say it is a simplified copy; the upstream function must be the table's
        assert text.removesuffix(", simplified") == f"{path}:{function}", (notebook, name)
