"""tempest.lib's compute service clients, call by call, at no microversion, 2.1 and the highest.

The table of (client, call) cases lives in tempest_compute.py; every response is
checked against tempest's schema for the microversion sent (``additionalProperties:
false``), so a key shown too early, too late or in the wrong type fails.  A server's
whole life (create .. shelve .. delete) at every schema change is test_tempest.py.
"""
import pytest

from ._support import NET_ID


def test_compute_clients_at_no_microversion_2_1_and_the_highest(lab, clients):
    versions = ["none", "2.1", lab.conf.max_api_version]
    c = lab.credentials("admin")           # admin: hypervisors, and every extended attribute
    proc = clients.python("tempest_compute.py", lab.auth_url,
                          lab.data["identities"]["region"], NET_ID, c["username"],
                          c["project_name"], c["password"], *versions, check=False)
    head, *lines = proc.stdout.splitlines() or [""]
    failed = [line for line in lines if not line.startswith("ok ")]
    assert proc.returncode == 0 and not failed, "\n".join(failed) + proc.stderr[-3000:]
    assert head.startswith("cases ") and len(lines) == int(head.split()[1]) * len(versions)


@pytest.mark.parametrize("version", ["2.55", "2.61", "2.75"])
def test_flavors_where_their_schema_changes(lab, clients, version):
    """2.55 adds the description (to the list too), 2.61 extra_specs, 2.75 swap as 0."""
    c = lab.credentials("demo")
    proc = clients.python("tempest_compute.py", lab.auth_url,
                          lab.data["identities"]["region"], NET_ID, c["username"],
                          c["project_name"], c["password"], version, check=False)
    flavors = [line for line in proc.stdout.splitlines() if " flavors." in line]
    assert flavors and all(line.startswith("ok ") for line in flavors), proc.stdout
