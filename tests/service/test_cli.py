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


def test_up_refuses_unknown_or_bad_options():
    for args, message in ((["--set", "shelve_offload_time=0"],
                           "unknown lab option(s) shelve_offload_time"),
                          (["--set", "max_placement_results=0"],
                           "max_placement_results must be a whole number >= 1"),
                          (["--set", "novalue"], "expected NAME=VALUE")):
        out = subprocess.run([sys.executable, "-m", "labkit", "up", *args], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 2 and message in out.stderr, (args, out.stderr)


def test_set_values_are_json_or_text():
    from labkit.cli import _option
    assert _option("shelved_offload_time=-1") == ("shelved_offload_time", -1)
    assert _option('virt_delays={"spawn": 1.0}') == ("virt_delays", {"spawn": 1.0})
    assert _option("trace=false") == ("trace", False)
    assert _option("max_api_version=2.95") == ("max_api_version", "2.95")     # a text option
