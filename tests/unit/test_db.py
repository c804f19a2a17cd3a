"""labkit.db: one service's database, and statements prepared on the SQLite cursor."""
import datetime
import threading

import pytest
import sqlalchemy as sa

from labkit.db import Database, Prepared, in_list, update_row

metadata = sa.MetaData()
things = sa.Table(
    "things", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(36), nullable=False),
    sa.Column("deleted", sa.Integer, default=0),
    sa.Column("active", sa.Boolean, default=True),
    sa.Column("extra", sa.JSON),
    sa.Column("seen_at", sa.DateTime))

BY_NAME = sa.select(things).where(things.c.name == sa.bindparam("name"), things.c.deleted == 0)
SEEN = datetime.datetime(2026, 11, 27, 12, 30, 5)


def _database(path=None):
    db = Database(metadata, "things", path)
    with db.transaction() as conn:
        for row in ({"name": "a", "active": False, "extra": {"k": [1, 2]}, "seen_at": SEEN},
                    {"name": "a", "deleted": 1, "extra": None},
                    {"name": "b", "extra": {"x": None}}):
            conn.execute(things.insert(), row)
    return db


def test_a_prepared_select_gives_what_sqlalchemy_gives():
    db = _database()
    prepared = Prepared(BY_NAME)
    with db.transaction() as conn:
        for name in ("a", "b", "missing"):
            row = conn.execute(BY_NAME, {"name": name}).first()
            assert prepared.first(conn, {"name": name}) == (dict(row._mapping) if row else None)
        assert prepared.first(conn, {"name": "a"}) == {
            "id": 1, "name": "a", "deleted": 0, "active": False, "extra": {"k": [1, 2]},
            "seen_at": SEEN}
        everything = Prepared(sa.select(things.c.name, things.c.extra).order_by(things.c.id))
        assert everything.all(conn, {}) == [
            {"name": "a", "extra": {"k": [1, 2]}}, {"name": "a", "extra": None},
            {"name": "b", "extra": {"x": None}}]
        assert everything.scalars(conn, {}) == ["a", "a", "b"]
        assert [tuple(t) for t in everything.tuples(conn, {})] == [
            ("a", {"k": [1, 2]}), ("a", None), ("b", {"x": None})]
        rows = everything.rows(conn, {})
        assert [(r.name, r.extra) for r in rows] == [(r.name, r.extra) for r in conn.execute(
            everything.stmt)]


def test_values_go_through_their_column_types():
    db = _database()
    seen = Prepared(sa.select(things.c.name).where(things.c.seen_at == sa.bindparam("t"),
                                                   things.c.active == sa.bindparam("on")))
    update = Prepared(things.update().where(things.c.name == sa.bindparam("n"))
                      .values(extra=sa.bindparam("e")))
    with db.transaction() as conn:
        assert seen.scalars(conn, {"t": SEEN, "on": False}) == ["a"]
        assert update.execute(conn, {"n": "b", "e": {"y": [True]}}) == 1
        assert conn.execute(sa.select(things.c.extra).where(things.c.name == "b")).scalar() \
            == {"y": [True]}


def test_a_prepared_write_belongs_to_the_block_and_rolls_back_with_it():
    db = _database()
    rename = Prepared(things.update().where(things.c.id == sa.bindparam("i"))
                      .values(name=sa.bindparam("new")))
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            assert rename.execute(conn, {"i": 3, "new": "c"}) == 1
            raise RuntimeError("undo")
    with db.transaction() as conn:
        assert Prepared(BY_NAME).first(conn, {"name": "c"}) is None


def test_in_a_shared_file_a_prepared_write_takes_the_write_lock(tmp_path):
    """A block that starts with a prepared statement still begins with BEGIN IMMEDIATE,
    so a second process (here a second connection) waits instead of interleaving."""
    path = tmp_path / "things.sqlite"
    first, second = _database(path), Database(metadata, "things", path)
    rename = Prepared(things.update().where(things.c.id == sa.bindparam("i"))
                      .values(name=sa.bindparam("new")))
    inside, release, order = threading.Event(), threading.Event(), []

    def writer():
        with first.transaction() as conn:
            rename.execute(conn, {"i": 3, "new": "first"})
            inside.set()
            release.wait(5)
            order.append("first commits")

    thread = threading.Thread(target=writer)
    thread.start()
    inside.wait(5)
    threading.Timer(0.2, release.set).start()
    with second.transaction() as conn:
        rename.execute(conn, {"i": 3, "new": "second"})
        order.append("second writes")
    thread.join(5)
    assert order == ["first commits", "second writes"]
    with first.transaction() as conn:
        assert Prepared(BY_NAME).first(conn, {"name": "second"})["id"] == 3


def test_statements_that_cannot_be_prepared_say_so():
    db = _database()
    listed = Prepared(sa.select(things.c.id).where(
        things.c.name.in_(sa.bindparam("names", expanding=True))))
    with db.transaction() as conn, pytest.raises(ValueError, match="expanding"):
        listed.all(conn, {"names": ["a"]})


def test_an_in_list_is_one_parameter_so_the_statement_can_be_prepared():
    db = _database()
    named = Prepared(sa.select(things.c.id).where(things.c.name.in_(in_list("names")))
                     .order_by(things.c.id))
    with db.transaction() as conn:
        assert named.scalars(conn, {"names": ["a"]}) == [1, 2]
        assert named.scalars(conn, {"names": ["b", "a", "nobody"]}) == [1, 2, 3]
        assert named.scalars(conn, {"names": []}) == []


def test_a_prepared_insert_names_its_columns_and_may_write_many_rows():
    db = _database()
    add = Prepared(things.insert(), columns=("name", "deleted", "active", "extra", "seen_at"))
    with db.transaction() as conn:
        add.execute(conn, {"name": "c", "deleted": 0, "active": True, "extra": [1],
                           "seen_at": SEEN})
        add.executemany(conn, [{"name": n, "deleted": 0, "active": False, "extra": None,
                                "seen_at": None} for n in ("d", "e")])
        rows = conn.execute(sa.select(things).where(things.c.id > 3)).all()
    assert [(r.id, r.name, r.active, r.extra, r.seen_at) for r in rows] == [
        (4, "c", True, [1], SEEN), (5, "d", False, None, None), (6, "e", False, None, None)]
    short = Prepared(things.insert(), columns=("name", "deleted", "active", "seen_at"))
    with db.transaction() as conn:       # left out: the column's default, or NULL
        new_id = short.insert(conn, {"name": "f"})
        row = conn.execute(sa.select(things).where(things.c.id == new_id)).one()
    assert (row.id, row.name, row.deleted, row.active, row.seen_at) == (7, "f", 0, True, None)


def test_update_row_writes_only_a_row_that_still_matches():
    db = _database()
    with db.transaction() as conn:
        assert update_row(conn, things, {"name": "c", "active": True}, 1,
                          match={"deleted": 0}) == 1
        assert update_row(conn, things, {"name": "d"}, 2, match={"deleted": 0}) == 0
        assert update_row(conn, things, {"seen_at": SEEN}, "b", key_column="name") == 1
        assert update_row(conn, things, {"name": "bb"}, 3, bump="deleted") == 1
        rows = {r.id: r for r in conn.execute(sa.select(things))}
    assert (rows[1].name, rows[1].active) == ("c", True)
    assert rows[2].name == "a"                    # deleted: the compare-and-swap refused it
    assert (rows[3].name, rows[3].deleted, rows[3].seen_at) == ("bb", 1, SEEN)
