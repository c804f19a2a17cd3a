"""Every course notebook, run the way a learner runs it: JupyterLab in a real browser.

One private JupyterLab (``lab_server.py``) and one headless Debian Chromium
(Playwright for Python) serve the whole module; the notebooks run one after
another in one page.  For each ``notebooks/*.ipynb``: open it, wait for its
kernel, "Run All", then fail on

* any error output (unless the cell is tagged ``raises-exception``),
* any code cell left unrun (run-all stops at the first error),
* a traceback on the kernel's iopub channel (``error`` messages, including ones
  from widget callbacks, which never reach a cell, and tracebacks printed on a
  stream, e.g. by a thread) or in the kernel's own stderr (server log),
* any widget output that shows "Loading widget...", "Error displaying widget",
  a javascript error box, or its text fallback (the model lists a widget view
  but the DOM shows text/plain),
* an uncaught javascript exception in the page,
* a change to the notebook file (autosave is off; checkpoints go to a temp dir)
  or a new file next to it.

Then it clicks an option of every quiz (browser -> kernel -> browser) and checks
the quiz answers back; fewer quizzes in the page than ``course.quiz(`` calls in
the notebook is a problem too.  A full screenshot of each notebook, as run, goes to
``test-artifacts/notebooks/<name>.png``; timings to ``.../timings.json``.
"""
import hashlib
import json
import os
import pathlib
import re
import shutil
import time

import pytest

from lab_server import CHROMIUM, CHROMIUM_ARGS, jupyter_lab

# Without chromium or Playwright conftest.py skips these tests, and fails them under CI.
REPO = pathlib.Path(__file__).resolve().parents[2]
# LABKIT_BROWSER_NOTEBOOKS: another glob (relative to the repo), e.g. to run one notebook.
NOTEBOOKS = sorted(p.relative_to(REPO).as_posix()
                   for p in REPO.glob(os.environ.get("LABKIT_BROWSER_NOTEBOOKS", "notebooks/*.ipynb")))
ARTIFACTS = REPO / "test-artifacts" / "notebooks"
VIEWPORT = {"width": 1280, "height": 900}
RUN_TIMEOUT_MS = int(os.environ.get("LABKIT_BROWSER_TIMEOUT", "180")) * 1000
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Exception in thread")
TIMINGS = {}

