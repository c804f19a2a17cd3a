"""Run the real, unmodified OpenStack clients against a lab.

The clients (python-openstackclient, python-novaclient, openstacksdk, tempest)
live in their own venv, ``.venv-clients`` (``make clients-venv``, which
``make test`` runs first), so they never mix with labkit's own dependencies.
Every client runs as a subprocess of that venv: the CLIs directly, the SDK and
tempest through the small scripts beside this file.

Two ways to reach a lab, both covered:

* ``lab`` (module scope): ``labkit.start()`` in this pytest process, with the
  clouds.yaml ``Lab.write_clouds_yaml`` writes and the ``OS_*`` variables of
  ``Lab.os_environ()``; the trace can be checked against the client's output.
* ``up``: ``python -m labkit up`` as a subprocess, as a learner runs it.
"""
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

import labkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
CLIENTS = pathlib.Path(os.environ.get("LABKIT_CLIENTS_VENV", ROOT / ".venv-clients"))
BIN = CLIENTS / "bin"


@pytest.fixture(scope="session")
def clients_venv():
    """Skip a client test, saying why, when .venv-clients is missing; under CI (``CI``
    set) fail it instead: ``make test`` builds that venv first, so its absence is a bug."""
    if not (BIN / "openstack").exists():
        message = (f"the OpenStack clients venv {CLIENTS} is missing: run "
                   "`make clients-venv` (make test does)")
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CLIENTS


def clean_env(**extra):
    """This process's environment without any OS_* (a developer's own cloud) plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(PYTHONWARNINGS="ignore", **extra)
    return env


class Clients:
    """Runs the clients of .venv-clients against one lab (its clouds.yaml or OS_* env)."""

    def __init__(self, clouds_yaml, os_env, tmp):
        self.clouds_yaml, self.os_env, self.tmp = str(clouds_yaml), dict(os_env), tmp

    def run(self, argv, env, timeout=120, check=True):
        proc = subprocess.run(argv, env=env, cwd=self.tmp, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(map(str, argv))} exited {proc.returncode}\n"
                                 f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
        return proc

    def openstack(self, *args, cloud="labkit", **kw):
        """``openstack --os-cloud <cloud> ARGS`` with labkit's clouds.yaml."""
        env = clean_env(OS_CLIENT_CONFIG_FILE=self.clouds_yaml, OS_CLOUD=cloud)
        return self.run([BIN / "openstack", *args], env, **kw)

    def nova(self, *args, **kw):
        """``nova ARGS`` with the ``export OS_*`` lines labkit prints (user demo)."""
        return self.run([BIN / "nova", *args], clean_env(**self.os_env), **kw)

    def python(self, script, *args, **kw):
        """A script of this folder, run by the clients venv's python (clouds.yaml set)."""
        env = clean_env(OS_CLIENT_CONFIG_FILE=self.clouds_yaml)
        return self.run([BIN / "python", HERE / script, *map(str, args)], env, **kw)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A lab in this process, as a notebook starts one."""
    with labkit.start(seed=1, exclusive=False, quota_instances=100, quota_cores=200,
                      quota_ram=10**6) as running:
        yield running


@pytest.fixture(scope="module")
def clients(clients_venv, lab, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clients")
    path = lab.write_clouds_yaml(tmp / "clouds.yaml")
    return Clients(path, lab.os_environ(), tmp)


def _labkit_up(tmp, *extra):
    """Run ``python -m labkit up``; yield Clients for it, with ``.output`` and ``.proc``."""
    clouds = tmp / "clouds.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "labkit", "up", "--seed", "1",
                             "--clouds-yaml", str(clouds), *extra], cwd=ROOT, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines, deadline = [], time.monotonic() + 60
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C") or time.monotonic() > deadline:
                break
        assert any(l.startswith("Press Ctrl-C") for l in lines), "".join(lines)
        exports = dict(l[len("export "):].strip().split("=", 1) for l in lines
                       if l.startswith("export "))
        clients = Clients(clouds, exports, tmp)
        clients.output, clients.proc = "".join(lines), proc
        yield clients
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


@pytest.fixture(scope="module")
def up(clients_venv, tmp_path_factory):
    """``python -m labkit up`` in a subprocess: its clouds.yaml and printed exports.

    Its hypervisor takes 0.3 s to spawn, as a real one takes seconds: a ``server
    create`` without ``--wait`` shows BUILD, as the walkthrough's does, however fast
    the rest of the lab is."""
    yield from _labkit_up(tmp_path_factory.mktemp("up"), "--set", 'virt_delays={"spawn": 0.3}')


@pytest.fixture(scope="module")
def up_rabbit(clients_venv, tmp_path_factory):
    """``python -m labkit up --transport rabbit://...``: one process per service."""
    from broker import broker_url
    yield from _labkit_up(tmp_path_factory.mktemp("up-rabbit"), "--transport", broker_url(),
                          "--computes", "2")
