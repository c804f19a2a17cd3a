// labkit.viz front end: the live flow and the player share this one ES module.
// No imports, no CDN: anywidget loads it from the kernel as a blob: URL.
// The model carries: mode ("live" | "player"), graph (nodes, edges, bus),
// grammar (one look per hop kind), speed, paused; live: batch {n, hops};
// player: hops (with details), position, playing.
const NS = "http://www.w3.org/2000/svg";
const U = 120, PAD = 60, BASE_MS = 900;

function make(tag, attrs = {}, parent = null, ns = NS) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}
const html = (tag, attrs, parent) => make(tag, attrs, parent, null);
const px = ([x, y]) => [x * U + PAD, y * U + PAD];
const gkey = (h) => h.kind === "http" ? (h.phase === "response" ? "response" : "request") : h.kind;

function polyline(graph, route) {            // mirrors layout.waypoints()
  const byId = graph.byId, pts = [];
  route.forEach((n, i) => {
    if (n === "message-bus") {
      pts.push(...byId[route[i - 1]].port);
      pts.push(...[...byId[route[i + 1]].port].reverse());
    } else pts.push([byId[n].x, byId[n].y]);
  });
  return pts.map(px);
}
function along(pts, f) {                    // mirrors layout.point_along()
  if (pts.length === 1) return [pts[0], 0];
  const lens = pts.slice(1).map((p, i) => Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1]));
  let t = Math.max(0, Math.min(1, f)) * lens.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lens.length; i++) {
    const [a, b] = [pts[i], pts[i + 1]];
    const ang = Math.atan2(b[1] - a[1], b[0] - a[0]);
    if (t <= lens[i] && lens[i]) return [[a[0] + (b[0] - a[0]) * t / lens[i], a[1] + (b[1] - a[1]) * t / lens[i]], ang];
    t -= lens[i];
  }
  const n = pts.length;
  return [pts[n - 1], Math.atan2(pts[n - 1][1] - pts[n - 2][1], pts[n - 1][0] - pts[n - 2][0])];
}
function token(shape, color, parent) {      // the shape carries the kind, not only the colour
  const s = 8, g = make("g", {class: "lk-token"}, parent);
  const fill = (shape === "ring" || shape === "hollow-diamond") ? "var(--lk-bg)" : color;
  const a = {fill, stroke: color, "stroke-width": 2.5};
  const shapes = {
    circle: () => make("circle", {r: s, ...a, stroke: "#222", "stroke-width": 1}, g),
    ring: () => make("circle", {r: s, ...a}, g),
    triangle: () => make("path", {d: `M${s + 3},0 L${-s},${-s} L${-s},${s} Z`, ...a, stroke: "#222", "stroke-width": 1}, g),
    diamond: () => make("path", {d: `M${s + 2},0 L0,${-s} L${-s - 2},0 L0,${s} Z`, ...a, stroke: "#222", "stroke-width": 1}, g),
    "hollow-diamond": () => make("path", {d: `M${s + 2},0 L0,${-s} L${-s - 2},0 L0,${s} Z`, ...a}, g),
    square: () => make("rect", {x: -s, y: -s, width: 2 * s, height: 2 * s, ...a, stroke: "#222", "stroke-width": 1}, g),
    star: () => make("path", {d: "M0,-10 L3,-3 L10,-3 L4,2 L6,9 L0,5 L-6,9 L-4,2 L-10,-3 L-3,-3 Z", ...a, stroke: "#222", "stroke-width": 1}, g),
    cross: () => make("path", {d: `M${-s},${-s} L${s},${s} M${s},${-s} L${-s},${s}`, ...a, "stroke-width": 4}, g),
  };
  (shapes[shape] || shapes.circle)();
  return g;
}