# --- javascript run in the page (window.jupyterapp comes from --LabApp.expose_app_in_browser) ---
WIDGET = "Array.from(window.jupyterapp.shell.widgets('main')).find(x => x.id === id)"
OPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await w.context.ready;
  await w.sessionContext.ready;
  app.shell.activateById(w.id);
  for (const x of Array.from(app.shell.widgets('main'))) if (x !== w) x.dispose();  // the Launcher
  window.__iopub = [];
  w.sessionContext.iopubMessage.connect((_, m) => {
    const t = m.header.msg_type, c = m.content, p = m.parent_header || {};
    if (t === 'error')
      window.__iopub.push({type: t, parent: p.msg_type || null, text: c.ename + ': ' + c.evalue,
                           traceback: (c.traceback || []).join('\\n')});
    else if (t === 'stream' && /Traceback \\(most recent call last\\)|Exception in thread/.test(c.text))
      window.__iopub.push({type: 'stream:' + c.name, parent: p.msg_type || null, text: c.text});
  });
  return w.id;
}"""
KERNEL_IDLE = f"""(id) => {{ const w = {WIDGET};
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle'; }}"""
RUN_ALL = f"""(id) => {{ const w = {WIDGET};
  window.jupyterapp.shell.activateById(id);
  window.__run = {{done: false}};
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    ok => {{ window.__run = {{done: true, ok}}; }},
    err => {{ window.__run = {{done: true, ok: false, error: String(err)}}; }});
}}"""
SETTLED = f"""(id) => {{ const w = {WIDGET}; if (!window.__run.done) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  return !Array.from(w.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
           .some(p => p.textContent.includes('*')); }}"""
CELLS = f"""(id) => {{ const w = {WIDGET};
  return w.content.widgets.map((c, i) => {{
    const code = c.model.type === 'code';
    const nodes = code ? Array.from(c.outputArea.node.children)
        .filter(ch => ch.classList.contains('jp-OutputArea-child'))
        .map(ch => ch.querySelector(':scope > .jp-OutputArea-output')) : [];
    return {{index: i, type: c.model.type, tags: c.model.getMetadata('tags') || [],
      count: code ? c.model.executionCount : null,
      source: c.model.sharedModel.getSource(),
      outputs: code ? c.model.outputs.toJSON() : [],
      dom: nodes.map(n => n === null ? null : ({{
        mime: n.getAttribute('data-mime-type'), children: n.childElementCount,
        text: n.innerText.slice(0, 300), errorWidget: !!n.querySelector('.jupyter-widgets-error-widget'),
        height: n.getBoundingClientRect().height}}))}};
  }}); }}"""
# Which widget models the kernel still holds (a closed widget's view is removed on purpose).
OPEN_MODELS = f"""async (id) => {{ const w = {WIDGET};
  const k = w.sessionContext.session.kernel;
  const code = 'import json as _j\\ntry:\\n    from ipywidgets.widgets.widget import _instances as _i\\n'
             + 'except Exception:\\n    _i = {{}}\\nprint(_j.dumps(list(_i)))';
  const f = k.requestExecute({{code, silent: false, store_history: false}});
  let out = '';
  f.onIOPub = m => {{ if (m.header.msg_type === 'stream') out += m.content.text; }};
  await f.done;
  return JSON.parse(out || '[]'); }}"""
SHUTDOWN = f"""async (id) => {{ const w = {WIDGET};
  await w.sessionContext.shutdown();
  w.context.model.dirty = false;
  w.dispose(); }}"""
# Height of the notebook's content (first cell's top to last cell's bottom), scrolled to the top.
TO_TOP = f"""(id) => {{ const w = {WIDGET};
  w.content.activeCellIndex = 0; w.content.deselectAll();
  const outer = w.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  outer.scrollTop = 0;
  const cells = w.node.querySelectorAll('.jp-Cell');
  const top = outer.getBoundingClientRect().top;
  const last = cells[cells.length - 1].getBoundingClientRect().bottom;
  return Math.ceil(last - top + outer.scrollTop); }}"""
CHROME_HEIGHT = f"""(id) => {{ const w = {WIDGET};
  const outer = w.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  return Math.ceil(window.innerHeight - outer.getBoundingClientRect().height); }}"""


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files_next_to(path):
    return {p for p in path.parent.rglob("*")}


def _where(cell):
    first = cell["source"].strip().splitlines()[0] if cell["source"].strip() else ""
    return f"cell {cell['index']} ({first[:60]!r})"


@pytest.fixture(scope="module")
def jupyterlab():
    """One private headless JupyterLab serving the repo for the whole module (lab_server.py)."""
    with jupyter_lab(REPO) as lab:
        yield lab


@pytest.fixture(scope="module")
def chromium():
    """One Debian Chromium, headless, driven by Playwright for Python."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(jupyterlab, chromium):
    base, token = jupyterlab
    page = chromium.new_page(viewport=VIEWPORT)
    page.set_default_timeout(60_000)
    page.labkit_errors = []
    page.on("pageerror", lambda e: page.labkit_errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: page.labkit_errors.append(f"console.{m.type}: {m.text}")
            if m.type == "error" else None)
    page.labkit_writes = []     # the page asking the server to write a file: save, rename, checkpoint
    page.on("request", lambda r: page.labkit_writes.append(f"{r.method} {r.url.split('?')[0]}")
            if "/api/contents" in r.url and r.method not in ("GET", "HEAD") else None)
    page.goto(f"{base}/lab?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && window.jupyterapp.serviceManager.isReady", timeout=90_000)
    page.evaluate("async () => { await window.jupyterapp.restored;"
                  " window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    yield page
    page.close()


def _screenshot(page, pid, path):
    """The whole notebook as run: grow the viewport to the content's height, then shoot."""
    chrome = page.evaluate(CHROME_HEIGHT, pid)
    for _ in range(3):      # measure again: a taller viewport can change the layout
        height = page.evaluate(TO_TOP, pid)
        size = {"width": VIEWPORT["width"], "height": min(chrome + height + 8, 30_000)}
        if size == page.viewport_size:
            break
        page.set_viewport_size(size)
        page.wait_for_timeout(250)
    page.evaluate(TO_TOP, pid)
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)


def _widget_problems(cells, open_models):
    """Widget outputs that did not render: (still loading?, message) pairs."""
    problems = []
    for cell in cells:
        for j, out in enumerate(cell["outputs"]):
            data = out.get("data") or {}
            if WIDGET_MIME not in data:
                continue
            model = data[WIDGET_MIME].get("model_id")
            dom = cell["dom"][j] if j < len(cell["dom"]) else None
            where = f"{_where(cell)}, output {j} (widget {model}"
            where += ")" if model in open_models else ", closed in the kernel)"
            if dom is None:
                problems.append((False, f"{where}: no output node in the page"))
            elif dom["text"].lstrip().startswith("Loading widget"):
                problems.append((True, f"{where}: still shows {dom['text'][:40]!r}"))
            elif "Error displaying widget" in dom["text"] or dom["errorWidget"]:
                problems.append((False, f"{where}: shows {dom['text'][:120]!r}"))
            elif dom["mime"] is not None:
                problems.append((False, f"{where}: text fallback ({dom['mime']}): {dom['text'][:80]!r}"))
            elif dom["children"] == 0 and model in open_models:
                problems.append((True, f"{where}: empty output node"))
    return problems


def run_in_lab(page, jupyterlab, notebook, shot):
    """Open ``notebook`` (relative to the repo), run all, check it; screenshot to ``shot``.

    Returns (problems, info): every problem as a readable message, and timings/counts.
    """
    path = REPO / notebook
    before, files_before = _sha(path), _files_next_to(path)
    log_mark = jupyterlab.log_size()
    page.labkit_errors.clear()
    page.labkit_writes.clear()
    t0 = time.monotonic()
    pid = page.evaluate(OPEN, notebook)
    page.wait_for_function(KERNEL_IDLE, arg=pid, timeout=90_000)
    t_open = time.monotonic()
    page.evaluate(RUN_ALL, pid)
    page.wait_for_function(SETTLED, arg=pid, timeout=RUN_TIMEOUT_MS, polling=200)
    t_run = time.monotonic()
    ran_all = page.evaluate("() => window.__run")

    # Widgets render asynchronously: give the views a few seconds to appear.
    open_models = set(page.evaluate(OPEN_MODELS, pid))
    deadline = time.monotonic() + 15
    while True:
        cells = page.evaluate(CELLS, pid)
        widget_problems = _widget_problems(cells, open_models)
        if not any(loading for loading, _ in widget_problems) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)

    problems = [msg for _, msg in widget_problems]
    for cell in cells:
        if cell["type"] != "code":
            continue
        if cell["count"] is None and cell["source"].strip():
            problems.append(f"{_where(cell)}: not run")
        for out in cell["outputs"]:
            if out["output_type"] == "error" and "raises-exception" not in cell["tags"]:
                tb = ANSI.sub("", "\n".join(out.get("traceback", [])))[-1500:]
                problems.append(f"{_where(cell)}: {out['ename']}: {out['evalue']}\n{tb}")
            elif out["output_type"] == "stream" and TRACEBACK.search(out["text"]):
                problems.append(f"{_where(cell)}: traceback on {out['name']}:\n{out['text'][-1500:]}")
    shot.parent.mkdir(parents=True, exist_ok=True)
    _screenshot(page, pid, shot)

    # Quizzes answer back: click option A of each (a browser -> kernel -> browser round trip).
    quizzes = page.locator(f"[id='{pid}'] .jp-OutputArea-output:has(.widget-button)") \
        .filter(has_text=re.compile(r"^\s*Quiz\."))
    n_quizzes = quizzes.count()
    asked = sum(c["source"].count("course.quiz(") for c in cells if c["type"] == "code")
    if n_quizzes < asked:     # else the round trip below would check fewer quizzes, or none
        problems.append(f"{asked} cells ask a quiz, but {n_quizzes} quizzes show in the page")
    for k in range(n_quizzes):
        quiz = quizzes.nth(k)
        quiz.locator(".widget-button").first.click()
        try:
            quiz.filter(has_text=re.compile("[✓✗]")).wait_for(timeout=10_000)
        except Exception:
            problems.append(f"quiz {k}: clicking option A gave no answer: {quiz.inner_text()[:200]!r}")
    if n_quizzes:
        page.wait_for_function(KERNEL_IDLE, arg=pid, timeout=30_000)
        page.wait_for_timeout(200)
    seen_in_cells = {out.get("evalue") for c in cells for out in c["outputs"] if out["output_type"] == "error"}
    seen_in_cells |= {out["text"] for c in cells for out in c["outputs"] if out["output_type"] == "stream"}
    for msg in page.evaluate("() => window.__iopub"):
        if msg["type"] == "error" and msg["parent"] == "execute_request" and \
                msg["text"].split(": ", 1)[-1] in seen_in_cells:
            continue        # already reported (or allowed) with its cell
        if msg["type"].startswith("stream") and any(msg["text"] in t for t in seen_in_cells):
            continue
        tb = ANSI.sub("", msg.get("traceback") or msg["text"])[-1500:]
        problems.append(f"iopub {msg['type']} (parent {msg['parent']}): {msg['text'][:200]}\n{tb}")
    kernel_log = jupyterlab.log_text(log_mark)
    if TRACEBACK.search(kernel_log):
        problems.append(f"traceback in the kernel's stderr / server log:\n{kernel_log[-2000:]}")

    problems += [e for e in page.labkit_errors if e.startswith("pageerror")]

    page.evaluate(SHUTDOWN, pid)
    t_end = time.monotonic()

    # The repo stays clean: the page never asked the server to write, no checkpoints, no new files.
    writes = [w for w in page.labkit_writes if not w.endswith("/checkpoints")]  # (private dir)
    problems += [f"the page wrote to the repo: {w}" for w in writes]
    new_files = sorted(str(p.relative_to(REPO)) for p in _files_next_to(path) - files_before
                       if p.suffix not in (".ipynb", ".md") or ".ipynb_checkpoints" in p.parts)
    if new_files:       # (new notebooks and READMEs come from authors, not from this run)
        problems.append(f"running {notebook} left new files in the repo: {new_files}")
    if _sha(path) != before and not writes:
        if os.environ.get("CI"):
            problems.append(f"{notebook} changed on disk while it ran")
        else:   # locally, an author may have saved it meanwhile: that is not this run's doing
            print(f"\nwarning: {notebook} changed on disk during the run, but not through "
                  "JupyterLab (someone edited it meanwhile?)")
    if not ran_all.get("ok") and not any("not run" in p or "Error" in p for p in problems):
        problems.append(f"run-all did not complete: {ran_all}")

    code = [c for c in cells if c["type"] == "code"]
    info = {"open_s": round(t_open - t0, 1), "run_all_s": round(t_run - t_open, 1),
            "total_s": round(t_end - t0, 1), "code_cells": len(code),
            "widgets": sum(WIDGET_MIME in (o.get("data") or {}) for c in code for o in c["outputs"]),
            "closed_widgets": [f"{_where(c)}, output {j}" for c in code for j, o in enumerate(c["outputs"])
                               if WIDGET_MIME in (o.get("data") or {})
                               and o["data"][WIDGET_MIME].get("model_id") not in open_models],
            "quizzes": n_quizzes, "problems": len(problems),
            "console_errors": [e for e in page.labkit_errors if not e.startswith("pageerror")][:10],
            "stderr": [f"{_where(c)}: {o['text'][:200]}" for c in code for o in c["outputs"]
                       if o["output_type"] == "stream" and o["name"] == "stderr"]}
    return problems, info


