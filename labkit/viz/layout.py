"""Where each service sits: a networkx graph laid out in the walkthrough's reading order.

The seed walkthrough reads left to right — client, nova-api, nova-conductor,
nova-scheduler, nova-compute — so those sit on one row in that order, with
the compute hosts stacked in the last column however many there are.  The
HTTP services (keystone, glance, neutron, placement) sit on the row above,
each over the service that calls it most; the message bus is a long bar
underneath every RPC speaker, and the database and the notifications
exchange hang below it.  Positions are computed from the host list alone, so
the same lab always gives the same picture.

Edges say which hops are possible and how they travel: ``via="http"`` edges
join HTTP peers directly, ``via="bus"`` edges join each RPC speaker to the
bus, ``via="db"`` edges join the two database users to the database.  Every
route in ``labkit.viz.hops.route`` is a path in this graph (a unit test
checks it).
"""
import networkx as nx

from labkit.viz.hops import BUS, DATABASE, NOTIFICATIONS

ROW_HTTP, ROW_NOVA = 0.0, 1.3
COMPUTE_X, RISER_X, HOST_GAP = 6.4, 5.75, 0.62
FIXED = {  # node: (x, y, role, label)
    "keystone": (1.0, ROW_HTTP, "service", "keystone"),
    "glance": (2.4, ROW_HTTP, "service", "glance"),
    "neutron": (3.6, ROW_HTTP, "service", "neutron"),
    "placement": (4.8, ROW_HTTP, "service", "placement"),
    "client": (0.0, ROW_NOVA, "client", "client"),
    "nova-api": (1.0, ROW_NOVA, "api", "nova-api"),
    "nova-conductor": (2.7, ROW_NOVA, "nova", "nova-conductor"),
    "nova-scheduler": (4.4, ROW_NOVA, "nova", "nova-scheduler"),
}
HTTP_PEERS = [("client", "keystone"), ("client", "nova-api"), ("client", "glance"),
              ("client", "neutron"), ("client", "placement"), ("nova-api", "glance"),
              ("nova-api", "placement"),
              ("nova-api", "neutron"), ("nova-api", "keystone"), ("nova-scheduler", "placement"),
              ("nova-scheduler", "keystone"), ("glance", "keystone"), ("neutron", "keystone"),
              ("placement", "keystone")]
RPC_SPEAKERS = ["nova-api", "nova-conductor", "nova-scheduler"]


def _hosts(lab_or_hosts):
    if isinstance(lab_or_hosts, int):
        return [f"compute-{n}" for n in range(1, lab_or_hosts + 1)]
    if hasattr(lab_or_hosts, "hosts"):
        return list(lab_or_hosts.hosts)
    return list(lab_or_hosts)


def topology(lab_or_hosts=3):
    """The services as a networkx ``Graph``; each node has ``pos``, ``role``, ``label``.

    :param lab_or_hosts: a running ``Lab``, a list of host names, or a number
        of hosts (``compute-1`` ...).  Nothing else about the lab is read.
    """
    hosts = _hosts(lab_or_hosts)
    graph = nx.Graph(name="labkit")
    for node, (x, y, role, text) in FIXED.items():
        port = [(x, None)] if node in RPC_SPEAKERS else []
        graph.add_node(node, pos=(x, y), role=role, label=text, port=port)
    top = ROW_NOVA - HOST_GAP * (len(hosts) - 1) / 2 + 0.35
    for i, host in enumerate(hosts):
        y = round(top + i * HOST_GAP, 3)
        graph.add_node(f"nova-compute@{host}", pos=(COMPUTE_X, y), role="compute",
                       label=f"nova-compute\n{host}", port=[(RISER_X, y), (RISER_X, None)])
    last = max(ROW_NOVA, top + HOST_GAP * (len(hosts) - 1))
    bus_y = round(max(2.6, last + 0.75), 3)
    graph.graph["bus_y"] = bus_y
    graph.graph["bus_span"] = (0.55, RISER_X + 0.25)
    graph.add_node(BUS, pos=(3.2, bus_y), role="bus", label="message bus (rabbit)", port=[])
    graph.add_node(DATABASE, pos=(1.85, bus_y + 0.95), role="database", label="database",
                   port=[(1.85, None)])
    graph.add_node(NOTIFICATIONS, pos=(4.6, bus_y + 0.95), role="notifications",
                   label="notifications", port=[(4.6, None)])
    for node in graph.nodes:  # a port is where a node's drop line meets the bus
        graph.nodes[node]["port"] = [(px, bus_y if py is None else py)
                                     for px, py in graph.nodes[node]["port"]]
    computes = [f"nova-compute@{h}" for h in hosts]
    graph.add_edges_from(HTTP_PEERS, via="http")
    for compute in computes:
        graph.add_edges_from([(compute, s) for s in ("glance", "neutron", "placement",
                                                     "keystone")], via="http")
    for a, b in graph.edges:   # services validating tokens: real, but noise in a drawing
        graph.edges[a, b]["auth"] = "keystone" in (a, b) and "client" not in (a, b)
    graph.add_edges_from([(s, BUS) for s in RPC_SPEAKERS + computes + [NOTIFICATIONS]],
                         via="bus")
    graph.add_edges_from([("nova-api", DATABASE), ("nova-conductor", DATABASE)], via="db")
    return graph


def waypoints(graph, route):
    """The (x, y) points a hop's token passes: RPC drops to the bus, slides, rises.

    A route through the bus becomes: sender, sender's port on the bus, the
    receiver's port (reversed), the receiver; any other route is straight.
    """
    points = []
    for i, node in enumerate(route):
        if node == BUS:
            points += graph.nodes[route[i - 1]]["port"]
            points += list(reversed(graph.nodes[route[i + 1]]["port"]))
        else:
            points.append(graph.nodes[node]["pos"])
    return points


def point_along(points, fraction):
    """The point at ``fraction`` (0..1) of the way along a polyline (by length)."""
    if len(points) == 1:
        return points[0]
    lengths = [((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
               for (x1, y1), (x2, y2) in zip(points, points[1:])]
    target = max(0.0, min(1.0, fraction)) * sum(lengths)
    for (x1, y1), (x2, y2), length in zip(points, points[1:], lengths):
        if target <= length and length:
            f = target / length
            return (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f)
        target -= length
    return points[-1]


def frames(graph, hop, steps=10):
    """Token positions for one hop, ``steps + 1`` of them from sender to receiver."""
    points = waypoints(graph, hop["route"])
    return [point_along(points, i / steps) for i in range(steps + 1)]


def as_data(graph):
    """The graph as JSON-able data for the browser widget (sent once, not per hop)."""
    nodes = [{"id": n, "x": d["pos"][0], "y": d["pos"][1], "role": d["role"],
              "label": d["label"], "port": d["port"]} for n, d in graph.nodes(data=True)]
    edges = [[a, b, d["via"]] for a, b, d in graph.edges(data=True) if not d.get("auth")]
    return {"nodes": nodes, "edges": edges, "bus_y": graph.graph["bus_y"],
            "bus_span": list(graph.graph["bus_span"])}


def draw_topology(lab_or_hosts=3, ax=None, highlight=()):
    """A static matplotlib drawing of the topology; returns the Figure.

    :param highlight: node names to draw with a thick outline (e.g. a hop's route).
    """
    from labkit.viz.figures import draw_topology_on
    graph = lab_or_hosts if isinstance(lab_or_hosts, nx.Graph) else topology(lab_or_hosts)
    return draw_topology_on(graph, ax=ax, highlight=highlight)
