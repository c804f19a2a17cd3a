"""Shared matplotlib helpers: the topology drawing and the hop-kind legend.

Every figure is drawn on a white face colour, so it reads the same in
JupyterLab's light and dark themes, and uses no timestamps, so a seeded lab
gives the same picture every run (nbval compares only ``<Figure size ...>``,
but learners compare pictures too).
"""

from labkit.viz.hops import BUS
from labkit.viz.style import GRAMMAR, ROLES

FACE = "white"
INK = "#222222"


def new_figure(width, height, axes=1):
    """A figure with a white face and ``axes`` side-by-side Axes (no pyplot state)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), facecolor=FACE, layout="constrained")
    axs = fig.subplots(1, axes, squeeze=False)[0]
    for ax in axs:
        ax.set_facecolor(FACE)
    return fig, list(axs)


def legend_handles(keys=None):
    """Line2D handles, one per hop kind, showing colour *and* line style *and* marker."""
    from matplotlib.lines import Line2D
    markers = {"circle": "o", "ring": "o", "triangle": ">", "diamond": "D",
               "hollow-diamond": "D", "square": "s", "star": "*", "cross": "x"}
    out = []
    for key in keys or GRAMMAR:
        g = GRAMMAR[key]
        hollow = g["token"] in ("ring", "hollow-diamond")
        out.append(Line2D([0, 1], [0, 0], color=g["color"], linestyle=g["line"],
                          linewidth=g["width"], marker=markers[g["token"]], markersize=6,
                          markerfacecolor="none" if hollow else g["color"], label=g["label"]))
    return out


def draw_topology_on(graph, ax=None, highlight=()):
    """Draw ``graph`` (from ``layout.topology``) with networkx; returns the Figure."""
    import networkx as nx
    from matplotlib.patches import FancyBboxPatch
    if ax is None:
        fig, (ax,) = new_figure(9.5, 0.9 + 1.15 * (graph.graph["bus_y"] + 1.2))
    fig = ax.figure
    pos = {n: (x, -y) for n, (x, y) in nx.get_node_attributes(graph, "pos").items()}
    bus_y = -graph.graph["bus_y"]
    x0, x1 = graph.graph["bus_span"]
    ax.add_patch(FancyBboxPatch((x0, bus_y - 0.07), x1 - x0, 0.14, boxstyle="round,pad=0.02",
                                facecolor=ROLES["bus"]["color"], edgecolor=INK, alpha=0.9))
    ax.text((x0 + x1) / 2, bus_y - 0.22, graph.nodes[BUS]["label"], ha="center", va="top",
            fontsize=9, color=INK)
    styles = {"http": ("-", GRAMMAR["request"]["color"]), "db": ("-.", GRAMMAR["db"]["color"])}
    for via, (line, color) in styles.items():
        edges = [(a, b) for a, b, d in graph.edges(data=True) if d["via"] == via and not d.get("auth")]
        nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, style=line, edge_color=color,
                               alpha=0.45, width=1.2, arrows=False)
    for node, data in graph.nodes(data=True):  # drops from RPC speakers to the bus
        if node == BUS or not graph.has_edge(node, BUS):
            continue
        xs, ys = zip(*[data["pos"]] + data["port"])
        ax.plot(xs, [-y for y in ys], color=GRAMMAR["cast"]["color"], linestyle="--",
                linewidth=1.2, alpha=0.7)
    for node, data in graph.nodes(data=True):
        if node == BUS:
            continue
        role = ROLES[data["role"]]
        x, y = pos[node]
        thick = node in highlight
        ax.add_patch(FancyBboxPatch((x - 0.42, y - 0.17), 0.84, 0.34,
                                    boxstyle="round,pad=0.03", facecolor=role["color"],
                                    edgecolor=INK, linewidth=2.8 if thick else 0.8,
                                    alpha=0.95 if thick else 0.85, zorder=3))
        ax.text(x, y, data["label"], ha="center", va="center", fontsize=8, color=INK,
                zorder=4, fontweight="bold" if thick else "normal")
    ax.legend(handles=legend_handles(["request", "cast", "db"]), loc="lower right",
              fontsize=7, frameon=False, labels=["HTTP", "RPC via the bus", "database"])
    ax.set_xlim(-0.6, 7.0)
    ax.set_ylim(-graph.graph["bus_y"] - 1.4, 0.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
