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


# where a client's schema changes (its schema_versions_info), besides the three above
SCHEMA_CHANGES = [("flavors.", "2.55"), ("flavors.", "2.61"), ("flavors.", "2.75"),
                  ("hypervisors.", "2.28"), ("hypervisors.", "2.33"), ("hypervisors.", "2.53"),
                  ("hypervisors.", "2.88"), ("images.", "2.35"), ("images.", "2.36"),
                  ("servers.create_server", "2.16")]


@pytest.mark.parametrize("prefix,version", SCHEMA_CHANGES)
def test_where_a_clients_schema_changes(lab, clients, prefix, version):
    """2.55 adds the flavor description (to the list too), 2.61 extra_specs, 2.75 swap
    as 0; hypervisors' cpu_info is an object from 2.28, ids are uuids from 2.53, the
    usage figures go at 2.88; the image proxy is gone from 2.36; a server forced onto a
    host shows its host_status from 2.16."""
    c = lab.credentials("admin")
    proc = clients.python("tempest_compute.py", lab.auth_url,
                          lab.data["identities"]["region"], NET_ID, c["username"],
                          c["project_name"], c["password"], version, check=False)
    lines = [line for line in proc.stdout.splitlines() if f" {prefix}" in line]
    assert lines and all(line.startswith("ok ") for line in lines), proc.stdout
