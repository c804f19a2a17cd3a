"""openstacksdk, unmodified, against ``python -m labkit up``'s clouds.yaml."""


def test_sdk_server_lifecycle(up):
    out = up.python("sdk_servers.py", "labkit").stdout.splitlines()
    assert [line.split()[0] for line in out] == [
        "created", "active", "shelved", "unshelved", "deleted", "created", "deleted"]
    # status, vm_state, task_state, power_state (1 RUNNING, 4 SHUTDOWN) once each wait is over
    assert out[1:4] == ["active ACTIVE active None 1",
                        "shelved SHELVED_OFFLOADED shelved_offloaded None 4",
                        "unshelved ACTIVE active None 1"]
