"""How a lab shares its interpreter: its threads on one CPU, the heap at start
out of the garbage collector's passes.

**One CPU.** Only one thread of a Python process runs Python at a time (the
interpreter lock), so a lab spread over several cores does its own work no
faster. It pays for the spreading, though: every RPC call, HTTP request and
lock handoff wakes another thread, and when the OS has parked that thread on
another core the wake-up is an inter-processor interrupt (on a virtual machine,
an exit to the hypervisor), and the woken thread starts on a core whose caches
hold none of its data. What pinning saves is measured by the benchmarks
(``make bench``; the README's speed table).

The lab's *threads* are pinned, never the process. On Linux
``os.sched_setaffinity(0, ...)`` sets the calling thread's CPUs, and a thread
starts with the CPUs of the thread that started it. So ``pinned(cpu)`` pins
the calling thread while the lab starts its threads and gives it its CPUs
back afterwards: the threads the lab starts (and the threads those start) stay
on ``cpu``, and a notebook's own threads keep every core. The OS can no
longer move them, though: on a machine where other work keeps that CPU busy,
``labkit.start(pin_threads=False)`` gives the choice back to the OS.

Which CPU: one picked by the process id among the CPUs the process may use,
CPU 0 left out (interrupts tend to land there). On a 2-core machine that is
always CPU 1; on a server that a whole class's kernels share (a JupyterHub),
the kernels' labs spread evenly over the cores without asking one another,
where "the highest-numbered CPU" would have put every student's lab on one core.

**A frozen heap.** A full collection walks every object the collector
tracks: the modules the kernel imported, the lab's services, the learner's
own, tens of thousands of objects with a hundred hosts, and a burst of boots
makes new objects fast enough to start such a pass again and again. Objects
alive when the lab has started live as long as the lab, so ``freeze_heap``
moves them out of the collector's passes (``gc.freeze``), and ``thaw_heap``
(at ``Lab.stop``) puts them back, so that nothing stays uncollectable once the
lab is gone; a full collection then walks only what is newer than the lab.
This one is process-wide: a cycle that becomes garbage among objects older
than the lab waits for the lab's stop.

NOTE(labkit): real nova runs each service as its own processes, which the OS
spreads over cores (nova's ``[compute] cpu_shared_set`` pins guests, not
services); this is about many services sharing one interpreter.
"""
import contextlib
import gc
import os


def lab_cpu():
    """The CPU a lab's threads keep to: one of the calling thread's CPUs other than
    CPU 0, picked by the process id (see the module's docstring), or None where there
    is nothing to choose (one CPU, a system without ``sched_setaffinity`` such as
    macOS, or a sandbox that refuses it)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = os.sched_getaffinity(0)
    if len(cpus) < 2:
        return None
    try:
        os.sched_setaffinity(0, cpus)      # changes nothing; says whether the system lets us
    except OSError:
        return None
    choices = sorted(cpus - {0})
    return choices[os.getpid() % len(choices)]


@contextlib.contextmanager
def pinned(cpu):
    """Threads started inside the block run on ``cpu`` only; ``None`` changes nothing."""
    before = os.sched_getaffinity(0) if cpu is not None else None
    try:
        if before is not None:
            os.sched_setaffinity(0, {cpu})
    except OSError:              # a sandbox that refuses it: the lab runs unpinned
        before = None
    try:
        yield
    finally:
        if before is not None:
            os.sched_setaffinity(0, before)


def freeze_heap():
    """Keep every object the collector tracks now out of its later passes."""
    gc.freeze()


def thaw_heap():
    """Give the frozen objects back to the collector."""
    gc.unfreeze()
