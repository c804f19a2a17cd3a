"""The browser widgets: ``LiveFlow`` (hops as they happen) and ``Player`` (a recorded request).

Both are anywidgets sharing one ES module (``widget.js``, shipped in this
package: no CDN).  The browser owns the animation: Python only sends data.

``LiveFlow`` subscribes to the trace.  The lab records hops at full speed on
its own threads; the subscription's listener thread turns each event into a
compact hop (``hops.compact``, a few hundred bytes) and a flusher thread sends
whatever accumulated every ``batch_ms`` as one trait update.  The browser
queues the hops and plays them one by one at ``speed``.  Trait updates from a
background thread reach the browser even while a notebook cell is busy, which
is what lets a cell that boots servers animate *while it runs* (kernel-side
``observe`` callbacks, by contrast, wait for the cell to finish, so nothing
here depends on them).

``Player`` sends one request's hops, with details, once; stepping, playing and
scrubbing happen in the browser and are mirrored in ``position``/``playing``,
which Python can also set (``step()``, ``back()``, ``seek()``).
"""
import collections
import json
import pathlib
import threading
import time

import anywidget
import traitlets

from labkit.trace import query
from labkit.viz import hops as hoplib
from labkit.viz.layout import as_data, topology
from labkit.viz.sequence import visible
from labkit.viz.static import Replay, replay_html, with_html
from labkit.viz.style import GRAMMAR

HERE = pathlib.Path(__file__).parent


class _Flow(anywidget.AnyWidget):
    _esm = HERE / "widget.js"
    _css = HERE / "widget.css"
    mode = traitlets.Unicode("live").tag(sync=True)
    graph = traitlets.Dict().tag(sync=True)
    grammar = traitlets.Dict().tag(sync=True)
    speed = traitlets.Float(1.0).tag(sync=True)
    paused = traitlets.Bool(False).tag(sync=True)

    def pause(self):
        self.paused = True

    def resume(self):
        self.paused = False


def _grammar():
    return {k: {key: g[key] for key in ("color", "dash", "token", "label")}
            for k, g in GRAMMAR.items()}


class LiveFlow(_Flow):
    """Hops travelling along the topology while any later cell makes calls.

    :param lab: a running lab (only ``lab.hosts`` and ``lab.trace`` are read).
    :param walkthrough: leave out db/notification/object_action/auth hops
        (default ``False``: the live view shows everything, DB hops included).
    :param batch_ms: how often queued hops are sent to the browser.
    :param speed: hops play at ``speed`` × about one per second.
    """

    batch = traitlets.Dict().tag(sync=True)

    def __init__(self, lab, walkthrough=False, batch_ms=50, speed=1.0, **kwargs):
        super().__init__(mode="live", graph=as_data(topology(lab)), grammar=_grammar(),
                         speed=speed, **kwargs)
        self.walkthrough = walkthrough
        self.stats = {"hops": 0, "messages": 0, "bytes": 0}   # what went over the wire
        self._pending, self._lock, self._sent = [], threading.Lock(), 0
        self._shown = collections.deque(maxlen=5000)        # for replay()
        self._wake, self._closed = threading.Event(), False
        self._subscription = lab.trace.subscribe(self._on_event)
        self._flusher = threading.Thread(target=self._flush_loop, args=(batch_ms / 1000,),
                                         name="labkit-liveflow", daemon=True)
        self._flusher.start()

    def _on_event(self, event):
        if self.walkthrough and query.category(event) in query.NOISE:
            return
        with self._lock:
            self._pending.append(hoplib.compact(event))
        self._wake.set()

    def _flush_loop(self, interval):
        while not self._closed:
            self._wake.wait()
            time.sleep(interval)      # let a burst of hops gather into one message
            self._wake.clear()
            self.flush()

    def flush(self):
        """Send every pending hop now, as one trait update."""
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return
        self._sent += 1
        message = {"n": self._sent, "hops": pending}
        self.stats["hops"] += len(pending)
        self.stats["messages"] += 1
        self.stats["bytes"] += len(json.dumps(message, separators=(",", ":")))
        self._shown.extend(pending)
        self.batch = message

    def bytes_per_hop(self):
        """Average JSON bytes sent per hop so far."""
        return self.stats["bytes"] / self.stats["hops"] if self.stats["hops"] else 0.0

    def close(self):
        """Stop listening to the trace and close the widget."""
        self._closed = True
        self._wake.set()
        self._subscription.close()
        super().close()

    def replay(self, title="What the live view showed"):
        """The hops sent so far (the last 5000) as a static :class:`Replay`: display it
        in a later cell to keep them on the saved page."""
        return Replay(self._shown, title)

    def _repr_mimebundle_(self, **kwargs):
        # what a page without the widget shows: the view animates later cells' hops,
        # so at display time there is nothing to draw yet; ``replay()`` keeps them
        return with_html(super()._repr_mimebundle_(**kwargs), (
            "<div class=\"labkit-static\"><p><b>Live view</b> of the lab "
            f"({len(self.graph['nodes'])} services and hosts): while the notebook runs, "
            "every hop of the later cells travels across this picture. It needs a running "
            "kernel: on a saved page it stays still (a notebook keeps what it showed with "
            "<code>flow.replay()</code> in a later cell)."
            "</p></div>"))

    def __repr__(self):   # stable for nbval: no counters, no ids
        return f"LiveFlow(nodes={len(self.graph['nodes'])}, walkthrough={self.walkthrough})"


