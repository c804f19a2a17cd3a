"""labkit: a small but faithful OpenStack control plane that runs inside a Python process.

    >>> import labkit
    >>> lab = labkit.start(seed=1)          # keystone, nova, glance, neutron, placement ...
    >>> lab.auth_url                        # real HTTP on 127.0.0.1
    >>> lab.trace.events()                  # every hop, as plain data
    >>> lab.stop()
"""
from labkit.lab import Lab, start, stop_all
from labkit.trace import Trace

__version__ = "0.1.0"
__all__ = ["Lab", "Trace", "start", "stop_all"]
