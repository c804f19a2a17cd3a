"""Start a private, headless JupyterLab for browser tests (the recipe in browser-testing.md).

Private config/data/runtime/settings/workspace/checkpoint dirs under a temp
dir, so nothing in the repo or the user's home is touched; autosave off, no
news toast, every cell attached to the DOM.
"""
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# Debian's Chromium (apt-get install -y chromium), driven by Playwright for Python over a pipe.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def browser_missing():
    """Why a browser test cannot run here (a message), or None."""
    if not os.path.exists(CHROMIUM):
        return "Debian chromium not found (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return ("Playwright for Python is not installed (pip install -e '.[test]'; "
                "never 'playwright install')")
    return None


SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab(tuple):
    """``(base_url, token)``, so ``with jupyter_lab(root) as (base, token)`` works, plus
    ``.log`` (the server's log file: kernels' own stderr ends up there too) and ``.tmp``."""

    def __new__(cls, base, token, log, tmp):
        self = super().__new__(cls, (base, token))
        self.base, self.token, self.log, self.tmp = base, token, log, tmp
        return self

    def log_size(self):
        return os.path.getsize(self.log)

    def log_text(self, start=0):
        """The server log from byte ``start`` on (take a mark with :meth:`log_size`)."""
        with open(self.log, "rb") as fh:
            fh.seek(start)
            return fh.read().decode("utf-8", "replace")


@contextlib.contextmanager
def jupyter_lab(root_dir):
    """Yield a :class:`Lab` (unpacks as base URL, token) serving ``root_dir``; stop it after."""
    tmp = tempfile.mkdtemp(prefix="labkit-browser-")
    for name, value in SETTINGS.items():
        path = os.path.join(tmp, "settings", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            json.dump(value, fh)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=f"{tmp}/config", JUPYTER_DATA_DIR=f"{tmp}/data",
               JUPYTER_RUNTIME_DIR=f"{tmp}/runtime", JUPYTERLAB_SETTINGS_DIR=f"{tmp}/settings",
               JUPYTERLAB_WORKSPACES_DIR=f"{tmp}/ws")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
         "--LabApp.expose_app_in_browser=True",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly",
         f"--FileCheckpoints.checkpoint_dir={tmp}/checkpoints"],
        env=env, stdout=open(f"{tmp}/lab.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(open(f"{tmp}/lab.log").read()[-2000:])
                time.sleep(0.3)
        yield Lab(base, token, f"{tmp}/lab.log", tmp)
    finally:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=5)
            proc.wait(timeout=15)
        except Exception:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
