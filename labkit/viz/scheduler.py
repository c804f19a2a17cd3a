"""What the scheduler decided and why: filters, weighers, the chosen host.

Reads the trace's ``schedule`` events, which ``SchedulerManager.select_destinations``
records after running the filters and weighers and before it claims (real nova:
``nova/scheduler/manager.py:SchedulerManager._schedule`` and ``_get_sorted_hosts``;
the old ``filter_scheduler.py`` was merged into it in nova 24, Xena), with filters
in ``nova/scheduler/filters/`` and weighers in ``nova/scheduler/weights/``).  A host survives a filter only if it passes;
the survivors are ranked by the sum of each weigher's *normalised* raw value
times its multiplier, and the best one is chosen, the next ones kept as
alternates for a reschedule.
"""
import html

from labkit.viz.figures import INK, new_figure
from labkit.viz.style import OKABE_ITO


def schedule_events(trace_or_events):
    """All ``schedule`` events, oldest first."""
    events = trace_or_events.events() if hasattr(trace_or_events, "events") else trace_or_events
    return [e for e in events if e["kind"] == "schedule"]


def _number(value):
    """A multiplier as nova's config writes it: -1000000.0 reads -1,000,000, 1.5 reads 1.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def table_html(payload):
    """The decision as an HTML table: hosts as columns, filters then weighers as rows."""
    hosts = payload.get("candidates") or []
    chosen, alternates = payload.get("chosen"), payload.get("alternates") or []

    def cell(text, strong=False):
        return f"<td style='text-align:center'>{'<b>' if strong else ''}{text}{'</b>' if strong else ''}</td>"
    head = "".join(f"<th>{html.escape(h)}{' ★' if h == chosen else ''}</th>" for h in hosts)
    rows = []
    for f in payload.get("filters", []):
        marks = [cell("✔ pass") if h in f["passed"] else cell("✘ <i>fail</i>") for h in hosts]
        rows.append(f"<tr><th style='text-align:left'>filter {html.escape(f['filter'])}</th>{''.join(marks)}</tr>")
    for w in payload.get("weighers", []):
        vals = [cell(w["raw"].get(h, "–")) for h in hosts]
        rows.append(f"<tr><th style='text-align:left'>weigher {html.escape(w['weigher'])} "
                    f"(×{_number(w['multiplier'])})</th>{''.join(vals)}</tr>")
    weights = payload.get("weights", {})
    rows.append("<tr><th style='text-align:left'>total weight</th>" + "".join(
        cell(f"{weights[h]:.3f}" if h in weights else "–", h == chosen) for h in hosts) + "</tr>")
    res = ", ".join(f"{k}={v}" for k, v in (payload.get("resources") or {}).items())
    return (f"<div style='color:var(--jp-ui-font-color0,inherit)'>"
            f"<p>Asked for <code>{html.escape(res)}</code>. Chosen: <b>{html.escape(str(chosen))}</b> ★; "
            f"alternates: {html.escape(', '.join(alternates) or 'none')}.</p>"
            f"<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def scheduler_view(trace_or_events, index=-1):
    """An HTML widget for one scheduling decision (the last one by default)."""
    from labkit.viz.static import HTMLView
    found = schedule_events(trace_or_events)
    if not found:
        return HTMLView("<i>No scheduling decision in this trace.</i>")
    event = found[index]
    return HTMLView(f"<b>select_destinations</b> for instance "
                    f"<code>{event.get('instance_uuid')}</code> (hop #{event['seq']})"
                    + table_html(event["payload"]))


def contributions(payload):
    """host -> {weigher: multiplier x normalised raw value}, as nova sums them.

    nova normalises each weigher's raw values across the hosts to 0..1
    (``nova/weights.py:normalize``) before multiplying, so a weigher only
    matters where the hosts differ.
    """
    out = {h: {} for h in payload.get("weights", {})}
    for w in payload.get("weighers", []):
        raw = {h: v for h, v in w["raw"].items() if h in out}
        lo, hi = min(raw.values(), default=0), max(raw.values(), default=0)
        for h, v in raw.items():
            out[h][w["weigher"]] = w["multiplier"] * ((v - lo) / (hi - lo) if hi > lo else 0.0)
    return out


def scheduler_chart(trace_or_events, index=-1, ax=None):
    """Grouped bars: each weigher's contribution per host, a diamond for the total.

    Hosts removed by a filter get a crossed-out placeholder; each weigher has
    its own hatch as well as its own colour, and the chosen host is named on
    the axis, so the chart reads without colour.
    """
    payload = schedule_events(trace_or_events)[index]["payload"]
    hosts = payload["candidates"]
    failed = {h: f["filter"] for f in payload["filters"] for h in f["failed"]}
    parts = contributions(payload)
    names = [w["weigher"] for w in payload.get("weighers", [])]
    colours = [OKABE_ITO[c] for c in ("sky", "orange", "green", "purple", "vermillion", "blue")]
    hatches = ["", "//", "..", "\\\\", "xx", "--"]
    if ax is None:
        fig, (ax,) = new_figure(max(6.0, 1.6 * len(hosts) + 2.5), 3.4)
    width = 0.8 / max(len(names), 1)
    for j, name in enumerate(names):
        xs = [i - 0.4 + width * (j + 0.5) for i, h in enumerate(hosts) if h in parts]
        ys = [parts[h][name] for h in hosts if h in parts]
        ax.bar(xs, ys, width=width, color=colours[j % 6], hatch=hatches[j % 6],
               edgecolor=INK, linewidth=0.5, label=name)
    totals = [(i, payload["weights"][h]) for i, h in enumerate(hosts) if h in parts]
    if totals:
        ax.plot(*zip(*totals), linestyle="none", marker="D", color=INK, label="total weight")
    for i, host in enumerate(hosts):
        if host in failed:
            ax.text(i, 0, f"filtered out\nby {failed[host]}", ha="center", va="bottom",
                    fontsize=7, color=INK)
    chosen = payload.get("chosen")
    ax.set_xticks(range(len(hosts)), [h + ("\n★ chosen" if h == chosen else
                                           "\nalternate" if h in (payload.get("alternates") or [])
                                           else "") for h in hosts], fontsize=8)
    ax.axhline(0, color=INK, linewidth=0.6)
    ax.set_ylabel("multiplier × normalised value", fontsize=8)
    ax.set_title("nova-scheduler: weigher contributions per host (higher wins)", fontsize=10,
                 loc="left")
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax.figure
