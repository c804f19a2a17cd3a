"""``make test`` checks the benchmarks run (they are measured by ``make bench``, never asserted)."""
import os
import pathlib
import subprocess
import sys

from labkit.cluster import DEFAULT_TRANSPORT_URL
from labkit.messaging.impl_rabbit import broker_available

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_benchmarks_quick_run_prints_the_table():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "(POSTs of max_count 10, 4 client threads) settle |" in out.stdout
    assert "(one POST each, max_placement_results 3, randomized) settle | " in out.stdout
    for row in ("start a lab (warm)", "boot → ACTIVE", "shelve → SHELVED_OFFLOADED",
                "unshelve → ACTIVE", "trace recording cost (boot, on vs off)",
                "boot → ACTIVE (client in the kernel, 1 ms poll)",
                "unshelve → ACTIVE (notebook cell: labkit.client, 5 ms poll)",
                "resize + confirm → ACTIVE", "live migration → ACTIVE on another host"):
        assert f"| {row} |" in out.stdout
    assert "| failed:" not in out.stdout          # a move not served yet says so instead
    # the multi-process rows need a broker: under CI (which starts one) they must be there
    measured = "| boot → ACTIVE (processes + RabbitMQ) |" in out.stdout
    if broker_available(DEFAULT_TRANSPORT_URL) or os.environ.get("CI"):
        assert measured, out.stdout
    else:
        assert "| the same flows as separate processes | not measured" in out.stdout


def test_cpu_by_hop_charges_each_service_its_own_work():
    """benchmarks/hop_cpu.py: the report behind the README's "where a server's CPU goes"."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import hop_cpu
    from labkit.messaging import server as rpc_server
    before = rpc_server.RPCServer._dispatch
    text = hop_cpu.report(hosts=3, servers=6, per_request=3)
    assert "6 ACTIVE, 0 ERROR" in text
    rows = {line[:58].strip(): line.split()[-4:] for line in text.splitlines()[4:]}
    for hop in ("nova-api: POST /servers", "nova-conductor: object_action",
                "nova-compute: build_and_run_instance", "placement: PUT /allocations/*",
                "neutron: POST /v2.0/ports"):
        calls, _per_server, ms_per_server, _ms_per_call = rows[hop]
        assert int(calls) > 0 and float(ms_per_server) > 0, hop
    assert rpc_server.RPCServer._dispatch is before          # the wrappers are gone after


def test_scheduling_curve_is_drawn_as_a_png(tmp_path):
    """``make bench`` draws select_destinations against hosts (the README shows it)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import scale
    path = scale.plot_scheduling({10: (0.006, 0.1), 100: (0.0125, 0.7), 1000: (0.08, 7.7)},
                                 tmp_path / "scheduling.png")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