BROKEN = {   # cell source -> what run_in_lab must say about it
    "import threading, time\nimport ipywidgets as W": None,
    "W.IntSlider(value=3)": None,   # renders: no problem
    "def boom(_):\n    1 / 0\nb = W.Button(description='A) boom')\nb.on_click(boom)\n"
    "W.VBox([W.HTML('<b>Quiz.</b> a callback that raises'), b])":
        ["ZeroDivisionError", "clicking option A gave no answer"],
    "threading.Thread(target=lambda: {}['missing']).start()\ntime.sleep(0.5)": ["KeyError"],
    "from IPython.display import display\ndisplay({'text/plain': 'IntSlider(value=1)', "
    "'application/vnd.jupyter.widget-view+json': {'model_id': 'f00d', 'version_major': 2, "
    "'version_minor': 0}}, raw=True)": ["widget f00d", "Error displaying widget"],
    "open('stray-file.txt', 'w').close()": ["stray-file.txt"],
    "raise ValueError('expected, tagged raises-exception')": None,
    "raise RuntimeError('not expected')": ["RuntimeError: not expected"],
    "print('never runs')": ["not run"],
}


def test_the_harness_catches_a_broken_notebook(page, jupyterlab):
    """The checks themselves work: a notebook with one defect per cell fails with each defect."""
    import nbformat
    folder = REPO / "test-artifacts" / "browser-selftest"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                           "display_name": "Python 3 (ipykernel)"}})
    for source in BROKEN:
        cell = nbformat.v4.new_code_cell(source)
        if "raises-exception" in source:
            cell.metadata["tags"] = ["raises-exception"]
        nb.cells.append(cell)
    (folder / "nb").mkdir()
    nbformat.write(nb, folder / "nb" / "broken.ipynb")
    problems, _ = run_in_lab(page, jupyterlab, "test-artifacts/browser-selftest/nb/broken.ipynb",
                             folder / "broken.png")
    text = "\n".join(problems)
    for source, expected in BROKEN.items():
        for needle in expected or []:
            assert needle in text, f"the harness missed {needle!r} (cell {source[:40]!r}):\n{text}"
    assert "expected, tagged" not in text and "IntSlider(value=3)" not in text, text
    assert len(problems) == 7, text   # quiz: no answer + iopub error, thread, widget, file, error, unrun


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[pathlib.Path(n).stem for n in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(notebook, page, jupyterlab):
    shot = ARTIFACTS / f"{pathlib.Path(notebook).stem}.png"
    problems, TIMINGS[notebook] = run_in_lab(page, jupyterlab, notebook, shot)
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=1))
    print(f"\n{notebook}: {TIMINGS[notebook]}")
    assert not problems, f"{notebook} in JupyterLab ({shot.relative_to(REPO)}):\n\n" + "\n\n".join(problems)
