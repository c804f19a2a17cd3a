"""The same flows against the multi-process lab: one OS process per service, RabbitMQ.

Beside the embedded figures, these show what separate processes cost: every
RPC hop crosses the broker (two socket writes and a wake-up) and every
service pays its own JSON and HTTP work, but no two services share one
interpreter lock.
"""
import time

NAMES = {"boot → ACTIVE": "boot → ACTIVE (processes + RabbitMQ)",
         "shelve → SHELVED_OFFLOADED": "shelve → SHELVED_OFFLOADED (processes + RabbitMQ)",
         "unshelve → ACTIVE": "unshelve → ACTIVE (processes + RabbitMQ)"}


def results(rounds, poll, url="rabbit://guest:guest@127.0.0.1:5672/"):
    """{row name: [seconds]}, or ``None`` when no broker answers at ``url``."""
    from benchmarks.client import QUOTA, in_own_process, run_flows
    from labkit.cluster import Cluster
    from labkit.messaging.impl_rabbit import broker_available
    if not broker_available(url):
        return None
    starts = []
    for _ in range(1 if rounds <= 2 else 3):
        t = time.perf_counter()
        cluster = Cluster(computes=3, transport=url)
        starts.append(time.perf_counter() - t)
        cluster.stop()
    cluster = Cluster(computes=3, transport=url, **QUOTA)
    with cluster:
        flows = in_own_process(run_flows, cluster.auth_url, cluster.compute_url, rounds, poll)
    out = {"start a lab (9 processes + RabbitMQ)": starts}
    out.update({NAMES[k]: v for k, v in flows.items()})
    return out
