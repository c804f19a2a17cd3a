"""The pieces of the multi-process lab that need no broker and no process.

A SQLite file two ``Database`` objects share (as nova-api and nova-conductor
share nova's), the transport chosen by URL, a trace that takes in another
process's events, and the collector that puts them back in time order.
"""
import json
import threading

import pytest
import sqlalchemy as sa

from labkit.cluster import config as lab_config
from labkit.cluster.tracebus import TRACE_EXCHANGE, TraceCollector
from labkit.db import Database
from labkit.lab import _host_port
from labkit.messaging import InMemoryTransport, get_transport
from labkit.trace import Trace

MD = sa.MetaData()
ROWS = sa.Table("rows", MD, sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("n", sa.Integer))


def test_two_handles_share_one_sqlite_file(tmp_path):
    path = tmp_path / "nova.sqlite"
    first, second = Database(MD, "a", path), Database(MD, "b", path)
    assert first.created and not second.created       # the second found the schema
    with first.transaction() as conn:
        conn.execute(ROWS.insert(), [{"n": 1}, {"n": 2}])
    with second.transaction() as conn:
        assert [r.n for r in conn.execute(sa.select(ROWS))] == [1, 2]
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    first.close()
    second.close()


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    """BEGIN IMMEDIATE: read-then-write transactions from two handles never deadlock."""
    path = tmp_path / "nova.sqlite"
    handles = [Database(MD, f"h{i}", path) for i in range(2)]
    with handles[0].transaction() as conn:
        conn.execute(ROWS.insert(), {"id": 1, "n": 0})

    def bump(db):
        for _ in range(50):
            with db.transaction() as conn:
                n = conn.execute(sa.select(ROWS.c.n).where(ROWS.c.id == 1)).scalar()
                conn.execute(ROWS.update().where(ROWS.c.id == 1).values(n=n + 1))
    threads = [threading.Thread(target=bump, args=(db,)) for db in handles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with handles[0].transaction() as conn:
        assert conn.execute(sa.select(ROWS.c.n)).scalar() == 100    # no lost update
    for db in handles:
        db.close()


def test_get_transport_by_url():
    assert isinstance(get_transport(None), InMemoryTransport)
    assert isinstance(get_transport("memory://"), InMemoryTransport)
    with pytest.raises(ValueError, match="unsupported transport_url 'kafka://x'"):
        get_transport("kafka://x")


def test_host_port():
    assert _host_port(None) == ("127.0.0.1", 0)
    assert _host_port("http://10.0.0.5:8774") == ("10.0.0.5", 8774)


def test_lab_json_round_trip(tmp_path):
    conf = lab_config.make(2, 7, "rabbit://u:p@h:5672/", tmp_path, 100.0,
                           {"enabled_filters": ("ComputeFilter",)})
    assert set(conf["endpoints"]) == set(lab_config.API_NODES)
    assert all(url.startswith("http://127.0.0.1:") for url in conf["endpoints"].values())
    path = lab_config.write(conf, tmp_path / "lab.json")
    assert lab_config.read(path) == json.loads(json.dumps(conf))
    assert lab_config.read(path)["options"]["enabled_filters"] == ["ComputeFilter"]


def test_trace_ingest_keeps_t_and_numbers_in_order():
    trace = Trace(clock=lambda: 10.0, t0=0.0)
    trace.record("http", "client", "nova-api", "GET /")
    ingested = trace.ingest({"seq": 99, "t": 4.5, "kind": "cast", "src": "nova-api",
                             "dst": "nova-conductor", "name": "x", "request_id": None,
                             "payload": None})
    assert ingested["seq"] == 2 and ingested["t"] == 4.5
    assert [e["seq"] for e in trace.events()] == [1, 2]


def test_subscribers_only_trace_keeps_nothing():
    trace = Trace(retain=False)
    got = []
    done = threading.Event()
    sub = trace.subscribe(lambda e: (got.append(e["name"]), done.set()))
    trace.record("db", "nova-api", "database", "instance_get")
    assert done.wait(5)
    sub.close()
    assert got == ["instance_get"] and trace.events() == []


def test_collector_puts_events_of_several_processes_in_time_order():
    transport, trace = InMemoryTransport(), Trace()
    collector = TraceCollector(trace, transport, hold=0.2)
    for t in (0.3, 0.1, 0.2):                       # arrival order is not time order
        transport.publish(TRACE_EXCHANGE, "", json.dumps(
            {"t": t, "kind": "cast", "src": "a", "dst": "b", "name": f"at {t}",
             "request_id": None, "payload": None}), fanout=True)
    collector.close()                                # releases everything still held
    assert [e["name"] for e in trace.events()] == ["at 0.1", "at 0.2", "at 0.3"]
    assert [e["seq"] for e in trace.events()] == [1, 2, 3]


def test_a_cluster_needs_a_broker_url_that_answers():
    from labkit.cluster import Cluster
    with pytest.raises(ValueError, match="need a broker URL"):
        Cluster(transport="memory://")
    with pytest.raises(ConnectionError, match="no RabbitMQ broker answers at rabbit://"):
        Cluster(transport="rabbit://guest:guest@127.0.0.1:9/")     # nothing listens on 9


def test_a_lab_refuses_to_run_a_service_it_does_not_have():
    from labkit.lab import Lab
    with pytest.raises(ValueError, match="no service nova-compute@compute-9"):
        Lab(computes=2, only=["nova-compute@compute-9"])


def test_over_rabbitmq_says_so_when_nothing_crossed_a_broker(capsys):
    """Notebook 08's compared cell: without a broker it prints ✗, never the ✓ of a real run."""
    import labkit
    from labkit.course.show import over_rabbitmq
    assert over_rabbitmq(None, "req-x") is False
    with labkit.start(seed=1, exclusive=False, computes=1) as lab:     # one process: this kernel
        assert over_rabbitmq(lab, "req-x") is False
    out = capsys.readouterr().out
    assert out.startswith("✗ not run: no RabbitMQ broker answered") and "✓" not in out
    assert "✗ not over RabbitMQ: Lab runs its services in this kernel" in out