function drawGraph(svg, graph) {
  const xs = graph.nodes.map((n) => n.x), ys = graph.nodes.map((n) => n.y);
  const w = Math.max(...xs) * U + 2 * PAD, h = Math.max(...ys) * U + 2 * PAD;
  svg.setAttribute("viewBox", `${Math.min(...xs) * U} ${Math.min(...ys) * U} ${w} ${h}`);
  graph.width = w;
  const [bx0] = px([graph.bus_span[0], 0]), [bx1, by] = px([graph.bus_span[1], graph.bus_y]);
  const under = make("g", {}, svg);
  for (const [a, b, via] of graph.edges) {
    if (via !== "http" && via !== "db") continue;
    const [p, q] = [px([graph.byId[a].x, graph.byId[a].y]), px([graph.byId[b].x, graph.byId[b].y])];
    make("line", {x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: `lk-edge lk-${via}`}, under);
  }
  for (const n of graph.nodes) {
    if (!n.port.length || n.role === "bus") continue;
    const pts = [[n.x, n.y], ...n.port].map(px);
    make("polyline", {points: pts.map((p) => p.join(",")).join(" "), class: "lk-edge lk-drop"}, under);
  }
  make("rect", {x: bx0, y: by - 9, width: bx1 - bx0, height: 18, rx: 9, class: "lk-bus"}, svg);
  const bl = make("text", {x: (bx0 + bx1) / 2, y: by + 30, class: "lk-buslabel"}, svg);
  bl.textContent = "message bus (rabbit): every cast, call, reply and notification passes here";
  const boxes = {};
  for (const n of graph.nodes) {
    if (n.role === "bus") continue;
    const [x, y] = px([n.x, n.y]);
    const g = make("g", {class: `lk-node lk-role-${n.role}`, "data-node": n.id}, svg);
    make("rect", {x: x - 52, y: y - 21, width: 104, height: 42, rx: 8}, g);
    const lines = n.label.split("\n");
    lines.forEach((t, i) => {
      const tx = make("text", {x, y: y + 4 + (i - (lines.length - 1) / 2) * 14}, g);
      tx.textContent = t;
    });
    boxes[n.id] = g;
  }
  return boxes;
}

function legend(parent, grammar) {
  const box = html("div", {class: "lk-legend"}, parent);
  for (const [key, g] of Object.entries(grammar)) {
    if (key === "fault") continue;
    const item = html("span", {class: "lk-legend-item"}, box);
    const svg = make("svg", {width: 46, height: 18, viewBox: "0 0 46 18"}, item);
    make("line", {x1: 2, y1: 9, x2: 30, y2: 9, stroke: g.color, "stroke-width": 2.5, "stroke-dasharray": g.dash}, svg);
    token(g.token, g.color, svg).setAttribute("transform", "translate(36,9) scale(0.7)");
    html("span", {}, item).textContent = g.label;
  }
}

function stateTable(div, states) {
  const rows = Object.entries(states).map(([uuid, s]) =>
    `<tr><td><code>${uuid}</code></td><td><b>${s.status}</b></td><td>${s.vm_state}</td>` +
    `<td>${s.task_state ?? "–"}</td><td>${s.power_state}</td><td>${s.host ?? "–"}</td></tr>`);
  div.innerHTML = rows.length ? `<table><tr><th>instance</th><th>status</th><th>vm_state</th>` +
    `<th>task_state</th><th>power</th><th>host</th></tr>${rows.join("")}</table>` : "<i>no instance yet</i>";
}

