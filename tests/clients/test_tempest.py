"""tempest.lib's compute ServersClient: every response validated against tempest's schemas.

Tempest's response schemas are ``additionalProperties: false``, so they catch
any key labkit shows too early or too late.  The script runs a server's life
(create, show, list, detail, ips, shelve, unshelve, delete) at no microversion
and at every microversion where tempest's server schema changes, up to the
highest labkit advertises, as user demo and as admin (who sees the
extended attributes).
"""
import pytest

from ._support import NET_ID

# no header (2.1), then the first microversion of each ServersClient schema
# (tempest/lib/services/compute/servers_client.py schema_versions_info) and a few
# where labkit's own behaviour changes (2.37 networks required, 2.77/2.91 unshelve).
VERSIONS = ("none", "2.1", "2.3", "2.6", "2.8", "2.9", "2.16", "2.19", "2.26", "2.37",
            "2.45", "2.47", "2.48", "2.51", "2.54", "2.57", "2.58", "2.62", "2.63", "2.70",
            "2.71", "2.73", "2.75", "2.77", "2.79", "2.80", "2.84", "2.89", "2.90", "2.91",
            "2.96", "2.97", "2.98", "2.99", "2.100")


def _upto(max_version):
    key = lambda v: tuple(map(int, v.split(".")))       # noqa: E731
    return [v for v in VERSIONS if v == "none" or key(v) <= key(max_version)]


@pytest.mark.parametrize("user", ["demo", "admin"])
def test_servers_client_schemas(lab, clients, user):
    versions = _upto(lab.conf.max_api_version)
    if lab.conf.max_api_version not in versions:
        versions.append(lab.conf.max_api_version)
    c = lab.credentials(user)
    proc = clients.python("tempest_servers.py", lab.auth_url,
                          lab.data["identities"]["region"], NET_ID, c["username"],
                          c["project_name"], c["password"], *versions)
    assert proc.stdout.split() == [w for v in versions for w in ("ok", v)]


def test_keypairs_quotas_limits_usage_client_schemas(lab, clients):
    """KeyPairsClient, QuotasClient, LimitsClient and TenantUsagesClient at no microversion,
    2.1, where their schemas change (2.2, 2.36, 2.39, 2.57) or nova's behaviour does (2.35,
    2.40, 2.75, 2.92), and the highest labkit advertises; as admin (usage of every project
    and quota updates are nova's admin-only calls)."""
    versions = [v for v in ("none", "2.1", "2.2", "2.35", "2.36", "2.39", "2.40", "2.57",
                            "2.75", "2.92") if v in _upto(lab.conf.max_api_version)]
    if lab.conf.max_api_version not in versions:
        versions.append(lab.conf.max_api_version)
    c = lab.credentials("admin")
    proc = clients.python("tempest_quotas.py", lab.auth_url, lab.data["identities"]["region"],
                          NET_ID, c["username"], c["project_name"], c["password"], *versions)
    assert proc.stdout.split() == [w for v in versions for w in ("ok", v)]
