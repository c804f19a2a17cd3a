"""Which upstream function each labkit function stands in for: a table, not a guess.

Every handler a trace can name (the HTTP handlers of every service, the RPC
manager methods, the database API functions behind ``db`` hops, the
scheduler's ``schedule`` hop), every hypervisor driver call and every excerpt
the notebooks print has one row in ``MIRRORS``: the real project, the file in
that project's release of nova 34's cycle (2026.2), and the function or
``Class.method`` there.  Links point at the release tag, never a branch, so
they keep naming the code the lab was written against.

labkit's own module paths follow the real projects' where they can, but not
always, and the functions in them are not always named alike (neutron's
resource controller has a method per resource and verb where pecan's has one
generic pair, and keystonemiddleware lives beside keystone), which is why the
table does not derive one from the other.  ``data/upstream/`` lists the definitions each
named file really has (written from the projects' sdists by
``tools/upstream_index.py``), and ``tests/unit/test_upstream.py`` holds the
table to it.

The rows are in ``nova.py`` and ``nova_moves.py`` (nova) and ``services.py`` (placement,
keystone, keystonemiddleware, glance, neutron, oslo.messaging). Plain data and three
small functions: nothing here imports the rest of labkit, so the control plane and the
pictures can both read it.
"""
from labkit.upstream import nova, nova_moves, services

# nova 34's cycle (2026.2): the release of each project the lab mirrors.
RELEASES = {"nova": "34.0.0", "placement": "16.0.0", "keystone": "30.0.0",
            "keystonemiddleware": "13.0.1", "glance": "33.0.0", "neutron": "29.0.0",
            "oslo.messaging": "18.3.1"}

# The PyPI distribution each project is released as (for tools/upstream_index.py).
DISTRIBUTIONS = {"placement": "openstack-placement"}

# labkit dotted name -> (project, path, function).  project may carry its own
# release ("keystone@12.0.2") when the code it mirrors is gone from 2026.2.
MIRRORS = {**nova.MIRRORS, **nova_moves.MIRRORS, **services.MIRRORS}

# Where labkit's function is not the same shape as the one it mirrors.
NOTES = {**nova.NOTES, **nova_moves.NOTES, **services.NOTES}

# (kind, name) of a hop that names no handler -> the labkit function behind it.
EVENTS = nova.EVENTS


def url(project, path):
    """The opendev.org link to ``path`` at the project's release tag."""
    name, _, version = project.partition("@")
    return f"https://opendev.org/openstack/{name}/src/tag/{version or RELEASES[name]}/{path}"


def mirror(dotted):
    """What the labkit function ``dotted`` stands in for, or None if nothing does.

    ``{"project", "version", "path", "function", "url"}`` plus ``"note"`` where
    the two differ in shape.
    """
    row = MIRRORS.get(dotted)
    if row is None:
        return None
    project, path, function = row
    name, _, version = project.partition("@")
    out = {"project": name, "version": version or RELEASES[name], "path": path,
           "function": function, "url": url(project, path)}
    if dotted in NOTES:
        out["note"] = NOTES[dotted]
    return out


def event_function(event):
    """The labkit function a trace event names without a ``handler`` key (or None)."""
    return EVENTS.get((event.get("kind"), event.get("name")))
