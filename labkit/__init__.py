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

from labkit.cluster import Cluster  # noqa: E402
from labkit.deploy import stop_all  # noqa: E402
from labkit.lab import Lab  # noqa: E402
from labkit.trace import Trace  # noqa: E402


def start(computes=3, seed=None, exclusive=True, transport=None, **options):
    """Start a lab and return it.

    :param computes: how many nova-compute hosts (``compute-1`` ...).
    :param seed: make ids and choices repeatable (same seed, same hops).
    :param exclusive: first stop every lab this process started before, so
        re-running the notebook cell that starts a lab leaks nothing.  Pass
        ``False`` to run several labs side by side.
    :param transport: ``None`` runs the lab in this process on the in-memory
        bus; a broker URL (``rabbit://guest:guest@127.0.0.1:5672/``) runs each
        service as its own process on it (``labkit.cluster.Cluster``, which
        also takes ``run_dir=``).
    :param options: any ``labkit.config.Config`` option, e.g.
        ``shelved_offload_time=-1`` or ``virt_delays={"spawn": 1.0}``.
    """
    if exclusive:
        stop_all()
    if transport is not None and transport != "memory://":
        return Cluster(computes=computes, seed=seed, transport=transport, **options)
    return Lab(computes=computes, seed=seed, **options)


__version__ = "0.1.0"
__all__ = ["Cluster", "Lab", "Trace", "start", "stop_all"]
