"""The database servicegroup driver: a service is up if it reported lately.

Real nova: nova/servicegroup/drivers/db.py:DbDriver.  Every service reports
every ``[DEFAULT] report_interval`` seconds (``_report_state`` adds one to
``report_count`` and saves, which sets ``last_seen_up``); ``is_up`` says
whether that was at most ``service_down_time`` seconds ago.

NOTE(labkit): ``last_seen_up`` holds the monotonic clock (shared by every
process on one machine) instead of a UTC datetime, so changing the wall clock
never makes a service look dead.
"""
import logging
import time

LOG = logging.getLogger(__name__)


class DbDriver:
    def __init__(self, service_down_time):
        self.service_down_time = service_down_time

    def is_up(self, service_ref):
        """Whether the service's last heartbeat is at most service_down_time old."""
        last_heartbeat = service_ref.get("last_seen_up")
        if last_heartbeat is None:
            return False
        elapsed = time.monotonic() - last_heartbeat
        is_up = abs(elapsed) <= self.service_down_time
        if not is_up:
            LOG.debug("Seems service %s on host %s is down. Elapsed time is %.1f s",
                      service_ref.get("binary"), service_ref.get("host"), elapsed)
        return is_up

    def updated_time(self, service_ref):
        """The time the service last changed in the database (its last heartbeat)."""
        return service_ref.get("updated_at")