function makeStage(root, model) {
  const graph = model.get("graph");
  graph.byId = Object.fromEntries(graph.nodes.map((n) => [n.id, n]));
  const grammar = model.get("grammar");
  const bar = html("div", {class: "lk-bar"}, root);
  const svg = make("svg", {class: "lk-stage", preserveAspectRatio: "xMidYMid meet"}, root);
  const boxes = drawGraph(svg, graph);
  const trails = make("g", {}, svg), tokens = make("g", {}, svg);
  const side = html("div", {class: "lk-side"}, root);
  const counter = html("div", {class: "lk-counter"}, side);
  const statesDiv = html("div", {class: "lk-states"}, side);
  legend(root, grammar);
  const frames = (window.__labkitFrames = window.__labkitFrames || []);
  const stage = {bar, side, counter, statesDiv, states: {}, flight: null, onDone: null};
  stage.fly = (hop) => {                    // start animating one hop
    const g = grammar[gkey(hop)] || grammar.fault;
    const pts = polyline(graph, hop.route);
    const path = make("polyline", {points: pts.map((p) => p.join(",")).join(" "), class: "lk-trail",
      stroke: g.color, "stroke-width": 3, "stroke-dasharray": g.dash || "none"}, trails);
    const tok = token(g.token, g.color, tokens);
    const text = make("text", {class: "lk-hoplabel"}, tokens);
    text.textContent = hop.label;
    for (const n of hop.route) boxes[n] && boxes[n].classList.add("lk-active");
    stage.flight = {hop, pts, tok, text, path, t0: performance.now(), dur: BASE_MS / model.get("speed")};
  };
  stage.land = () => {
    const f = stage.flight; stage.flight = null;
    f.tok.remove(); f.text.remove();
    for (const n of f.hop.route) boxes[n] && boxes[n].classList.remove("lk-active");
    f.path.classList.add("lk-fading");
    setTimeout(() => f.path.remove(), 1500);
    if (f.hop.state) { stage.states[f.hop.state.uuid] = f.hop.state; stateTable(statesDiv, stage.states); }
    stage.onDone && stage.onDone(f.hop);
  };
  stage.tick = (now) => {
    const f = stage.flight;
    if (!f) return;
    if (model.get("paused")) { f.t0 = now - f.elapsed; return; }
    f.elapsed = now - f.t0;
    const [[x, y], ang] = along(f.pts, f.elapsed / f.dur);
    f.tok.setAttribute("transform", `translate(${x},${y}) rotate(${ang * 180 / Math.PI})`);
    const right = x > graph.width * 0.6;      // keep the label inside the picture
    f.text.setAttribute("text-anchor", right ? "end" : "start");
    f.text.setAttribute("x", right ? x - 12 : x + 12); f.text.setAttribute("y", y - 12);
    if (frames.length < 20000) frames.push(now);
    if (f.elapsed >= f.dur) stage.land();
  };
  stateTable(statesDiv, {});
  return stage;
}

function controls(stage, model) {
  const pause = html("button", {class: "lk-btn", title: "pause / resume"}, stage.bar);
  const showPause = () => (pause.textContent = model.get("paused") ? "▶ resume" : "‖ pause");
  pause.onclick = () => { model.set("paused", !model.get("paused")); model.save_changes(); };
  model.on("change:paused", showPause); showPause();
  const lab = html("label", {class: "lk-speed"}, stage.bar);
  lab.append("speed ");
  const speed = html("input", {type: "range", min: -2, max: 3, step: 0.25}, lab);
  const shown = html("span", {}, lab);
  const sync = () => { speed.value = Math.log2(model.get("speed")); shown.textContent = ` ${model.get("speed").toFixed(2)}×`; };
  speed.oninput = () => { model.set("speed", 2 ** Number(speed.value)); model.save_changes(); };
  model.on("change:speed", sync); sync();
}

function live(root, model) {
  const stage = makeStage(root, model);
  controls(stage, model);
  const skip = html("button", {class: "lk-btn", title: "jump to the newest hop"}, stage.bar);
  skip.textContent = "▶▶ catch up";
  const queue = []; let seen = 0, played = 0, lastSeq = "";
  const show = () => (stage.counter.textContent =
    `hop ${played} ${lastSeq}   ·   ${queue.length} queued   (the cloud runs at full speed; this plays at a human pace)`);
  const take = () => {
    const b = model.get("batch") || {};
    if (!b.n || b.n <= seen) return;
    seen = b.n; queue.push(...(b.hops || [])); show();
  };
  model.on("change:batch", take); take();
  stage.onDone = (hop) => { played++; lastSeq = `#${hop.seq} ${hop.label}`; root.dataset.hops = played; show(); };
  skip.onclick = () => {
    while (queue.length) { const h = queue.shift(); if (h.state) stage.states[h.state.uuid] = h.state; played++; lastSeq = `#${h.seq} ${h.label}`; }
    stateTable(stage.statesDiv, stage.states); show();
  };
  let alive = true;
  const loop = (now) => {
    if (!alive) return;
    if (!stage.flight && queue.length && !model.get("paused")) { stage.fly(queue.shift()); show(); }
    stage.tick(now);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop); show();
  return () => { alive = false; };
}

