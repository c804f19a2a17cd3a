"""labkit.client.Client, the notebooks' client: multi-create and waiting for a burst to settle."""
import pytest

from labkit.client import Client

pytestmark = pytest.mark.lab


def test_one_boot_of_count_servers_makes_them_all_and_settle_waits_for_them(lab):
    client = Client(lab)
    before = len(client.list())
    calls = lab.trace.last_seq()
    first = client.boot("many", count=3, check=False)
    client.wait_builds(timeout=30)
    servers = client.list()
    made = [s for s in servers if s["name"].startswith("many")]
    assert len(servers) == before + 3 and len(made) == 3
    assert first["id"] in {s["id"] for s in made}
    assert {s["status"] for s in made} == {"ACTIVE"} and client.building() == 0
    posts = [e for e in lab.trace.events(since=calls, kind="http")
             if e["phase"] == "request" and e["method"] == "POST" and e["path"] == "/v2.1/servers"]
    assert len(posts) == 1                          # one request for the three
    assert len([e for e in lab.trace.events(since=calls, kind="call")
                if e["name"] == "select_destinations"]) == 1
    for server in made:
        client.delete(server["id"])
