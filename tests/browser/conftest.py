"""The browser tests need Debian's chromium and Playwright for Python.

Where either is missing, every test here is skipped with the reason — except
under CI (``CI`` set), where each one fails instead: .ci/run installs chromium
and the ``test`` extra brings Playwright, so their absence is a broken build,
and a skipped browser test would hide a broken course.
"""
import os

import pytest

from lab_server import browser_missing


@pytest.fixture(scope="session", autouse=True)
def browser_present():
    """Skip (locally) or fail (under CI) before any browser or JupyterLab is started."""
    missing = browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI: the browser tests cannot run: {missing}", pytrace=False)
        pytest.skip(missing)
