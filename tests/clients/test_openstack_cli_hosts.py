"""The ``openstack`` CLI, unmodified, against ``python -m labkit up``: compute services,
availability zones, host aggregates and server groups, as an operator and a user type them.
"""
import json

from ._support import IMAGE_NAME


def _json(proc):
    return json.loads(proc.stdout)


def _admin(up, *args):
    return up.openstack(*args, cloud="labkit-admin")


def test_compute_services_list_and_disable(up):
    services = _json(_admin(up, "compute", "service", "list", "-f", "json"))
    rows = [(s["Binary"], s["Host"], s["Zone"], s["Status"], s["State"]) for s in services]
    assert rows == [("nova-conductor", "conductor", "internal", "enabled", "up"),
                    ("nova-scheduler", "scheduler", "internal", "enabled", "up"),
                    ("nova-compute", "compute-1", "nova", "enabled", "up"),
                    ("nova-compute", "compute-2", "nova", "enabled", "up"),
                    ("nova-compute", "compute-3", "nova", "enabled", "up")]
    _admin(up, "compute", "service", "set", "--disable", "--disable-reason", "maintenance",
           "compute-3", "nova-compute")
    listed = _json(_admin(up, "compute", "service", "list", "--long", "--service",
                          "nova-compute", "-f", "json"))
    shown = {s["Host"]: s for s in listed}["compute-3"]
    assert (shown["Status"], shown["Disabled Reason"]) == ("disabled", "maintenance")
    _admin(up, "compute", "service", "set", "--enable", "compute-3", "nova-compute")
    listed = _json(_admin(up, "compute", "service", "list", "--host", "compute-3", "-f", "json"))
    assert [s["Status"] for s in listed] == ["enabled"]
    denied = up.openstack("compute", "service", "list", check=False)      # user demo
    assert denied.returncode != 0 and "403" in denied.stderr
    assert "os_compute_api:os-services:list" in denied.stderr


def test_zones_and_aggregates(up):
    created = _json(_admin(up, "aggregate", "create", "--zone", "az1", "-f", "json", "rack1"))
    assert (created["name"], created["availability_zone"]) == ("rack1", "az1")
    added = _json(_admin(up, "aggregate", "add", "host", "-f", "json", "rack1", "compute-1"))
    assert added["hosts"] == ["compute-1"]
    aggregates = _json(_admin(up, "aggregate", "list", "-f", "json"))
    assert [(a["Name"], a["Availability Zone"]) for a in aggregates] == [("rack1", "az1")]
    zones = _json(up.openstack("availability", "zone", "list", "-f", "json"))
    assert sorted((z["Zone Name"], z["Zone Status"]) for z in zones) == [
        ("az1", "available"), ("nova", "available")]
    long = _json(_admin(up, "availability", "zone", "list", "--compute", "--long",
                        "-f", "json"))
    assert {("az1", "compute-1"), ("internal", "conductor")} <= {
        (z["Zone Name"], z["Host Name"]) for z in long}
    created = _json(up.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                 IMAGE_NAME, "--network", "private", "--availability-zone",
                                 "az1", "--wait", "-f", "json", "in-az1"))
    assert created["OS-EXT-AZ:availability_zone"] == "az1"
    up.openstack("server", "delete", "--wait", "in-az1")
    _admin(up, "aggregate", "remove", "host", "rack1", "compute-1")
    _admin(up, "aggregate", "delete", "rack1")
    assert _json(_admin(up, "aggregate", "list", "-f", "json")) == []


def test_server_group_anti_affinity_with_the_group_hint(up):
    group = _json(up.openstack("server", "group", "create", "--policy", "anti-affinity",
                               "-f", "json", "spread"))
    assert group["policy"] == "anti-affinity"
    ids = []
    for name in ("g1", "g2"):
        server = _json(up.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                    IMAGE_NAME, "--network", "private", "--hint",
                                    f"group={group['id']}", "--wait", "-f", "json", name))
        assert server["status"] == "ACTIVE"
        ids.append(server["id"])
    shown = _json(up.openstack("server", "group", "show", "-f", "json", "spread"))
    assert sorted(shown["members"].split(", ") if isinstance(shown["members"], str)
                  else shown["members"]) == sorted(ids)
    hosts = {_json(_admin(up, "server", "show", "-f", "json", i))["OS-EXT-SRV-ATTR:host"]
             for i in ids}
    assert len(hosts) == 2                                          # anti-affinity
    up.openstack("server", "delete", "--wait", *ids)
    up.openstack("server", "group", "delete", "spread")
