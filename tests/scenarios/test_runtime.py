"""How a lab shares its interpreter (labkit/runtime.py): its threads keep to one CPU, the
caller's keep every CPU; the heap at start is frozen while the lab runs."""
import gc
import os
import threading
import weakref

import pytest

import labkit
from labkit import runtime


def _can_pin():
    """Whether this system lets a process choose among two or more CPUs: asked of the
    OS, not of runtime.lab_cpu(), whose None where it can would otherwise skip its tests."""
    try:
        cpus = os.sched_getaffinity(0)
        os.sched_setaffinity(0, cpus)
    except (AttributeError, OSError):
        return False
    return len(cpus) > 1


needs_cpus = pytest.mark.skipif(not _can_pin(),
                                reason="one CPU, or no sched_setaffinity: nothing to pin")


def _cpus(thread):
    """The CPUs the OS lets ``thread`` run on, from /proc."""
    with open(f"/proc/self/task/{thread.native_id}/status") as status:
        for line in status:
            if line.startswith("Cpus_allowed_list:"):
                return line.split()[1]
    raise AssertionError("no Cpus_allowed_list")


def _started(before):
    return [t for t in threading.enumerate() if t not in before and t.native_id is not None]


@needs_cpus
def test_the_labs_threads_share_one_cpu_and_the_caller_keeps_all():
    mine, before = os.sched_getaffinity(0), set(threading.enumerate())
    with labkit.start(seed=2, exclusive=False) as lab:
        started = _started(before)
        assert lab.cpu in mine and lab.cpu != 0 and len(started) > 10
        assert {_cpus(t) for t in started} == {str(lab.cpu)}
        assert os.sched_getaffinity(0) == mine            # the caller is given its CPUs back
        lab.faults.stop_service("nova-compute@compute-1")
        running = set(threading.enumerate())
        lab.faults.start_service("nova-compute@compute-1")
        restarted = _started(running)
        assert restarted and {_cpus(t) for t in restarted} == {str(lab.cpu)}
        assert lab.compute("compute-1").running


def test_each_process_picks_its_cpu_by_its_id_and_leaves_cpu_0_alone(monkeypatch):
    """Many kernels on one shared server spread over its cores instead of all taking one."""
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no sched_setaffinity: nothing to pin")
    allowed = {"cpus": set(range(16))}
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(allowed["cpus"]))
    monkeypatch.setattr(os, "sched_setaffinity", lambda pid, cpus: None)
    picks = []
    for pid in range(1000, 1030):
        monkeypatch.setattr(os, "getpid", lambda pid=pid: pid)
        picks.append(runtime.lab_cpu())
    assert 0 not in picks and set(picks) == set(range(1, 16))     # 30 kernels, every core but 0
    allowed["cpus"] = {0, 1}
    assert runtime.lab_cpu() == 1                                  # 2 cores: always CPU 1
    allowed["cpus"] = {4, 6}                                       # a cpuset without CPU 0
    assert {runtime.lab_cpu() for _ in range(3)} <= {4, 6}
    allowed["cpus"] = {3}
    assert runtime.lab_cpu() is None                               # one CPU: nothing to choose


@needs_cpus
def test_pinning_can_be_switched_off():
    before = set(threading.enumerate())
    with labkit.start(seed=2, exclusive=False, pin_threads=False) as lab:
        assert lab.cpu is None
        assert {_cpus(t) for t in _started(before)} == {_cpus(threading.main_thread())}


@needs_cpus
def test_a_system_that_refuses_pinning_still_starts_the_lab(monkeypatch):
    def refuse(pid, cpus):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(os, "sched_setaffinity", refuse)
    mine, before = os.sched_getaffinity(0), set(threading.enumerate())
    with labkit.start(seed=2, exclusive=False) as lab:
        assert {_cpus(t) for t in _started(before)} == {_cpus(threading.main_thread())}
        assert lab.cpu is None and lab.compute("compute-1").running
        assert os.sched_getaffinity(0) == mine


def test_the_heap_is_frozen_while_a_lab_runs_and_a_stopped_lab_is_collected():
    assert gc.get_freeze_count() == 0
    lab = labkit.start(seed=2, exclusive=False)
    assert gc.get_freeze_count() > 10_000          # modules, the lab's services ...
    gone = weakref.ref(lab.services["nova-conductor"])
    lab.stop()
    assert gc.get_freeze_count() == 0
    del lab
    gc.collect()
    assert gone() is None                          # nothing of it stays uncollectable


def test_freezing_can_be_switched_off():
    with labkit.start(seed=2, exclusive=False, gc_freeze=False):
        assert gc.get_freeze_count() == 0
