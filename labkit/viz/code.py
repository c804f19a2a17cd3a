"""Code beside nova: labkit's source of a handler, and the nova function it mirrors.

Every hop's ``handler`` names the labkit function that handled it, and the
table in ``labkit/upstream/`` names the function it stands in for, e.g.
``labkit.nova.conductor.manager.ComputeTaskManager.schedule_and_build_instances``
is nova 34.0.0's ``nova/conductor/manager.py``
``ComputeTaskManager.schedule_and_build_instances``.  ``show_code`` puts the two
side by side: the source here, a link to the release there.
"""
import html
import importlib
import inspect

from labkit.common.reflection import get_callable_name
from labkit.viz.hops import mirror


def resolve(handler):
    """The Python object a dotted handler path names (module, class, then attributes)."""
    parts = handler.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(handler)


def code_html(handler_or_function):
    """The HTML ``show_code`` displays (pure apart from reading the source)."""
    if isinstance(handler_or_function, dict):            # a trace event
        handler_or_function = handler_or_function.get("handler")
    name = handler_or_function if isinstance(handler_or_function, str) else get_callable_name(handler_or_function)
    obj = resolve(name) if isinstance(handler_or_function, str) else handler_or_function
    source = inspect.getsource(inspect.unwrap(obj))
    where = inspect.getsourcefile(inspect.unwrap(obj)) or "?"
    up = mirror(name)
    link = (f"<a href='{up['url']}' target='_blank' rel='noopener'>{up['project']} "
            f"{up['version']}: <code>{up['path']}</code></a> — "
            f"<code>{html.escape(up['function'])}</code>"
            + (f"<br><small>{html.escape(up['note'])}</small>" if up.get("note") else "")
            if up else "no upstream counterpart")
    return (f"<div style='color:var(--jp-ui-font-color0,inherit)'>"
            f"<p><b>labkit</b> <code>{html.escape(name)}</code><br>"
            f"<small>{html.escape(where.split('/labkit/')[-1] if '/labkit/' in where else where)}</small><br>"
            f"<b>mirrors</b> {link}</p>"
            f"<pre style='max-height:28em;overflow:auto;border:1px solid var(--jp-border-color1,#999);"
            f"padding:6px'>{html.escape(source)}</pre></div>")


def show_code(handler_or_function):
    """An HTML widget with labkit's source of a handler and a link to nova's.

    :param handler_or_function: a dotted handler name from a trace event
        (``event["handler"]``), the event itself, or the function.
    """
    from labkit.viz.static import HTMLView
    return HTMLView(code_html(handler_or_function))
