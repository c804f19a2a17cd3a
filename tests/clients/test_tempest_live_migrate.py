"""tempest.lib's live migration calls, every response validated against tempest's schemas.

ServersClient.live_migrate_server and list_in_progress_live_migration at the
microversions where nova's os-migrateLive body or tempest's list_live_migrations
schema changes (2.25 auto, 2.30 force, 2.62 uuid, 2.68, 2.80 user/project) and at the
highest labkit advertises, as admin, with each live migration held running a moment
so the list has a record to check.  (nova adds ``uuid`` at 2.59, but tempest 47's
ServersClient validates 2.58-2.61 with its 2.58 schema, which has none: its 2.59
schema is reached from 2.62 on, so 2.62 stands for 2.59 here.)
"""
from ._support import NET_ID

VERSIONS = ("2.25", "2.30", "2.62", "2.68", "2.80")


def test_live_migration_client_schemas(lab, clients):
    versions = list(VERSIONS) + [lab.conf.max_api_version]
    hosts = ("compute-1", "compute-2", "compute-3")
    for host in hosts:
        lab.faults.hold_live_migrations(host, seconds=0.5)
    try:
        c = lab.credentials("admin")
        proc = clients.python("tempest_live_migrate.py", lab.auth_url,
                              lab.data["identities"]["region"], NET_ID, c["username"],
                              c["project_name"], c["password"], *versions)
    finally:
        lab.faults.clear()
    assert proc.stdout.split() == [w for v in versions for w in ("ok", v, "running")]
