"""neutron's quotas over real HTTP: the limits of neutron/conf/quota.py, what a project
uses (``/details``), and neutron 29's get_quota policy: an admin, or a manager of the
project; a plain member gets pecan's bare 404 (policy_enforcement.py:PolicyHook.after)."""
import requests

from labkit.client import get_token


def _get(lab, path, user="demo"):
    token, _ = get_token(lab, user)
    return requests.get(lab.url("neutron") + "/v2.0" + path,
                        headers={"X-Auth-Token": token}, timeout=10)


def test_an_admin_reads_a_projects_quota_and_usage(lab, client):
    pid = client.project_id
    shown = _get(lab, f"/quotas/{pid}", user="admin")
    assert shown.status_code == 200
    assert shown.json() == {"quota": {"network": 100, "subnet": 100, "port": 500,
                                      "security_group": 10, "security_group_rule": 100}}
    assert _get(lab, f"/quotas/{pid}/default", user="admin").json() == shown.json()
    ports = requests.get(lab.url("neutron") + f"/v2.0/ports?project_id={pid}",
                         headers={"X-Auth-Token": client.token}, timeout=10).json()["ports"]
    details = _get(lab, f"/quotas/{pid}/details", user="admin").json()["quota"]
    assert details["port"] == {"limit": 500, "used": len(ports), "reserved": 0}
    assert details["network"]["used"] >= 1        # the seed's private network is demo's


def test_a_member_may_not_read_even_its_own_projects_quota(lab, client):
    for path in ("", "/details", "/default"):
        refused = _get(lab, f"/quotas/{client.project_id}{path}")
        assert refused.status_code == 404
        assert refused.json() == {"type": "HTTPNotFound", "detail": "",
                                  "message": "The resource could not be found."}
