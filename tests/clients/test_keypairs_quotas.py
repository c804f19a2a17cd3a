"""Key pairs, limits, quotas and usage with the unmodified ``openstack`` CLI and
openstacksdk against ``python -m labkit up`` (nova's default quotas: 10 instances; neutron's: 100 networks, 500 ports ...).

The commands a learner reaches for: ``keypair create/list/show/delete`` (with and
without ``--public-key``), ``server create --key-name`` (a key that exists and one
that does not), ``limits show --absolute``, ``quota show`` (nova's; nova's and neutron's for an admin), ``quota set --instances``
(admin) and then one server too many, ``usage list`` (admin) and ``usage show``.
"""
import json

from ._support import IMAGE_NAME

ED25519 = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f "
           "learner@laptop")


def _json(proc):
    return json.loads(proc.stdout)


def test_keypairs(up, tmp_path):
    made = _json(up.openstack("keypair", "create", "--private-key", str(tmp_path / "k1.pem"),
                              "-f", "json", "k1"))
    assert made["name"] == "k1" and made["type"] == "ssh"
    assert (tmp_path / "k1.pem").read_text().startswith("-----BEGIN")
    (tmp_path / "id.pub").write_text(ED25519 + "\n")
    imported = _json(up.openstack("keypair", "create", "--public-key", str(tmp_path / "id.pub"),
                                  "-f", "json", "laptop"))
    assert imported["fingerprint"] == "0f:a2:0a:d7:38:3e:65:45:08:6b:63:84:1c:ff:dc:ba"
    # (what ``ssh-keygen -E md5 -lf`` prints for it)
    listed = {k["Name"]: k for k in _json(up.openstack("keypair", "list", "-f", "json"))}
    assert set(listed) == {"k1", "laptop"} and listed["k1"]["Type"] == "ssh"
    shown = _json(up.openstack("keypair", "show", "-f", "json", "laptop"))
    assert shown["fingerprint"] == imported["fingerprint"] and shown["is_deleted"] is False
    public = up.openstack("keypair", "show", "--public-key", "laptop").stdout
    assert public.strip() == ED25519
    again = up.openstack("keypair", "create", "--public-key", str(tmp_path / "id.pub"), "laptop",
                         check=False)
    assert again.returncode == 1 and "Key pair 'laptop' already exists." in again.stderr
    up.openstack("keypair", "delete", "k1", "laptop")
    assert _json(up.openstack("keypair", "list", "-f", "json")) == []
    missing = up.openstack("keypair", "show", "k1", check=False)
    assert missing.returncode == 1


def test_an_admin_lists_a_users_or_a_projects_keypairs(up, tmp_path):
    """``keypair list --user NAME`` finds the user by name (GET /v3/users?name=);
    ``--project NAME`` the project's users by their role assignments."""
    (tmp_path / "id.pub").write_text(ED25519 + "\n")
    up.openstack("keypair", "create", "--public-key", str(tmp_path / "id.pub"), "demos")
    for option in ("--user", "--project"):
        listed = _json(up.openstack("keypair", "list", option, "demo", "-f", "json",
                                    cloud="labkit-admin"))
        assert [k["Name"] for k in listed] == ["demos"]
    assert _json(up.openstack("keypair", "list", "-f", "json", cloud="labkit-admin")) == []
    up.openstack("keypair", "delete", "demos")


def test_server_create_key_name(up, tmp_path):
    (tmp_path / "id.pub").write_text(ED25519 + "\n")
    up.openstack("keypair", "create", "--public-key", str(tmp_path / "id.pub"), "mine")
    bad = up.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME,
                       "--network", "private", "--key-name", "nosuch", "nokey", check=False)
    assert bad.returncode == 1 and "Invalid key_name provided." in bad.stderr
    good = _json(up.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME,
                              "--network", "private", "--key-name", "mine", "--wait",
                              "-f", "json", "keyed"))
    assert good["key_name"] == "mine" and good["status"] == "ACTIVE"
    up.openstack("server", "delete", "--wait", "keyed")
    up.openstack("keypair", "delete", "mine")


