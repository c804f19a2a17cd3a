"""Whether a service is up, as every part of nova asks it.

Real nova: nova/servicegroup/api.py:API — ``service_is_up`` answers False
for a service an operator forced down, and otherwise asks the driver
(``[DEFAULT] servicegroup_driver = db``: nova/servicegroup/drivers/db.py).
The API, the scheduler's ComputeFilter and the availability zones all use it.
"""
import logging

from labkit.nova.servicegroup.drivers import db

LOG = logging.getLogger(__name__)


class API:
    def __init__(self, conf):
        service_down_time = conf.service_down_time
        if service_down_time <= conf.report_interval:
            # nova overrides the option the same way (and logs a warning)
            service_down_time = conf.report_interval * 2.5
            LOG.warning("Report interval must be less than service down time; "
                        "using service_down_time %s", service_down_time)
        self._driver = db.DbDriver(service_down_time)

    def service_is_up(self, member):
        """False when forced down; otherwise whether its last heartbeat is recent."""
        if member.get("forced_down"):
            return False
        return self._driver.is_up(member)

    def get_updated_time(self, member):
        return self._driver.updated_time(member)
