"""tempest.lib's services, availability zone, aggregates and server groups clients, with
their response schemas, at no microversion, 2.1, where the schemas change and the highest."""
from ._support import NET_ID


def test_host_clients_schemas(lab, clients):
    # 2.11 forced_down, 2.13 group project/user, 2.15 soft policies, 2.41 aggregate uuid,
    # 2.53 service uuids, 2.64 group policy and rules
    versions = ["none", "2.1", "2.11", "2.41", "2.53", "2.64", lab.conf.max_api_version]
    c = lab.credentials("admin")
    proc = clients.python("tempest_hosts.py", lab.auth_url, lab.data["identities"]["region"],
                          NET_ID, c["username"], c["project_name"], c["password"], *versions,
                          check=False)
    head, *lines = proc.stdout.splitlines() or [""]
    failed = [line for line in lines if not line.startswith("ok ")]
    assert proc.returncode == 0 and not failed, "\n".join(failed) + proc.stderr[-3000:]
    assert head == "cases 4" and len(lines) == 4 * len(versions)
