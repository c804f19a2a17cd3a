"""``openstack security group ...`` and ``server create --security-group``, unmodified CLI.

The project's ``default`` group appears on first use with neutron's four rules;
a new group gets a rule; a server booted into it has a port in it and shows it;
a group in use, and the default group, cannot be deleted (neutron's 409s).
"""
import json

from ._support import IMAGE_NAME


def _json(proc):
    return json.loads(proc.stdout)


def test_security_groups_and_a_server_in_one(clients):
    groups = _json(clients.openstack("security group", "list", "-f", "json"))
    assert [g["Name"] for g in groups] == ["default"]
    default_id = groups[0]["ID"]
    rules = _json(clients.openstack("security group rule", "list", "-f", "json", "default"))
    assert sorted((r["Direction"], r["Ethertype"], r["Remote Security Group"]) for r in rules) \
        == [("egress", "IPv4", None), ("egress", "IPv6", None),
            ("ingress", "IPv4", default_id), ("ingress", "IPv6", default_id)]

    web = _json(clients.openstack("security group", "create", "-f", "json", "web"))
    assert web["name"] == "web" and len(web["rules"]) == 2        # egress IPv4 and IPv6
    ssh = _json(clients.openstack("security group rule", "create", "-f", "json", "--protocol",
                                  "tcp", "--dst-port", "22", "--remote-ip", "0.0.0.0/0",
                                  "web"))
    assert (ssh["port_range_min"], ssh["port_range_max"], ssh["protocol"]) == (22, 22, "tcp")
    again = clients.openstack("security group rule", "create", "--protocol", "tcp",
                              "--dst-port", "22", "--remote-ip", "0.0.0.0/0", "web",
                              check=False)
    assert again.returncode != 0 and "Security group rule already exists" in again.stderr

    server = _json(clients.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                     IMAGE_NAME, "--network", "private", "--security-group",
                                     "web", "--wait", "-f", "json", "sg-web"))
    assert server["status"] == "ACTIVE"
    assert [g["name"] for g in server["security_groups"]] == ["web"]
    ports = _json(clients.openstack("port", "list", "--server", server["id"], "-f", "json",
                                    "--long"))
    assert [p["Security Groups"] for p in ports] == [[web["id"]]]

    in_use = clients.openstack("security group", "delete", "web", check=False)
    assert in_use.returncode != 0
    missing = clients.openstack("server", "create", "--flavor", "m1.nano", "--image",
                                IMAGE_NAME, "--network", "private", "--security-group",
                                "nope", "sg-none", check=False)
    assert missing.returncode != 0 and "nope" in missing.stderr
    clients.openstack("server", "delete", "--wait", "sg-web")
    clients.openstack("security group", "delete", "web")
    as_demo = clients.openstack("security group", "delete", "default", check=False)
    assert as_demo.returncode != 0
