"""Fixtures the unit tests of the trace and the views share."""
import pytest

import labkit
from labkit.client import Client
from labkit.trace import Trace


@pytest.fixture(scope="module")
def boot_and_shelve():
    """A real boot then shelve on a seeded lab, as a saved (JSON) trace, with the request ids
    of both and the server's uuid."""
    with labkit.start(seed=1, exclusive=False) as lab:
        c = Client(lab)
        server = c.boot("t3")
        boot = c.last_request_id
        c.wait(server["id"], "ACTIVE")
        shelve = c.shelve(server["id"])
        c.wait(server["id"], "SHELVED_OFFLOADED")
        lab.wait_idle()
        return {"trace": Trace.from_json(lab.trace.to_json()), "boot": boot, "shelve": shelve,
                "uuid": server["id"]}
