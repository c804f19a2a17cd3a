"""Options at the values nova gives a special meaning: 0 is "no limit" or "never"."""
import threading
import time

import labkit
from labkit.client import Client
from labkit.periodic import PeriodicRunner


def test_max_concurrent_builds_zero_is_no_limit():
    with labkit.start(seed=4, computes=1, max_concurrent_builds=0, exclusive=False) as lab:
        client = Client(lab)
        ids = [client.boot(f"free-{n}", check=False)["id"] for n in range(3)]
        for server_id in ids:
            server, _ = client.wait_for(server_id, ("ACTIVE", "ERROR"))
            assert server["status"] == "ACTIVE"


def test_report_interval_zero_sends_no_heartbeat():
    with labkit.start(seed=4, computes=1, report_interval=0, exclusive=False) as lab:
        since = lab.trace.last_seq()
        time.sleep(0.5)
        assert [e for e in lab.trace.events(since=since, kind="db")
                if e["name"] == "service_update"] == []
    with labkit.start(seed=4, computes=1, report_interval=0.1, exclusive=False) as lab:
        since = lab.trace.last_seq()
        time.sleep(0.5)
        assert [e for e in lab.trace.events(since=since, kind="db")
                if e["name"] == "service_update"]


def test_a_periodic_task_with_no_positive_interval_never_runs():
    runner = PeriodicRunner()
    runs = {"zero": 0, "negative": 0, "positive": 0}
    ran = threading.Event()

    def count(name):
        runs[name] += 1
        if name == "positive":
            ran.set()
    try:
        runner.add(0, lambda: count("zero"))
        runner.add(-1, lambda: count("negative"))
        runner.add(0.05, lambda: count("positive"))
        assert ran.wait(5)
        time.sleep(0.2)
    finally:
        runner.stop()
    assert runs["zero"] == runs["negative"] == 0 and runs["positive"] >= 2