def test_limits_quota_and_one_server_too_many(up):
    limits = {r["Name"]: r["Value"] for r in _json(up.openstack(
        "limits", "show", "--absolute", "-f", "json"))}
    assert limits["max_total_instances"] == 10 and limits["total_instances_used"] == 0
    assert limits["max_total_keypairs"] == 100 and limits["max_total_ram_size"] == 51200
    # a member reads nova's limits; neutron 29 shows a project's quota to an admin (or
    # a manager of it) only, so a member's plain `quota show` fails as it does on a cloud
    quota = {r["Resource"]: r["Limit"] for r in _json(up.openstack(
        "quota", "show", "--compute", "-f", "json"))}
    assert quota["instances"] == 10 and quota["cores"] == 20 and quota["key-pairs"] == 100
    project = up.openstack("token", "issue", "-c", "project_id", "-f", "value").stdout.strip()
    member = up.openstack("quota", "show", check=False)
    assert member.returncode == 1 and f"No Quota found for {project}" in member.stderr
    both = {r["Resource"]: r["Limit"] for r in _json(up.openstack(
        "quota", "show", "-f", "json", "demo", cloud="labkit-admin"))}
    assert both["instances"] == 10 and both["networks"] == 100 and both["ports"] == 500
    refused = up.openstack("quota", "set", "--instances", "1", project, check=False)
    assert refused.returncode == 1 and "os-quota-sets:update" in refused.stderr
    up.openstack("quota", "set", "--instances", "1", "demo", cloud="labkit-admin")
    quota = {r["Resource"]: r["Limit"] for r in _json(up.openstack(
        "quota", "show", "--compute", "-f", "json"))}
    assert quota["instances"] == 1
    up.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME, "--network",
                 "private", "--wait", "one")
    over = up.openstack("server", "create", "--flavor", "m1.nano", "--image", IMAGE_NAME,
                        "--network", "private", "two", check=False)
    assert over.returncode == 1
    assert ("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"
            in over.stderr), over.stderr
    used = {r["Name"]: r["Value"] for r in _json(up.openstack(
        "limits", "show", "--absolute", "-f", "json"))}
    assert used["total_instances_used"] == 1 and used["total_ram_used"] == 192
    # usage: every project's is the admin's to list; a project reads its own
    listed = _json(up.openstack("usage", "list", "-f", "json", cloud="labkit-admin"))
    # (the SDK sends detailed=True, and nova only takes "1": no per-server rows to count)
    assert [u["Project"] for u in listed] == [project] and listed[0]["CPU Hours"] > 0, listed
    assert up.openstack("usage", "list", check=False).returncode == 1      # nova: admin only
    shown = _json(up.openstack("usage", "show", "-f", "json"))
    assert shown["Project"] == project and shown["CPU Hours"] > 0
    assert "one" in {s["name"] for s in shown["Servers"]}   # (and any deleted in the period)
    up.openstack("server", "delete", "--wait", "one")
    up.openstack("quota", "set", "--instances", "10", "demo", cloud="labkit-admin")


def test_sdk_keypairs_limits_quotas(up):
    out = up.python("sdk_keypairs.py", "labkit", "labkit-admin").stdout.splitlines()
    assert out == ["generated 2048 ssh", "deleted []", "limits 10 20 100",
                   "quota 10 20 51200 100", "usages list"]


def test_nova_cli(up, tmp_path):
    """The deprecated ``nova`` CLI with the ``export OS_*`` lines: it asks for 2.96, where a
    key pair must be imported (without --pub-key, nova's 2.92 schema refuses it)."""
    refused = up.nova("keypair-add", "gen", check=False)
    assert refused.returncode == 1 and "Invalid input for field/attribute public_key" in \
        refused.stderr
    (tmp_path / "id.pub").write_text(ED25519 + "\n")
    up.nova("keypair-add", "--pub-key", str(tmp_path / "id.pub"), "laptop")
    assert "0f:a2:0a:d7:38:3e:65:45:08:6b:63:84:1c:ff:dc:ba" in up.nova("keypair-list").stdout
    up.nova("keypair-delete", "laptop")
    absolute = _table(up.nova("limits").stdout)          # Name | Used | Max
    assert absolute["Instances"] == ["0", "10"] and absolute["Keypairs"] == ["-", "100"]
    quota = _table(up.nova("quota-show").stdout)
    assert quota["instances"] == ["10"] and quota["key_pairs"] == ["100"]


def _table(text):
    """{first cell: [the other cells]} of a CLI table's rows."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| ")]
    return {row[0]: row[1:] for row in rows}
