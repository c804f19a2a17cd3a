"""Build the Binder environment as repo2docker would, from binder/ alone (its exact pins,
made by `make binder-pins`), and run the first notebook in it — so a dependency missing
from binder/ fails here, not in class."""
import json
import os
import pathlib
import shutil
import subprocess
import sys


ROOT = pathlib.Path(__file__).resolve().parents[2]
FIRST = ROOT / "notebooks" / "00.00-Start-Here.ipynb"


def _run(cmd, **kw):
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def test_binder_environment_runs_the_first_notebook(tmp_path):
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}", \
        "binder/runtime.txt names another Python than the one testing it"
    repo = tmp_path / "repo"       # repo2docker sees the repository, not our .venv
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        ".venv*", ".git", "__pycache__", "*.egg-info", "test-artifacts", "build"))
    venv = tmp_path / "binder-venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    _run(pip + ["-r", str(repo / "binder" / "requirements.txt")])
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    env.pop("VIRTUAL_ENV", None)
    _run(["bash", str(repo / "binder" / "postBuild")], cwd=repo, env=env)
    # the pins are the whole environment: what the course needs, as installed from them,
    # is exactly binder/requirements.txt again (nothing pulled in unpinned, no other version)
    pins = (repo / "binder" / "requirements.txt").read_text()
    again = _run([str(venv / "bin" / "python"), str(repo / "tools" / "binder_pins.py"),
                  "--print"], cwd=repo, env=env).stdout
    assert again == pins
    out_nb = tmp_path / "out.ipynb"
    _run([str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.timeout=300", "--output", str(out_nb),
          str(repo / "notebooks" / FIRST.name)], cwd=repo / "notebooks", env=env)
    cells = json.loads(out_nb.read_text())["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert all(c.get("execution_count") for c in cells if c["cell_type"] == "code")
