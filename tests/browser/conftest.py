"""Browser tests: one private JupyterLab and one headless Debian Chromium, shared by a module.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``) and Playwright for
Python (the ``test`` extra; never ``playwright install``: we drive Debian's
Chromium).  Without them the browser tests skip, except under CI (``CI`` set),
where a skipped browser test would hide a broken course: there the run stops
with an error instead.
"""
import importlib.util
import os
import pathlib
import shutil

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def missing():
    """Why the browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return "Debian chromium not found (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[test]'; never 'playwright install')"
    return None


if os.environ.get("CI") and missing():
    pytest.exit(f"CI: the browser tests cannot run: {missing()}", returncode=3)


@pytest.fixture(scope="module")
def jupyterlab():
    """A private headless JupyterLab serving the repo (see lab_server.py)."""
    if missing():
        pytest.skip(missing())
    from lab_server import jupyter_lab
    with jupyter_lab(REPO) as lab:
        yield lab


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, driven by Playwright for Python."""
    if missing():
        pytest.skip(missing())
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
