"""labkit's modules import one another without cycles, and the control plane never imports the views.

Every ``import`` counts, including those inside functions: an import moved into a
function still ties two modules together, it only hides the knot.
"""
import ast
import pathlib

import networkx as nx

ROOT = pathlib.Path(__file__).resolve().parents[2] / "labkit"
VIEWS = ("labkit.viz", "labkit.course")


def _name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    """module -> the labkit modules it imports (``from pkg import submodule`` is the submodule)."""
    modules = {_name(p): p for p in ROOT.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in modules]
                if len(targets) < len(subs):          # names from the module itself
                    targets.append(base)
            else:
                continue
            graph.add_edges_from((module, t) for t in targets if t in modules and t != module)
    return graph


def test_no_import_cycles():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


def test_the_control_plane_never_imports_the_views():
    graph = import_graph()
    upward = [(m, t) for m, t in graph.edges
              if t.startswith(VIEWS) and not m.startswith(VIEWS)]
    assert not upward, f"control-plane modules importing labkit.viz/labkit.course: {upward}"


def test_the_graph_sees_imports_inside_functions():
    """The walker counts a function-level import (what hid the lab ↔ cli ↔ cluster knot)."""
    graph = import_graph()
    assert graph.has_edge("labkit.lab", "labkit.deploy")
    assert graph.has_edge("labkit.cluster.launcher", "labkit.messaging.impl_rabbit")  # _check_broker


# nova's API, compute API, conductor and scheduler reach the database through
# objects (nova/objects/), never nova.db directly; labkit's do the same.
THROUGH_OBJECTS = ("labkit.nova.api", "labkit.nova.compute.api", "labkit.nova.conductor",
                   "labkit.nova.scheduler")
# module -> why it may import labkit.nova.db, naming where nova does the same
DB_IMPORT_EXCEPTIONS = {
    "labkit.nova.api.openstack.compute.service":
        "the database connection only (DbHandle, the tables' metadata), as "
        "nova/config.py:parse_args configures nova/db/main/api.py's context manager",
}


def _within(module, packages):
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_api_conductor_and_scheduler_reach_the_database_through_objects():
    graph = import_graph()
    direct = sorted((m, t) for m, t in graph.edges
                    if _within(t, ("labkit.nova.db",)) and _within(m, THROUGH_OBJECTS)
                    and m not in DB_IMPORT_EXCEPTIONS)
    assert not direct, f"modules importing labkit.nova.db instead of labkit.nova.objects: {direct}"
    assert graph.has_edge("labkit.nova.objects.flavor", "labkit.nova.db.api")   # it sees them
    for module in DB_IMPORT_EXCEPTIONS:     # an exception no longer needed is dropped
        assert any(_within(t, ("labkit.nova.db",)) for t in graph.successors(module)), module
