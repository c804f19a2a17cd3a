"""Periodic tasks for every service of a lab, on one timer thread.

Real nova runs each service's periodic tasks (the compute heartbeat of
nova/servicegroup/drivers/db.py, _poll_shelved_instances ...) in that
service's own process (oslo_service/periodic_task.py).  In one process a
thread per service would mean a thousand idle threads at a thousand hosts,
so labkit keeps one timer thread that runs each task at its own interval.
"""
import heapq
import itertools
import threading
import time


class PeriodicRunner:
    def __init__(self, name="labkit-periodic"):
        self._heap = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def add(self, interval, fn):
        """Run ``fn()`` every ``interval`` seconds (first run after one interval).

        An interval of 0 or less never runs ``fn``, as nova's options read it: a
        report_interval of 0 starts no heartbeat (servicegroup/drivers/db.py:join) and a
        shelved_poll_interval of 0 or less disables _poll_shelved_instances.
        """
        if interval <= 0:
            return
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + interval, next(self._counter),
                                        interval, fn))
            self._cond.notify()

    def _run(self):
        while True:
            with self._cond:
                while not self._stopped and (not self._heap or
                                             self._heap[0][0] > time.monotonic()):
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(timeout)
                if self._stopped:
                    return
                due, order, interval, fn = heapq.heappop(self._heap)
                heapq.heappush(self._heap, (max(due + interval, time.monotonic()), order,
                                            interval, fn))
            try:
                fn()
            except Exception:   # a failing task must not stop the others
                pass

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=5)
