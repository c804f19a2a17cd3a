"""The same lab as separate service processes over a real RabbitMQ.

Real OpenStack runs every service as its own process — devstack starts
``devstack@n-api``, ``devstack@n-cond-cell1``, ``devstack@n-sch``,
``devstack@n-cpu`` ... as systemd units — and the nova services reach each
other only through the broker named by ``[DEFAULT] transport_url``.
``labkit.start(transport="rabbit://guest:guest@127.0.0.1:5672/")`` (or
``python -m labkit up --transport ...``) does the same: one OS process per
service, RPC through RabbitMQ, nova's database shared as a SQLite file, and
every process publishing its hops to the ``labkit.trace`` exchange, where the
kernel collects them into one ``lab.trace`` — so the live view, the player and
the sequence diagram work unchanged.
"""
from labkit.cluster.launcher import Cluster, DEFAULT_TRANSPORT_URL

__all__ = ["Cluster", "DEFAULT_TRANSPORT_URL"]
