"""Starting and stopping labs leaves nothing behind."""
import os
import threading

import requests

import labkit


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
