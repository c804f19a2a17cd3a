"""A multi-process lab over a real RabbitMQ: one OS process per service."""
import pytest

from labkit.cluster import Cluster
from broker import broker_url


@pytest.fixture(scope="module")
def cluster():
    lab = Cluster(computes=2, seed=1, transport=broker_url(), quota_instances=100,
                  quota_cores=200, quota_ram=10**6, long_rpc_timeout=3.0,
                  rpc_response_timeout=5.0)
    try:
        yield lab
    finally:
        lab.stop()
