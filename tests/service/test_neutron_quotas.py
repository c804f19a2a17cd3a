"""neutron's quotas over real HTTP: the limits of neutron/conf/quota.py, what a project
uses (``/details``), and the get_quota policy (the project itself or an admin)."""
import requests

from lab_client import get_token


def _get(lab, path, user="demo"):
    token, _ = get_token(lab, user)
    return requests.get(lab.url("neutron") + "/v2.0" + path,
                        headers={"X-Auth-Token": token}, timeout=10)


def test_a_projects_quota_and_usage(lab, client):
    pid = client.project_id
    shown = _get(lab, f"/quotas/{pid}")
    assert shown.status_code == 200
    assert shown.json() == {"quota": {"network": 100, "subnet": 100, "port": 500,
                                      "security_group": 10, "security_group_rule": 100}}
    assert _get(lab, f"/quotas/{pid}/default").json() == shown.json()
    ports = requests.get(lab.url("neutron") + f"/v2.0/ports?project_id={pid}",
                         headers={"X-Auth-Token": client.token}, timeout=10).json()["ports"]
    details = _get(lab, f"/quotas/{pid}/details").json()["quota"]
    assert details["port"] == {"limit": 500, "used": len(ports), "reserved": 0}
    assert details["network"]["used"] >= 1        # the seed's private network is demo's


def test_another_projects_quota_is_the_admins(lab, admin):
    refused = _get(lab, f"/quotas/{admin.project_id}")
    assert refused.status_code == 403
    assert refused.json()["NeutronError"]["type"] == "PolicyNotAuthorized"
    assert _get(lab, f"/quotas/{admin.project_id}", user="admin").status_code == 200
