"""openstacksdk's live migration against an in-process lab (sdk_live_migrate.py)."""


def test_sdk_live_migration(clients, lab):
    out = clients.python("sdk_live_migrate.py", "labkit-admin").stdout.splitlines()
    _, server_id, source = out[0].split()
    assert out[1:3] == ["live ACTIVE True", "forced ACTIVE True"]
    assert out[3] == (f"same-host 400 Unable to migrate instance ({server_id}) to current "
                      f"host ({source}).")
    assert out[4:] == ["migrations live-migration:completed live-migration:completed "
                       "live-migration:error", "in-progress 0", "deleted"]
    # microversion 2.30 (before 2.34): nova-api *calls* the conductor's migrate_server
    calls = [e for e in lab.trace.events(kind="call") if e["src"] == "nova-api"
             and e["name"] == "migrate_server"]
    assert len(calls) == 3
    # the forced move skipped the scheduler: one select_destinations for two moves
    selects = [e for e in lab.trace.events(kind="call") if e["name"] == "select_destinations"
               and e["src"] == "nova-conductor"
               and any(c["request_id"] == e["request_id"] for c in calls)]
    assert len(selects) == 1
