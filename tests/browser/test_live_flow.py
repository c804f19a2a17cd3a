"""The live flow in a real JupyterLab in headless Chromium: it renders, and it moves
while a later cell is still booting servers.

Needs Debian's chromium (``apt-get install -y chromium``) and Playwright for
Python (``pip install playwright``; never ``playwright install``): conftest.py
skips it without them, and fails it under CI.  Writes ``test-artifacts/live_flow*.png`` and, with
``LABKIT_DOCS_IMAGES=1``, ``docs/images/live-flow.png``; prints the measured
frame rate and bytes per hop.
"""
import hashlib
import json
import os
import pathlib
import time

from lab_server import CHROMIUM, CHROMIUM_ARGS as ARGS, jupyter_lab

REPO = pathlib.Path(__file__).resolve().parents[2]
NB = "tests/browser/live_flow.ipynb"
ARTIFACTS = REPO / "test-artifacts"
PANEL = """(path) => { const a = window.jupyterapp; if (!a) return null;
  const w = Array.from(a.shell.widgets('main')).find(w => w.context && w.context.path === path);
  return w ? w.id : null; }"""
KERNEL_IDLE = """(id) => { const w = Array.from(window.jupyterapp.shell.widgets('main'))
  .find(x => x.id === id); const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return k && k.status === 'idle'; }"""
CELL = """([id, i]) => { const w = Array.from(window.jupyterapp.shell.widgets('main')).find(x => x.id === id);
  const c = w.content.widgets[i];
  return {count: c.model.executionCount, outputs: c.model.outputs.toJSON(),
          prompt: c.node.querySelector('.jp-InputPrompt').textContent}; }"""


def _hash(png):
    return hashlib.sha256(png).hexdigest()


def _open_and_run(page, base, token):
    page.goto(f"{base}/lab/tree/{NB}?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_function(PANEL, arg=NB, timeout=90_000)
    pid = page.evaluate(PANEL, NB)
    page.wait_for_function(KERNEL_IDLE, arg=pid, timeout=90_000)
    page.evaluate("""(id) => { const w = Array.from(window.jupyterapp.shell.widgets('main')).find(x => x.id === id);
        window.__iopub = []; w.sessionContext.iopubMessage.connect((_, m) => {
          if (m.header.msg_type === 'error') window.__iopub.push(m.content.ename + ': ' + m.content.evalue); }); }""", pid)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    return pid


def _fps(frames):
    """Frames per second from requestAnimationFrame timestamps taken while a hop flew."""
    gaps = [b - a for a, b in zip(frames, frames[1:]) if 0 < b - a < 250]
    return 1000 / (sum(gaps) / len(gaps)) if gaps else 0.0


def test_live_flow_renders_and_animates_while_a_cell_runs():
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with jupyter_lab(REPO) as (base, token), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        pid = _open_and_run(page, base, token)
        flow = page.locator(".lk-root.lk-live").first
        flow.wait_for(state="visible", timeout=60_000)        # rendered, not "Loading widget..."
        output = flow.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')]")
        text = output.inner_text()
        assert not text.startswith("Loading widget") and "Error displaying widget" not in text
        assert page.locator(".jupyter-widgets-error-widget").count() == 0
        flow.scroll_into_view_if_needed()
        # While cell 2 (boots) is busy, the widget must keep changing on screen.
        page.wait_for_function(f"() => {{ const r = ({CELL})(['{pid}', 2]); return r.prompt.includes('*'); }}",
                               timeout=60_000)
        hashes, busy_hops = [], []
        for i in range(12):
            if "*" not in page.evaluate(CELL, [pid, 2])["prompt"]:
                break
            png = flow.screenshot()
            hashes.append(_hash(png))
            busy_hops.append(page.evaluate("() => Number(document.querySelector('.lk-live').dataset.hops || 0)"))
            if i == 4:
                (ARTIFACTS / "live_flow_mid_boot.png").write_bytes(png)
            time.sleep(0.4)
        assert len(hashes) >= 4, "the boot cell finished before we could watch it"
        assert len(set(hashes)) >= 3, f"the widget did not move while the cell ran: {busy_hops}"
        assert busy_hops[-1] > busy_hops[0]
        page.wait_for_function(KERNEL_IDLE, arg=pid, timeout=120_000)
        if os.environ.get("LABKIT_DOCS_IMAGES"):    # README picture: a cast on its way to compute
            page.wait_for_function("""() => { const t = document.querySelector('.lk-live .lk-hoplabel');
                return t && t.textContent.startsWith('cast build_and_run'); }""", timeout=120_000,
                polling=20)
            page.wait_for_timeout(120)
            (REPO / "docs" / "images").mkdir(parents=True, exist_ok=True)
            flow.screenshot(path=str(REPO / "docs" / "images" / "live-flow.png"))
        page.wait_for_function(f"() => ({CELL})(['{pid}', 3]).count !== null", timeout=60_000)
        stats = json.loads(page.evaluate(CELL, [pid, 3])["outputs"][0]["text"])
        frames = page.evaluate("() => window.__labkitFrames || []")
        fps = _fps(frames)
        flow.screenshot(path=str(ARTIFACTS / "live_flow_end.png"))
        assert page.evaluate("() => window.__iopub") == []
        assert not errors, errors
        browser.close()
    print(f"\nlive flow: {fps:.1f} fps over {len(frames)} animation frames; "
          f"{stats['hops']} hops in {stats['messages']} messages, "
          f"{stats['bytes_per_hop']} bytes per hop")
    (ARTIFACTS / "live_flow_metrics.json").write_text(json.dumps({"fps": round(fps, 1), **stats}))
    assert stats["bytes_per_hop"] <= 2048
    assert fps > 20
