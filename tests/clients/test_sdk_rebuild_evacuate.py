"""openstacksdk's rebuild and evacuate against an in-process lab (sdk_rebuild_evacuate.py).

The SDK asks for its newest microversion: the rebuild answers the whole server (2.75+)
with the password, and the evacuated server ends SHUTOFF (2.95) on another host, holding
both hosts in placement until the source's nova-compute comes back; only then may
forced_down be lifted (nova refuses it while the evacuation is ``done``).
"""
from labkit.client import Client


def test_sdk_rebuild_and_evacuate(clients, lab):
    out = clients.python("sdk_rebuild_evacuate.py", "labkit-admin", "rebuild").stdout
    answer, rebuilt, bad = out.splitlines()
    assert answer == "answer sdk-rebuilt REBUILD n3w-pass"
    _, server_id, source, *states = rebuilt.split()
    assert states == ["ACTIVE", "active", "None", "1"]
    assert bad.startswith("bad-image 400 Cannot find image for rebuild")
    lab.faults.stop_service(f"nova-compute@{source}")
    try:
        out = clients.python("sdk_rebuild_evacuate.py", "labkit-admin", "evacuate",
                             server_id).stdout
        assert out.splitlines() == ["evacuated True SHUTOFF stopped None 4"]
        dest = Client(lab, "admin").show(server_id)["OS-EXT-SRV-ATTR:host"]
        placement = lab.url("placement")
        admin = Client(lab, "admin")
        assert len(admin.get(f"{placement}/allocations/{server_id}").json()[
            "allocations"]) == 2
    finally:
        lab.restart_compute_service(source)
    lab.wait_idle()
    up = clients.python("sdk_rebuild_evacuate.py", "labkit-admin", "up", source).stdout
    assert up.splitlines() == ["forced_down False"]
    held = admin.get(f"{placement}/allocations/{server_id}").json()["allocations"]
    names = {rp["uuid"]: rp["name"] for rp in admin.get(
        f"{placement}/resource_providers").json()["resource_providers"]}
    assert [names[rp] for rp in held] == [dest]
