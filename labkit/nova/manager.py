"""The base of every nova service's manager: its work, its start-up hooks, its periodic tasks.

Real nova: nova/manager.py:Manager (init_host, pre_start_hook, post_start_hook,
cleanup_host, additional_endpoints) and oslo_service/periodic_task.py (the
``periodic_task`` decorator and ``run_periodic_tasks``).  ``nova.service.Service``
creates one manager per service and calls these hooks in this order:
``init_host``, registration in the services table, ``pre_start_hook``, the RPC
server starts, then the periodic tasks at their spacing.
"""


def periodic_task(spacing):
    """Mark a manager method as a periodic task run every ``conf.<spacing>`` seconds.

    Real nova: ``@periodic_task.periodic_task(spacing=CONF.shelved_poll_interval)``.
    NOTE(labkit): the spacing names the lab option, read when the service starts,
    because a lab's configuration belongs to the lab, not to the module.
    """
    def decorator(fn):
        fn._periodic_spacing = spacing
        return fn
    return decorator


class Manager:
    """What a nova service runs: one manager per service, endpoints for its RPC server."""

    #: the classes of ``additional_endpoints``, by name in the manager's module
    ENDPOINT_CLASSES = ()

    def __init__(self, lab, host, node):
        self.lab, self.host, self.node, self.conf = lab, host, node, lab.conf
        self.additional_endpoints = []

    def init_host(self, context, service_ref):
        """Before the service registers: look at what this host already has."""

    def pre_start_hook(self, context, service_ref):
        """After registering, before the RPC server starts consuming."""

    def periodic_tasks(self):
        """``[(seconds, method)]`` for every ``@periodic_task`` method of this manager."""
        tasks = []
        for name in dir(type(self)):
            method = getattr(self, name)
            spacing = getattr(method, "_periodic_spacing", None)
            if spacing is not None:
                tasks.append((getattr(self.conf, spacing), method))
        return tasks

    def cleanup_host(self):
        """The service is stopping: let go of clients and connections."""
