"""``make test`` checks the benchmarks run (they are measured by ``make bench``, never asserted)."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_benchmarks_quick_run_prints_the_table():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "(POSTs of max_count 10, 4 client threads) settle |" in out.stdout
    for row in ("start a lab (warm)", "boot → ACTIVE", "shelve → SHELVED_OFFLOADED",
                "unshelve → ACTIVE"):
        assert f"| {row} |" in out.stdout
    assert ("| boot → ACTIVE (processes + RabbitMQ) |" in out.stdout
            or "| the same flows as separate processes | not measured" in out.stdout)
