"""Each service's own SQL database: SQLAlchemy over SQLite.

Real OpenStack gives each service its own database on one server
(devstack: ``keystone``, ``glance``, ``neutron``, ``placement``, ``nova_api``,
``nova_cell1`` ...), reached through oslo_db's enginefacade.  labkit does the
same with one SQLite database per service: in memory when the whole lab is one
process, a file when services run as separate processes (``labkit.cluster``).

NOTE(labkit): a ``Database`` keeps one connection per process and runs one
transaction at a time behind a lock (oslo_db's enginefacade pools connections
to MySQL/PostgreSQL instead).  Statements are plain SQLAlchemy Core.

Why SQLite files in WAL mode, and not PostgreSQL, when processes share nova's
database: the processes that share it (nova-api, nova-conductor,
nova-scheduler) run on one machine, WAL lets readers in every process go on
while one writes, and every transaction starts with ``BEGIN IMMEDIATE`` so two
writers queue for the lock (``busy_timeout``) instead of deadlocking — which is
what MySQL's row locks give nova.  Nothing to install, nothing to administer.
"""
import collections
import os
import threading

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from labkit.common import jsonutils

BUSY_TIMEOUT_MS = 30000
# JSON columns are read and written with the same jsonutils as the bus (oslo.db's
# JSON-encoded columns use oslo_serialization.jsonutils as well)
_JSON = {"json_serializer": jsonutils.dumps, "json_deserializer": jsonutils.loads}


def _file_engine(path):
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=StaticPool,
                              connect_args={"check_same_thread": False,
                                            "timeout": BUSY_TIMEOUT_MS / 1000}, **_JSON)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None        # let SQLAlchemy's BEGIN below rule
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


class _Transaction:
    """``Database.transaction()``: a plain context manager (a generator-based one costs
    more than the short statements it wraps).  Its state lives on the Database and is
    only touched by the thread that holds the database's lock."""

    __slots__ = ("db",)

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        db = self.db
        db._lock.acquire()
        db._depth += 1
        return db._conn

    def __exit__(self, exc_type, exc, tb):
        db = self.db
        try:
            db._depth -= 1
            if db._depth == 0:
                if exc_type is None:
                    db._conn.commit()
                else:
                    db._conn.rollback()
        finally:
            db._lock.release()
        return False


class Database:
    """One service's database: ``with db.transaction() as conn: conn.execute(...)``.

    :param path: a SQLite file shared with other processes; ``None`` keeps the
        database in this process's memory.
    ``created`` says whether this call made the schema (a new database to seed)
    or found it already there (a restarted service keeps its data).
    """

    def __init__(self, metadata, name="db", path=None):
        self.name, self.metadata, self.path = name, metadata, path
        if path is None:
            self.engine = sa.create_engine("sqlite://", poolclass=StaticPool,
                                           connect_args={"check_same_thread": False}, **_JSON)
        else:
            self.engine = _file_engine(os.fspath(path))
        self._lock = threading.RLock()
        self._conn = self.engine.connect()
        self._depth = 0                  # nesting of transaction() in the thread holding _lock
        self._transaction = _Transaction(self)
        with self.transaction() as conn:
            self.created = path is None or not any(
                sa.inspect(conn).has_table(t.name) for t in metadata.sorted_tables)
            metadata.create_all(conn)

    def transaction(self):
        """Run the block as one transaction; nested blocks join the outer one.

        ``with db.transaction() as conn:`` — commits when the outermost block ends,
        rolls back if it raises.
        """
        return self._transaction

    def close(self):
        with self._lock:
            self._conn.close()
            self.engine.dispose()


