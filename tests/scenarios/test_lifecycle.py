"""Starting and stopping labs leaves nothing behind."""
import os
import threading
import time

import requests

import labkit
from labkit.nova import objects
from labkit.client import Client


def _fds():
    return len(os.listdir("/proc/self/fd"))


def test_start_stop_leaves_no_thread_or_socket():
    with labkit.start(seed=3, exclusive=False):
        pass
    threads, fds = threading.active_count(), _fds()
    for seed in range(5):
        lab = labkit.start(seed=seed, exclusive=False)
        url = lab.auth_url
        requests.get(url, timeout=5)
        lab.stop()
    assert threading.active_count() == threads
    assert _fds() <= fds
    try:
        requests.get(url, timeout=1)
        raise AssertionError("keystone still answering after stop")
    except requests.ConnectionError:
        pass


def test_start_is_exclusive_by_default():
    first = labkit.start(seed=1)
    second = labkit.start(seed=1)
    assert first.stopped and not second.stopped
    second.stop()
    assert second.stopped


def test_listens_on_loopback_only():
    with labkit.start(seed=1, exclusive=False) as lab:
        for url in lab.endpoints.values():
            assert url.startswith("http://127.0.0.1:")


def test_unknown_option_is_a_clear_error():
    try:
        labkit.start(shelve_offload_time=0, exclusive=False)
    except TypeError as exc:
        assert "shelve_offload_time" in str(exc) and "shelved_offload_time" in str(exc)
    else:
        raise AssertionError("an unknown option must be refused")


def test_a_hundred_start_stop_cycles_leak_nothing():
    labkit.start(computes=1, seed=0, exclusive=False).stop()
    threads, fds = threading.active_count(), _fds()
    for seed in range(100):
        lab = labkit.start(computes=1, seed=seed, exclusive=False)
        lab.stop()
    assert threading.active_count() == threads
    assert _fds() <= fds


def test_servers_deleted_while_scheduling_are_never_built():
    """A multi-create deleted before the conductor has its hosts: no instance, no claim left
    (nova's conductor checks the build request before and after creating each instance)."""
    with labkit.start(seed=21, exclusive=False) as lab:
        client = Client(lab)
        lab.faults.delay(1.0, method="schedule_and_build_instances")
        resp = client.post("/servers", json={"server": {
            "name": "gone", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
            "flavorRef": "42", "min_count": 3, "max_count": 3, "return_reservation_id": True}})
        assert resp.status_code == 202, resp.text
        servers = client.get("/servers?name=gone").json()["servers"]
        assert len(servers) == 3
        for server in servers:
            assert client.send("DELETE", f"/servers/{server['id']}").status_code == 204
        # the delayed cast reaches the conductor, which schedules all three, then finds
        # their build requests gone
        deadline = time.monotonic() + 10
        while not [e for e in lab.trace.events(kind="reply") if e["name"] == "select_destinations"]:
            assert time.monotonic() < deadline, "the conductor never scheduled"
            time.sleep(0.01)
        lab.wait_idle(quiet=0.3, timeout=10)
        assert client.get("/servers/detail?name=gone").json()["servers"] == []
        assert not [e for e in lab.trace.events(kind="cast")
                    if e["name"] == "build_and_run_instance"]
        placement = lab.url("placement")
        admin = Client(lab, "admin")
        for server in servers:
            allocations = admin.get(f"{placement}/allocations/{server['id']}").json()
            assert allocations["allocations"] == {}


def test_a_delete_between_create_and_cast_destroys_the_instance_and_its_claim():
    """nova's _delete_build_request: the build request is gone once the instance exists."""
    with labkit.start(seed=22, exclusive=False) as lab:
        client = Client(lab)
        server_id = client.boot("late", check=False)["id"]
        client.wait_for(server_id, "ACTIVE")
        service = lab.services["nova-conductor"]
        ctxt = service.admin_context()
        instance = objects.Instance.get_by_uuid(ctxt, server_id)
        # its build request went when it was built, so the conductor takes it as deleted
        assert service.manager.compute_task_mgr._delete_build_request(ctxt, instance) is False
        assert client.get(f"/servers/{server_id}").status_code == 404
        placement = lab.url("placement")
        admin = Client(lab, "admin")
        assert admin.get(f"{placement}/allocations/{server_id}").json() == \
            {"allocations": {}}
