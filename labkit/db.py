"""Each service's own SQL database: SQLAlchemy over an in-memory SQLite.

Real OpenStack gives each service its own database on one server
(devstack: ``keystone``, ``glance``, ``neutron``, ``placement``, ``nova_api``,
``nova_cell1`` ...), reached through oslo_db's enginefacade.  labkit does the
same with one in-memory SQLite database per service.

NOTE(labkit): SQLite in memory is one connection, so a ``Database`` runs one
transaction at a time behind a lock (oslo_db's enginefacade pools connections
to MySQL/PostgreSQL instead).  Statements are plain SQLAlchemy Core.
"""
import contextlib
import threading

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool


class Database:
    """One service's database: ``with db.transaction() as conn: conn.execute(...)``."""

    def __init__(self, metadata, name="db"):
        self.name = name
        self.metadata = metadata
        self.engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool,
            connect_args={"check_same_thread": False})
        self._lock = threading.RLock()
        self._conn = self.engine.connect()
        self._local = threading.local()
        metadata.create_all(self._conn)
        self._conn.commit()

    @contextlib.contextmanager
    def transaction(self):
        """Run the block as one transaction; nested blocks join the outer one."""
        with self._lock:
            depth = getattr(self._local, "depth", 0)
            self._local.depth = depth + 1
            try:
                yield self._conn
                if depth == 0:
                    self._conn.commit()
            except BaseException:
                if depth == 0:
                    self._conn.rollback()
                raise
            finally:
                self._local.depth = depth

    def close(self):
        with self._lock:
            self._conn.close()
            self.engine.dispose()
