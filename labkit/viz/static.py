"""What a saved page shows where a widget would be: the hops as HTML, plus a replay in plain JS.

A widget needs a running kernel (or saved widget state) to draw.  GitHub,
nbviewer and a static site show instead the next representation the output
carries, so every labkit widget adds a ``text/html`` one beside its
``application/vnd.jupyter.widget-view+json``.  For hops that is:

* a table of the hops in order (who sent what to whom, and how the instance's
  states changed) — readable anywhere, even where scripts are stripped;
* on pages that run scripts (nbviewer, a static site) a small self-contained
  player on top of that table: the hop list is embedded as JSON, and the
  buttons step through it and show each hop's details.  No kernel, no network.

The block is wrapped in ``<div class="labkit-replay">…</div><!--/labkit-replay-->``
so the notebook tests can fold it (``tests/nbval_sanitize.cfg``): it holds
payloads and timings that vary between runs, while the short ``text/plain``
beside it is what a re-run is compared on.

Real OpenStack has nothing like it; the nearest is osprofiler's HTML report
(``osprofiler/cmd/template.html``), which also embeds the trace as JSON.
"""
import html
import json
import uuid

import ipywidgets

PAYLOAD_LIMIT = 1500
_DETAIL_KEYS = ("hop", "protocol", "what", "rpc", "handler", "payload")

_SCRIPT = """
(function () {
  var root = document.getElementById(__ROOT__);
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var hops = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var rows = root.querySelectorAll("tbody tr"), at = 0, timer = null;
  var bar = document.createElement("div"), panel = document.createElement("pre");
  panel.style.cssText = "white-space:pre-wrap;max-height:18em;overflow:auto;font-size:85%";
  function button(text, action) {
    var b = document.createElement("button");
    b.textContent = text; b.onclick = action; bar.appendChild(b); return b;
  }
  var label = document.createElement("span");
  function show(i) {
    at = Math.max(0, Math.min(hops.length - 1, i));
    rows.forEach(function (r, k) {
      r.style.background = k === at ? "#ffe9a8" : "";
      r.style.opacity = k > at ? "0.45" : "1";
    });
    var d = hops[at] || {};
    label.textContent = "  hop " + (at + 1) + " of " + hops.length + "  ";
    panel.textContent = [d.hop, d.protocol + (d.rpc ? " (" + d.rpc + ")" : ""), d.what,
                         d.handler ? "handled by " + d.handler : "", d.payload || ""]
                        .filter(Boolean).join("\\n");
  }
  function play() {
    if (timer) { clearInterval(timer); timer = null; return; }
    if (at >= hops.length - 1) show(0);
    timer = setInterval(function () {
      if (at >= hops.length - 1) { clearInterval(timer); timer = null; } else show(at + 1);
    }, 900);
  }
  button("\\u23ee", function () { show(0); });
  button("\\u25c0", function () { show(at - 1); });
  button("\\u25b6 play / pause", play);
  button("\\u25b6", function () { show(at + 1); });
  bar.appendChild(label);
  rows.forEach(function (r, k) {
    r.style.cursor = "pointer"; r.onclick = function () { show(k); };
  });
  root.insertBefore(panel, root.querySelector("table"));
  root.insertBefore(bar, panel);
  show(0);
})();
"""


def _state(hop):
    state = hop.get("state")
    if not state:
        return ""
    task = state.get("task_state") or "-"
    where = f" @ {state['host']}" if state.get("host") else ""
    return f"{state['status']} ({state['vm_state']}/{task}){where}"


def hop_table(hops):
    """An HTML table of compact hops (``labkit.viz.hops.compact``): one row per hop, in order."""
    rows = "".join(
        f"<tr><td>{i}</td><td>{html.escape(h['src'])} → {html.escape(h['dst'])}</td>"
        f"<td>{html.escape(h['kind'])}</td><td><code>{html.escape(h['label'])}</code></td>"
        f"<td>{html.escape(_state(h))}</td></tr>"
        for i, h in enumerate(hops, 1))
    return ("<table><thead><tr><th>#</th><th>hop</th><th>kind</th><th>what</th>"
            f"<th>instance after</th></tr></thead><tbody>{rows}</tbody></table>")


def _details(hop):
    detail = hop.get("detail") or {"hop": f"{hop['src']} → {hop['dst']}",
                                   "protocol": hop["kind"], "what": hop["label"]}
    out = {k: detail.get(k) for k in _DETAIL_KEYS if detail.get(k)}
    if len(out.get("payload", "")) > PAYLOAD_LIMIT:
        out["payload"] = out["payload"][:PAYLOAD_LIMIT] + "\n…"
    return out


def replay_html(hops, title):
    """The hop table under ``title``, with the hops embedded and a script that replays them."""
    element = f"labkit-replay-{uuid.uuid4().hex}"
    data = json.dumps([_details(h) for h in hops], ensure_ascii=False, default=str)
    data = data.replace("<", "\\u003c")          # no "</script>" or "<!--" inside the script
    script = _SCRIPT.replace("__ROOT__", json.dumps(element))
    return (f"<div class=\"labkit-replay\" id=\"{element}\"><p><b>{html.escape(title)}</b> "
            f"({len(hops)} hops; run the notebook for the live widget)</p>"
            f"<script type=\"application/json\">{data}</script>{hop_table(hops)}"
            f"<script>{script}</script></div><!--/labkit-replay-->")


class Replay:
    """Recorded hops as a static page element: the table and the script player, no widget.

    What ``LiveFlow.replay()`` returns, so a later cell can keep what a live
    view showed on the saved page.
    """

    def __init__(self, hops, title="Recorded hops"):
        self.hops, self.title = list(hops), title

    def _repr_mimebundle_(self, **kwargs):
        return {"text/plain": repr(self), "text/html": replay_html(self.hops, self.title)}

    def __repr__(self):   # no count: a live view's hop count varies with polling
        return f"Replay({self.title!r})"


def with_html(bundle, text_html):
    """Add ``text/html`` to a widget's mime bundle (a dict, or a (data, metadata) pair)."""
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    data["text/html"] = text_html
    return bundle


class HTMLView(ipywidgets.HTML):
    """An ``ipywidgets.HTML`` whose saved output carries its ``value`` as ``text/html`` too
    (the scheduler view, the instance card, the code view)."""

    def _repr_mimebundle_(self, **kwargs):
        return with_html(super()._repr_mimebundle_(**kwargs), self.value)

    def __repr__(self):   # ipywidgets.HTML's, so the saved text/plain stays as it was
        return super().__repr__().replace(type(self).__name__, "HTML", 1)
