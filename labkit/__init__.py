"""labkit: a small but faithful OpenStack control plane that runs inside a Python process.

    >>> import labkit
    >>> lab = labkit.start(seed=1)          # keystone, nova, glance, neutron, placement ...
    >>> lab.auth_url                        # real HTTP on 127.0.0.1
    >>> lab.trace.events()                  # every hop, as plain data
    >>> lab.stop()
"""
import sys

# jsonschema imports the optional ``rfc3987_syntax`` package when it is installed
# (JupyterLab's dependencies bring it), and that compiles a grammar for ~1.7 s.
# The API schemas here never use the "iri" formats it checks, so, unless something
# imported it already, labkit keeps it out and a lab starts in a fraction of that.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

from labkit.lab import Lab, start, stop_all  # noqa: E402
from labkit.trace import Trace

__version__ = "0.1.0"
__all__ = ["Lab", "Trace", "start", "stop_all"]