class Prepared:
    """A prebuilt Core statement that runs straight on the SQLite cursor.

    SQLAlchemy still builds the statement and compiles it (once, on first use);
    what it skips is SQLAlchemy's per-call machinery (an execution context,
    result metadata, a ``Row`` per row), which costs about 30 µs a statement —
    most of a key lookup in SQLite — and about 0.4 µs a row.  labkit prepares
    the statements a request runs many times (a polled instance, a port's
    addresses, a claim's usage ...); everything else goes through
    ``conn.execute`` as usual.

    Values still pass through their column types (JSON, Boolean, DateTime) in
    both directions.  Statements with ``expanding`` bind parameters (``IN``
    lists) or Python-side column defaults can't be prepared.
    """

    __slots__ = ("stmt", "columns", "_sql", "_binds", "_keys", "_results", "_row_type")

    def __init__(self, stmt, columns=None):
        """``columns``: for an INSERT, the columns it writes (its parameters' names);
        a row that leaves one out writes its scalar default, or NULL."""
        self.stmt, self.columns = stmt, columns
        self._sql = None

    def _compile(self, dialect):
        compiled = self.stmt.compile(dialect=dialect, column_keys=self.columns)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("a statement with expanding bind parameters can't be prepared")
        names = compiled.positiontup
        binds = [compiled.binds[name] for name in names]
        # (name, the value when a call leaves it out, the type's processor): a literal's
        # own value, or an INSERT column's scalar default
        self._binds = [(name, self._default(name, bind),
                        bind.type.dialect_impl(dialect).bind_processor(dialect))
                       for name, bind in zip(names, binds)]
        selected = getattr(self.stmt, "selected_columns", None)
        columns = list(selected) if selected is not None else []
        self._keys = tuple(selected.keys()) if selected is not None else ()
        if len(set(self._keys)) != len(self._keys):
            raise ValueError(f"a prepared statement's columns need distinct names: {self._keys}")
        self._row_type = collections.namedtuple("Row", self._keys) if self._keys else None
        results = [(n, c.type.dialect_impl(dialect).result_processor(dialect, None))
                   for n, c in enumerate(columns)]
        self._results = [(n, p) for n, p in results if p is not None]
        self._sql = str(compiled)

    def _default(self, name, bind):
        if self.columns is None:
            return None if bind.callable else bind.value
        column = self.stmt.table.c.get(name)
        default = column.default if column is not None else None
        if default is not None and not default.is_scalar:
            raise ValueError(f"column {name}'s default is not a plain value: give it")
        return default.arg if default is not None else None

    def _driver(self, conn):
        if self._sql is None:
            self._compile(conn.dialect)
        if not conn.in_transaction():      # the block's BEGIN (IMMEDIATE for files), as
            conn.begin()                   # conn.execute would have emitted it
        return conn.connection.driver_connection

    def _values(self, params):
        values = []
        for name, literal, process in self._binds:
            value = params.get(name, literal)
            values.append(process(value) if process is not None else value)
        return values

    def _run(self, conn, params):
        driver = self._driver(conn)
        return driver.execute(self._sql, self._values(params))

    def _processed(self, row):
        if self._results:
            row = list(row)
            for n, process in self._results:
                row[n] = process(row[n])
        return row

    def _dict(self, row):
        return dict(zip(self._keys, self._processed(row)))

    def first(self, conn, params):
        """The first row as a dict, or None."""
        row = self._run(conn, params).fetchone()
        return None if row is None else self._dict(row)

    def all(self, conn, params):
        """Every row, as dicts."""
        return [self._dict(row) for row in self._run(conn, params).fetchall()]

    def rows(self, conn, params):
        """Every row, as named tuples (``row.column``, like SQLAlchemy's rows)."""
        cursor = self._run(conn, params)          # compiles on first use: _row_type is known
        make = self._row_type._make
        return [make(self._processed(row)) for row in cursor.fetchall()]

    def tuples(self, conn, params):
        """Every row as a plain tuple (or list), for callers that unpack by position:
        cheaper than ``rows`` when a query returns hundreds of rows."""
        processed = self._processed
        return [processed(row) for row in self._run(conn, params).fetchall()]

    def scalars(self, conn, params):
        """The first column of every row (unprocessed: for plain strings and integers)."""
        return [row[0] for row in self._run(conn, params).fetchall()]

    def execute(self, conn, params):
        """An INSERT, UPDATE or DELETE; returns the number of rows it changed."""
        return self._run(conn, params).rowcount

    def insert(self, conn, params):
        """An INSERT of one row; returns its new integer primary key."""
        return self._run(conn, params).lastrowid

    def executemany(self, conn, rows):
        """An INSERT of several rows."""
        driver = self._driver(conn)
        driver.executemany(self._sql, [self._values(params) for params in rows])


def in_list(name):
    """``column.in_(in_list("ids"))``: an IN list passed as one bind parameter.

    SQLAlchemy's ``expanding`` IN writes one ``?`` per item, so its SQL changes
    with the list's length and can't be prepared.  This asks SQLite's
    ``json_each`` to unpack a JSON array instead (the list is sent as JSON), so
    one statement serves any length.
    """
    items = sa.func.json_each(sa.bindparam(name, type_=sa.JSON)).table_valued("value")
    return sa.select(items.c.value).scalar_subquery()


_UPDATES = {}


def update_row(conn, table, values, key, key_column="id", match=None, bump=None):
    """``UPDATE table SET <values> WHERE key_column = key [AND column = value ...]``;
    returns how many rows it changed.

    ``match``: more ``{column: value}`` the row must still hold (a compare-and-swap
    on a status, "not deleted"); ``bump``: a column to add one to (a revision
    number).  A save writes only the fields that changed, so the statement is
    prepared once per shape: the table, which columns, which conditions.
    """
    match = match or {}
    shape = (table, tuple(values), key_column, tuple(match), bump)
    update = _UPDATES.get(shape)
    if update is None:
        assigned = {c: sa.bindparam(f"v_{c}") for c in values}
        if bump is not None:
            assigned[bump] = table.c[bump] + 1
        stmt = table.update().where(table.c[key_column] == sa.bindparam("_key"),
                                    *(table.c[c] == sa.bindparam(f"_m_{c}") for c in match))
        update = _UPDATES.setdefault(shape, Prepared(stmt.values(assigned)))
    params = {f"v_{c}": v for c, v in values.items()}
    params.update((f"_m_{c}", v) for c, v in match.items())
    params["_key"] = key
    return update.execute(conn, params)
