"""openstacksdk, unmodified, against ``python -m labkit up``'s clouds.yaml."""


def test_sdk_server_lifecycle(up):
    out = up.python("sdk_servers.py", "labkit").stdout.splitlines()
    assert [line.split()[0] for line in out] == [
        "created", "active", "shelved", "unshelved", "deleted", "created", "deleted"]
    assert out[1:4] == ["active ACTIVE", "shelved SHELVED_OFFLOADED", "unshelved ACTIVE"]