def step_position(position, delta, count):
    """Where a player lands after moving ``delta`` hops from ``position`` (clamped)."""
    return max(0, min(count - 1, position + delta)) if count else 0


class Player(_Flow):
    """Replay one recorded request hop by hop, with the details of each hop.

    :param trace_or_events: ``lab.trace``, ``Trace.from_json(text)`` or a list of events.
    :param request_id: the request to play (``req-...``); default: ``which``.
    :param which: ``"last boot"``, ``"last shelve"`` or ``"last unshelve"``.
    :param walkthrough: hide the noise hops (see ``labkit.trace.query.NOISE``).
    """

    hops = traitlets.List().tag(sync=True)
    initial_states = traitlets.Dict().tag(sync=True)     # instances as the request found them
    position = traitlets.Int(0).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)

    def __init__(self, trace_or_events, request_id=None, which="last boot", walkthrough=True,
                 speed=1.0, **kwargs):
        events = trace_or_events.events() if hasattr(trace_or_events, "events") \
            else list(trace_or_events)
        hosts = sorted({n.split("@", 1)[1] for e in events for n in (e["src"], e["dst"])
                        if n.startswith("nova-compute@")}) or 1
        self.request_id = request_id or query.last_request(events, which)
        if self.request_id is None:
            raise ValueError(f"no {which!r} request in this trace")
        request = [e for e in events if e["request_id"] == self.request_id]
        mine = visible(request, walkthrough)
        records = []
        shown = hoplib.carry_states([hoplib.compact(e) for e in mine], request)
        for hop, detail in zip(shown, hoplib.details(mine)):
            hop["detail"] = detail
            records.append(hop)
        super().__init__(mode="player", graph=as_data(topology(hosts)), grammar=_grammar(),
                         speed=speed, hops=records,
                         initial_states=hoplib.states_before(request), **kwargs)

    def step(self, delta=1):
        """Move ``delta`` hops (negative goes back); returns the new position."""
        self.position = step_position(self.position, delta, len(self.hops))
        return self.position

    def back(self):
        return self.step(-1)

    def seek(self, index):
        """Jump to hop ``index`` (0-based, clamped)."""
        self.position = step_position(0, index, len(self.hops))
        return self.position

    def play(self):
        self.playing = True

    @property
    def current(self):
        """The details of the selected hop (what the side panel shows)."""
        return self.hops[self.position]["detail"] if self.hops else None

    def _repr_mimebundle_(self, **kwargs):
        return with_html(super()._repr_mimebundle_(**kwargs),
                         replay_html(self.hops, f"Replay of {self.request_id}"))

    def __repr__(self):
        return f"Player(request_id={self.request_id!r}, hops={len(self.hops)})"
