"""How many candidates the scheduler weighs: ``[scheduler] max_placement_results``
(nova's ``limit`` on GET /allocation_candidates) and ``[placement]
randomize_allocation_candidates`` (which ones placement keeps)."""
import pytest

import labkit
from labkit.client import Client

QUOTA = {"quota_instances": 100, "quota_cores": 200, "quota_ram": 10**6}


def _boot(lab, count):
    """Boot ``count`` servers one at a time: (each select_destinations' candidates, hosts)."""
    client, admin = Client(lab), Client(lab, "admin")
    hosts = []
    for n in range(count):
        server_id = client.boot(f"limit-{n}", check=False)["id"]
        client.wait_for(server_id, "ACTIVE")
        hosts.append(admin.show(server_id)["OS-EXT-SRV-ATTR:host"])
    candidates = [e["payload"]["candidates"] for e in lab.trace.events(kind="schedule")]
    return candidates, hosts


def test_the_limit_keeps_the_first_candidates():
    with labkit.start(computes=4, seed=31, exclusive=False, max_placement_results=2,
                      **QUOTA) as lab:
        candidates, hosts = _boot(lab, 6)
        requests = [e["name"] for e in lab.trace.events(kind="http")
                    if e["path"] == "/allocation_candidates" and e["phase"] == "request"]
    assert len(requests) == 6 and all("?limit=2&" in name for name in requests)
    assert candidates == [["compute-1", "compute-2"]] * 6      # placement's order: by name
    assert set(hosts) == {"compute-1", "compute-2"}             # the spread stops at two


def test_randomized_candidates_are_a_sample_of_every_host():
    def run():
        with labkit.start(computes=4, seed=32, exclusive=False, max_placement_results=2,
                          randomize_allocation_candidates=True, **QUOTA) as lab:
            return _boot(lab, 8)
    candidates, hosts = run()
    assert all(len(c) == 2 and len(set(c)) == 2 for c in candidates)
    assert len({h for c in candidates for h in c}) > 2
    assert len(set(hosts)) > 2
    assert run() == (candidates, hosts)                         # seeded: the same sample


@pytest.mark.parametrize("value", [0, -1, "10"])
def test_max_placement_results_below_one_is_refused(value):
    with pytest.raises(ValueError, match=r"max_placement_results must be a whole number >= 1"):
        labkit.start(exclusive=False, max_placement_results=value)
