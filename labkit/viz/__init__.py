"""labkit.viz: everything a learner *sees* — pictures of the hops the lab recorded.

Only this package imports networkx, matplotlib, ipywidgets and anywidget, and
it only *reads* traces (``lab.trace.events()``, ``lab.trace.subscribe()``,
``Trace.from_json``), so every picture also works from a saved trace.  Names
are imported on first use, so ``import labkit.viz`` stays cheap.

    topology(lab_or_hosts)                 networkx graph of the services, fixed layout
    draw_topology(lab_or_hosts, ax=None)   the same graph as a matplotlib Figure
    LiveFlow(lab, walkthrough=False)       widget: hops travel the topology as they happen
    Player(trace, request_id=None, which="last boot")
                                           widget: replay one request, step/scrub, hop details
    sequence_diagram(events, walkthrough=True, hide=None, show_time=False)
                                           Figure: lifelines, one arrow per hop
    compare(boot_events, shelve_events)    Figure: two sequence diagrams side by side
    instance_card(trace, instance_uuid=None)   widget: status now, every change with its hop
    state_timeline(trace, instance_uuid=None)  Figure: vm/task/power state and status over hops
    scheduler_view(trace)                  widget: filters pass/fail and weights per host
    scheduler_chart(trace)                 Figure: weigher contributions per host
    show_code(handler_or_function)         widget: labkit source beside nova's (link)

Every widget's saved output also carries ``text/html`` (``labkit.viz.static``): the
hops as a table with a script-only replay, the scheduler table, the card, the code,
so GitHub, nbviewer and a static site show them without a kernel.  ``LiveFlow.replay()``
keeps what a live view showed for a later cell.

The questions asked of a trace (which hops, which states, which request was the
last boot) are ``labkit.trace.query``'s, shared with the course and the tests;
``labkit.viz.hops`` only shapes hops for the pictures (``hops(events,
walkthrough=True)``, ``label``, ``route``, ``mirror(handler)``).
"""
import importlib

_WHERE = {
    "topology": "layout", "draw_topology": "layout",
    "LiveFlow": "live", "Player": "live",
    "sequence_diagram": "sequence", "compare": "sequence",
    "instance_card": "states", "state_timeline": "states",
    "scheduler_view": "scheduler", "scheduler_chart": "scheduler",
    "show_code": "code",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'labkit.viz' has no attribute {name!r}")
    module = importlib.import_module(f"labkit.viz.{_WHERE[name]}")
    return getattr(module, name)


def __dir__():
    return __all__
