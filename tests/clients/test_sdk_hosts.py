"""openstacksdk, unmodified: compute services, zones, aggregates and server groups."""


def test_sdk_services_aggregates_and_server_groups(lab, clients):
    out = clients.python("sdk_hosts.py", "labkit-admin", "labkit").stdout.splitlines()
    assert out == ["services compute-1 compute-2 compute-3",
                   "disabled disabled sdk",
                   "enabled enabled",
                   "aggregate sdk-rack sdk-az compute-2",
                   "zones internal nova sdk-az",
                   "group anti-affinity 2 True",
                   "deleted []",
                   "aggregates []"]
