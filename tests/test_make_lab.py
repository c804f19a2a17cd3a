"""`make lab` starts JupyterLab on the first notebook — as root too, as on a fresh
container or cloud shell — and the notebook it opens is served."""
import os
import pathlib
import signal
import socket
import subprocess
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIRST = "notebooks/00.00-Start-Here.ipynb"
TOKEN = "make-lab-test"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _make_lab(port):
    """``make lab`` with a free port and no browser.  Once ``make test`` has set up the
    venvs (its extras include the lab's), their install steps are taken as done, so
    that this test never reinstalls labkit under the running suite."""
    keep = []
    if (ROOT / ".venv" / ".test-installed").exists():
        keep = ["-o", ".venv/.lab-installed", "-o", ".venv-clients/.installed"]
    return subprocess.Popen(
        ["make", "--no-print-directory", *keep, "lab", f"PORT={port}",
         f"LAB_ARGS=--no-browser --IdentityProvider.token={TOKEN}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)


def _stop(proc):
    """Stop make and the JupyterLab it started (their own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.stdout.read()


def _wait_until_serving(proc, base, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"make lab exited with {proc.returncode}:\n{_stop(proc)}")
        try:
            if requests.get(f"{base}/api/status", params={"token": TOKEN},
                            timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer on {base}:\n{_stop(proc)}")


def test_make_lab_passes_allow_root_only_as_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert ("--allow-root" in dry.stdout) == (os.getuid() == 0)


def test_make_lab_serves_the_first_notebook():
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _make_lab(port)
    try:
        _wait_until_serving(proc, base)
        headers = {"Authorization": f"token {TOKEN}"}
        resp = requests.get(f"{base}/api/contents/{FIRST}", headers=headers, timeout=30)
        assert resp.status_code == 200, resp.text
        model = resp.json()
        assert model["type"] == "notebook" and model["path"] == FIRST
        assert model["content"]["cells"], "the first notebook came back empty"
        page = requests.get(f"{base}/lab/tree/{FIRST}", headers=headers, timeout=30)
        assert page.status_code == 200 and "jupyter-config-data" in page.text
        assert requests.get(f"{base}/api/contents/{FIRST}", timeout=30).status_code == 403
    finally:
        output = _stop(proc)
    assert "Running as root is not recommended" not in output
