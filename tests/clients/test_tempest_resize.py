"""tempest.lib's resize, confirm, revert and migrate calls and os-migrations, every
response validated against tempest's schemas (tempest_resize.py), at the microversions
where tempest's list_migrations schema changes and at the highest labkit advertises."""
from ._support import NET_ID

VERSIONS = ("2.1", "2.23", "2.59", "2.80")


def test_resize_and_migration_client_schemas(lab, clients):
    versions = list(VERSIONS) + [lab.conf.max_api_version]
    c = lab.credentials("admin")
    proc = clients.python("tempest_resize.py", lab.auth_url, lab.data["identities"]["region"],
                          NET_ID, c["username"], c["project_name"], c["password"], *versions)
    expected = []
    for version in versions:
        kinds = ("-",) * 3 if version == "2.1" else ("resize", "resize", "migration")
        expected.append(["ok", version, f"{kinds[0]}:confirmed", f"{kinds[1]}:reverted",
                         f"{kinds[2]}:confirmed"])
    assert [line.split() for line in proc.stdout.splitlines()] == expected
