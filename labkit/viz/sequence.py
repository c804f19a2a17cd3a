"""Space-time (sequence) diagrams of a real run, like the walkthrough's boot.png and shelve.png.

One lifeline per service, time running down the page, one arrow per hop in
the order the trace recorded them.  The kind of hop is in the line itself
(see ``labkit.viz.style``): HTTP requests are solid with a filled head and
their responses dashed with an open head, as in UML; an RPC cast is a thick
line with an open head (nobody waits), a call a thick line with a filled head,
its reply dotted; database access is dash-dot into a bracket.

Arrows are ``FancyArrowPatch`` artists whose gid is ``hop-<seq>``, so a test
(or a curious learner) can find the arrow for any hop on the Axes.
"""
from labkit.trace.query import NOISE, category
from labkit.viz.figures import INK, legend_handles, new_figure
from labkit.viz.hops import DATABASE, NOTIFICATIONS, label
from labkit.viz.style import style_for

ORDER = ["client", "keystone", "nova-api", "glance", "neutron", "nova-conductor",
         "nova-scheduler", "placement"]
ROW = 0.34   # inches of figure per hop


def lifelines(*event_lists):
    """Lifelines used by the events, in the walkthrough's reading order."""
    used = {n for events in event_lists for e in events for n in (e["src"], e["dst"])}
    computes = sorted(n for n in used if n.startswith("nova-compute@"))
    tail = [n for n in (DATABASE, NOTIFICATIONS) if n in used]
    others = sorted(used - set(ORDER) - set(computes) - set(tail))
    return [n for n in ORDER if n in used] + computes + others + tail


def visible(events, walkthrough=True, hide=None):
    """The events a diagram draws: all, or all but the ``NOISE`` categories in ``hide``."""
    hide = tuple(hide) if hide is not None else (NOISE if walkthrough else ())
    return [e for e in events if category(e) not in hide]


def _arrow(ax, x1, x2, y, event):
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path
    g = style_for(event["kind"], event.get("phase"))
    heads = {"-|>": "-|>,head_length=5,head_width=3", "->": "->,head_length=7,head_width=4",
             "-[": "-[,widthB=3,lengthB=0.3",
             "simple": "simple,head_length=0.8,head_width=0.75,tail_width=0.22"}
    common = dict(arrowstyle=heads[g["head"]], color=g["color"], linewidth=g["width"],
                  linestyle=g["line"], mutation_scale=1.6, zorder=3, gid=f"hop-{event['seq']}")
    if g["head"] == "simple":      # a call: a heavy filled arrow (the sender blocks)
        common.update(mutation_scale=11, linewidth=0.6)
    if x1 == x2:   # a hop inside one service (the scheduler's filters and weighers)
        loop = Path([(x1, y + 0.2), (x1 + 0.3, y + 0.2), (x1 + 0.3, y - 0.2), (x1 + 0.02, y - 0.2)],
                    [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO])
        arrow = FancyArrowPatch(path=loop, **common)
    else:
        arrow = FancyArrowPatch((x1, y), (x2, y), shrinkA=2, shrinkB=2, **common)
    ax.add_patch(arrow)
    return arrow


def draw_sequence(ax, events, lanes, title=None, show_time=False, rows=None):
    """Draw the given events on ``ax`` as one arrow each, top to bottom."""
    rows = rows or len(events)
    used = {n for e in events for n in (e["src"], e["dst"])}
    for x, lane in enumerate(lanes):
        faded = lane not in used
        ax.plot([x, x], [0.2, -rows - 0.5], color="#bbbbbb" if faded else "#777777",
                linestyle=(0, (2, 3)), linewidth=0.8, zorder=1)
        name = lane.replace("nova-compute@", "nova-compute\n")
        ax.text(x, 0.45, name + ("\n(no hop drawn)" if faded else ""), ha="center", va="bottom",
                fontsize=8, color="#999999" if faded else INK,
                fontweight="normal" if faded else "bold",
                bbox=dict(boxstyle="round,pad=0.25", facecolor="#f4f4f4" if faded else "#e8f1f8",
                          edgecolor="#bbbbbb" if faded else "#777777"))
    for i, event in enumerate(events):
        y = -(i + 1)
        x1, x2 = lanes.index(event["src"]), lanes.index(event["dst"])
        _arrow(ax, x1, x2, y, event)
        mid = (x1 + x2) / 2 if x1 != x2 else x1 + 0.45
        ax.text(mid, y + 0.08, label(event), ha="center" if x1 != x2 else "left",
                va="bottom", fontsize=6.5, color=INK, zorder=4,
                bbox=dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none",
                          alpha=0.75))
        margin = f"{i + 1}" + (f"  {event['t']:.3f}s" if show_time else "")
        ax.text(-0.55, y, margin, ha="right", va="center", fontsize=6, color="#777777")
    ax.set_xlim(-0.9 - (0.5 if show_time else 0), len(lanes) - 0.4)
    ax.set_ylim(-rows - 0.7, 1.5)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11, color=INK, loc="left")


def sequence_diagram(events, ax=None, walkthrough=True, hide=None, title=None,
                     show_time=False, legend=True):
    """A sequence diagram of ``events`` (e.g. ``lab.trace.events(request_id=rid)``).

    :param walkthrough: hide db, notification, ``object_action`` and service
        auth hops, as the walkthrough's pictures do; ``False`` draws every hop.
    :param hide: the exact ``NOISE`` categories to hide (overrides ``walkthrough``).
    :param show_time: print each hop's time in the margin (off: pictures stay
        identical run to run).
    :returns: the matplotlib Figure (``fig.savefig("boot.svg")`` saves it).
    """
    shown = visible(events, walkthrough, hide)
    lanes = lifelines(shown)
    if ax is None:
        fig, (ax,) = new_figure(max(6.0, 1.05 * len(lanes) + 1), 1.6 + ROW * len(shown))
    draw_sequence(ax, shown, lanes, title=title, show_time=show_time)
    if legend:
        _legend(ax.figure, shown)
    return ax.figure


def _legend(fig, events):
    from labkit.viz.style import grammar_key
    keys = []
    for e in events:
        key = grammar_key(e["kind"], e.get("phase"))
        if key not in keys:
            keys.append(key)
    fig.legend(handles=legend_handles(keys), loc="outside lower center", ncol=min(4, len(keys)),
               fontsize=8, frameon=False)


def compare(boot_events, shelve_events, walkthrough=True, hide=None,
            titles=("boot: POST /servers", "shelve: POST /servers/{id}/action")):
    """Two sequence diagrams side by side on the same lifelines.

    With a boot and a shelve, the right side makes the walkthrough's point:
    the shelve goes from nova-api straight to nova-compute, and the scheduler
    only hears compute's fanout ``delete_instance_info`` (bookkeeping, not a
    choice of host).  A lifeline with no hop drawn is labelled so, not "unused":
    the walkthrough view hides the ``object_action`` round trips, and compute's
    saves go through the conductor all the same.
    """
    left, right = visible(boot_events, walkthrough, hide), visible(shelve_events, walkthrough, hide)
    lanes = lifelines(left, right)
    rows = max(len(left), len(right), 1)
    fig, axes = new_figure(2 * max(6.0, 1.05 * len(lanes) + 1), 1.6 + ROW * rows, axes=2)
    draw_sequence(axes[0], left, lanes, title=titles[0], rows=rows)
    draw_sequence(axes[1], right, lanes, title=titles[1], rows=rows)
    _legend(fig, left + right)
    return fig
