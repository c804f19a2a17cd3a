"""The RabbitMQ broker the multi-process tests need (``tools/rabbitmq.sh start``).

``make test`` starts one when it can.  Where none answers, the tests that need
it are skipped with the reason — except under CI (``CI`` set), where a missing
broker is a failure: .ci/run installs and starts one, so its absence is a bug.
"""
import os

import pytest

from labkit.messaging.impl_rabbit import broker_available

URL = os.environ.get("LABKIT_TRANSPORT_URL", "rabbit://guest:guest@127.0.0.1:5672/")


def broker_url():
    if not broker_available(URL):
        message = (f"no RabbitMQ broker at {URL}: run `tools/rabbitmq.sh start` "
                   "(make test does)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return URL