function player(root, model) {
  const stage = makeStage(root, model);
  const hops = model.get("hops") || [];
  const mk = (text, title, fn) => { const b = html("button", {class: "lk-btn", title}, stage.bar); b.textContent = text; b.onclick = fn; return b; };
  const go = (i) => { model.set("position", Math.max(0, Math.min(hops.length - 1, i))); model.save_changes(); };
  mk("◀ back", "step back one hop", () => go(model.get("position") - 1));
  const play = mk("", "play / pause", () => { model.set("playing", !model.get("playing")); model.save_changes(); });
  mk("step ▶", "step forward one hop", () => go(model.get("position") + 1));
  const scrub = html("input", {type: "range", min: 0, max: Math.max(0, hops.length - 1), step: 1, class: "lk-scrub"}, stage.bar);
  scrub.oninput = () => go(Number(scrub.value));
  controls(stage, model);
  const list = html("div", {class: "lk-list"}, stage.side);
  const detail = html("div", {class: "lk-detail"}, stage.side);
  hops.forEach((h, i) => {
    const row = html("div", {class: "lk-row", "data-i": i}, list);
    row.textContent = `${i + 1}. #${h.seq} ${h.src} → ${h.dst}  ${h.label}`;
    row.onclick = () => go(i);
  });
  const esc = (s) => String(s ?? "").replace(/[&<>]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[c]));
  const show = () => {
    const i = model.get("position"), h = hops[i];
    play.textContent = model.get("playing") ? "‖ pause" : "▶ play";
    scrub.value = i;
    list.querySelectorAll(".lk-row").forEach((r) => r.classList.toggle("lk-current", Number(r.dataset.i) === i));
    const cur = list.querySelector(".lk-current"); cur && cur.scrollIntoView({block: "nearest"});
    stage.counter.textContent = `hop ${i + 1} of ${hops.length}`;
    if (!h) { detail.textContent = "no hops"; return; }
    const d = h.detail, m = d.mirrors;
    detail.innerHTML = `<h4>#${d.seq} ${esc(d.hop)}</h4><p><b>${esc(d.protocol)}</b> ${esc(d.what)}` +
      (d.rpc ? `<br><i>${esc(d.rpc)}</i>` : "") + `</p>` +
      (d.before || d.after ? `<p>states before: <code>${esc(JSON.stringify(d.before))}</code><br>after: <code>${esc(JSON.stringify(d.after))}</code></p>` : "") +
      (d.handler ? `<p>handled by <code>${esc(d.handler)}</code>` + (m ? `<br>mirrors <a href="${m.url}" target="_blank" rel="noopener">${esc(m.project)}: ${esc(m.path)}</a> <code>${esc(m.function)}</code>` : "") + `</p>` : "") +
      `<details open><summary>payload</summary><pre>${esc(d.payload)}</pre></details>`;
  };
  let shownAt = -1;
  const animate = () => {
    const i = model.get("position");
    if (i === shownAt || !hops[i]) return;
    shownAt = i;
    if (stage.flight) stage.land();
    stage.states = Object.assign({}, model.get("initial_states") || {});
    for (const h of hops.slice(0, i)) if (h.state) stage.states[h.state.uuid] = h.state;
    stateTable(stage.statesDiv, stage.states);
    stage.fly(hops[i]);
  };
  stage.onDone = () => {
    if (model.get("playing") && model.get("position") < hops.length - 1) go(model.get("position") + 1);
    else if (model.get("playing")) { model.set("playing", false); model.save_changes(); }
  };
  model.on("change:position", () => { show(); animate(); });
  model.on("change:playing", () => { show(); if (model.get("playing")) { shownAt = -1; animate(); } });
  show(); animate();
  let alive = true;
  const loop = (now) => { if (!alive) return; stage.tick(now); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  return () => { alive = false; };
}

function render({ model, el }) {
  el.classList.add("lk-root", `lk-${model.get("mode")}`);
  return model.get("mode") === "player" ? player(el, model) : live(el, model);
}
export default { render };
