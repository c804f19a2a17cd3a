"""``python -m labkit up`` runs the control plane in the foreground for any client."""
import pathlib
import signal
import subprocess
import sys

import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_up_prints_exports_writes_clouds_yaml_and_stops_on_sigterm(tmp_path):
    clouds = tmp_path / "clouds.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "labkit", "up", "--computes", "2",
                             "--seed", "1", "--clouds-yaml", str(clouds)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        exports = dict(l[len("export "):].strip().split("=", 1) for l in lines
                       if l.startswith("export "))
        assert exports["OS_USERNAME"] == "demo" and exports["OS_PROJECT_NAME"] == "demo"
        assert exports["OS_AUTH_URL"].startswith("http://127.0.0.1:")
        text = clouds.read_text()
        assert "  labkit:" in text and "  labkit-admin:" in text and "username: admin" in text
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "demo", "domain": {"name": "Default"}, "password": "secret"}}}}}
        resp = requests.post(exports["OS_AUTH_URL"] + "/auth/tokens", json=body, timeout=10)
        assert resp.status_code == 201
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "labkit stopped." in out


def test_up_refuses_bad_arguments():
    out = subprocess.run([sys.executable, "-m", "labkit", "up", "--computes", "0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--computes must be at least 1" in out.stderr
