"""One instance's life: an HTML card and a state timeline, tied to the hops that changed it.

nova keeps three state fields on an instance (``nova/compute/vm_states.py``,
``nova/compute/task_states.py``, ``nova/compute/power_state.py``) and derives
the API ``status`` from the first two (``nova/api/openstack/common.py``).
Every change is a database write in the trace (``states`` before/after), so
each step of the timeline names the hop — sequence number and DB API call —
that caused it.
"""
import html

from labkit.viz.figures import INK, new_figure
from labkit.trace.query import states as state_rows
from labkit.viz.style import OKABE_ITO

FIELDS = ("status", "vm_state", "task_state", "power_state")


def _events(source):
    return source.events() if hasattr(source, "events") else list(source)


def card_html(rows, title=None):
    """The card's HTML: the latest states on top, the history below (pure)."""
    if not rows:
        return "<div class='labkit-card'><i>No state changes recorded yet.</i></div>"
    now = rows[-1]
    head = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{f}</th>"
                   f"<td><code>{html.escape(str(now[f]))}</code></td></tr>"
                   for f in FIELDS + ("host",))
    body = "".join(
        f"<tr><td>#{r['seq']}</td><td><code>{html.escape(r['cause'])}</code></td>"
        + "".join(f"<td>{html.escape(str(r[f]))}</td>" for f in FIELDS) + "</tr>"
        for r in rows)
    cols = "".join(f"<th style='text-align:left'>{f}</th>" for f in ("hop", "caused by") + FIELDS)
    return (f"<div class='labkit-card' style='border:1px solid var(--jp-border-color1,#999);"
            f"border-radius:6px;padding:8px;color:var(--jp-ui-font-color0,inherit)'>"
            f"<b>{html.escape(title or 'instance')}</b><table>{head}</table>"
            f"<details><summary>{len(rows)} state changes</summary>"
            f"<table style='font-size:90%'><tr>{cols}</tr>{body}</table></details></div>")


def instance_card(trace_or_events, instance_uuid=None):
    """An HTML widget: the instance's current status and every change with its hop.

    :param trace_or_events: ``lab.trace``, a ``Trace.from_json`` trace or a list of events.
    :param instance_uuid: the instance (default: the first one in the trace).
    """
    from labkit.viz.static import HTMLView
    rows = state_rows(_events(trace_or_events), instance_uuid)
    uuid = instance_uuid or (rows[0] and _uuid_of(trace_or_events, rows[0]["seq"]) if rows else None)
    return HTMLView(card_html(rows, f"instance {uuid or ''}".strip()))


def _uuid_of(trace_or_events, seq):
    return next((e.get("instance_uuid") for e in _events(trace_or_events) if e["seq"] == seq), None)


def state_timeline(trace_or_events, instance_uuid=None, ax=None, fields=FIELDS):
    """A step chart: one band per field, a labelled block per value, x = hop order.

    ``fields`` are the bands, top to bottom (add ``"host"`` to see a server move).

    Blocks are labelled with the value and hatched when the value is None, so
    the chart reads without colour.  The x axis is the hop that caused the
    change (``#seq``), not wall time, so a seeded lab always draws the same.
    """
    rows = state_rows(_events(trace_or_events), instance_uuid)
    if ax is None:
        fig, (ax,) = new_figure(max(10.0, 0.8 * len(rows)), 3.4)
    palette = [OKABE_ITO[c] for c in ("sky", "orange", "green", "yellow", "blue",
                                      "purple", "vermillion", "grey")]
    colours = {}
    n = len(rows)
    for band, field in enumerate(reversed(fields)):
        start = 0
        for i in range(1, n + 1):
            if i < n and rows[i][field] == rows[start][field]:
                continue
            value = rows[start][field]
            colour = colours.setdefault(str(value), palette[len(colours) % len(palette)])
            ax.barh(band, i - start, left=start, height=0.7, color="white" if value is None
                    else colour, edgecolor=INK, linewidth=0.6, hatch="//" if value is None else None)
            text = "None" if value is None else str(value)
            if i - start < 2 and len(text) > 9:    # narrow block: break the long names
                text = text.replace("_", "_\n", 2)
            ax.text(start + (i - start) / 2, band, text, ha="center", va="center",
                    fontsize=6.5 if i - start < 2 else 7.5, color=INK, clip_on=True)
            start = i
    ax.set_yticks(range(len(fields)), list(reversed(fields)), fontsize=8)
    ax.set_xticks([i + 0.5 for i in range(n)], [f"#{r['seq']} {r['src'].replace('nova-', '')}"
                                                for r in rows], fontsize=7, rotation=35, ha="right")
    ax.set_xlim(0, max(n, 1))
    ax.set_xlabel("the hop that made each change (trace seq, service that wrote it)", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax.figure
