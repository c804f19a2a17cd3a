"""The visual grammar: one look per kind of hop, readable without colour.

Colours are the Okabe–Ito palette (safe for the common kinds of colour
blindness), and every kind also differs by line style and by the shape of
its arrowhead or token, so a greyscale print still tells a cast from a call.
The same table drives the matplotlib figures here and the browser widget
(``widget.js`` receives it as data), so the two never disagree.
"""

OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#999999",
    "black": "#000000",
}

# kind -> how to draw it.  ``line`` is a matplotlib linestyle, ``head`` an
# arrowstyle, ``token`` the shape that travels along the edge in the widget,
# ``dash`` the same line style as an SVG stroke-dasharray.
GRAMMAR = {
    "request":      {"color": OKABE_ITO["blue"], "line": "-", "head": "-|>", "width": 1.6,
                     "token": "circle", "dash": "", "label": "HTTP request"},
    "response":     {"color": OKABE_ITO["sky"], "line": "--", "head": "->", "width": 1.4,
                     "token": "ring", "dash": "6 3", "label": "HTTP response"},
    "cast":         {"color": OKABE_ITO["orange"], "line": "-", "head": "->", "width": 2.2,
                     "token": "triangle", "dash": "", "label": "RPC cast (one way)"},
    "call":         {"color": OKABE_ITO["vermillion"], "line": "-", "head": "simple", "width": 2.2,
                     "token": "diamond", "dash": "", "label": "RPC call (waits)"},
    "reply":        {"color": OKABE_ITO["purple"], "line": (0, (1, 1.5)), "head": "->",
                     "width": 1.8, "token": "hollow-diamond", "dash": "2 3",
                     "label": "RPC reply"},
    "db":           {"color": OKABE_ITO["green"], "line": "-.", "head": "-[", "width": 1.4,
                     "token": "square", "dash": "8 3 2 3", "label": "database access"},
    "notification": {"color": OKABE_ITO["grey"], "line": (0, (4, 2, 1, 2, 1, 2)),
                     "head": "-|>", "width": 1.2, "token": "star", "dash": "4 2 1 2",
                     "label": "notification"},
    "schedule":     {"color": OKABE_ITO["black"], "line": "-", "head": "-|>", "width": 1.4,
                     "token": "ring", "dash": "", "label": "filters and weighers"},
    "fault":        {"color": OKABE_ITO["vermillion"], "line": ":", "head": "-|>", "width": 2.4,
                     "token": "cross", "dash": "1 2", "label": "fault"},
}

# node role -> fill colour and marker (the shape repeats the role for print).
ROLES = {
    "client":   {"color": OKABE_ITO["grey"], "marker": "o"},
    "api":      {"color": OKABE_ITO["blue"], "marker": "s"},
    "service":  {"color": OKABE_ITO["sky"], "marker": "s"},
    "nova":     {"color": OKABE_ITO["orange"], "marker": "h"},
    "compute":  {"color": OKABE_ITO["vermillion"], "marker": "D"},
    "bus":      {"color": OKABE_ITO["purple"], "marker": "_"},
    "database": {"color": OKABE_ITO["green"], "marker": "8"},
    "notifications": {"color": OKABE_ITO["yellow"], "marker": "*"},
}


def style_for(kind, phase=None):
    """The grammar entry for a hop: HTTP splits into request and response."""
    if kind == "http":
        return GRAMMAR["response" if phase == "response" else "request"]
    return GRAMMAR.get(kind, GRAMMAR["fault"])


def grammar_key(kind, phase=None):
    """The key of ``GRAMMAR`` for a hop (``'request'`` for an HTTP request ...)."""
    if kind == "http":
        return "response" if phase == "response" else "request"
    return kind if kind in GRAMMAR else "fault"
