"""GET /os-migrations and the Migration records behind it, microversion by microversion.

Real nova: nova/api/openstack/compute/migrations.py and nova/objects/migration.py.
The records here are made through the Migration object in the conductor's
database context (the move flows make theirs the same way), then read over HTTP.
"""
import pytest

from labkit.client import Client
from labkit.nova import exception, objects

_V20_KEYS = {"id", "source_compute", "dest_compute", "source_node", "dest_node", "dest_host",
             "old_instance_type_id", "new_instance_type_id", "instance_uuid", "status",
             "created_at", "updated_at"}


@pytest.fixture(scope="module")
def records(lab):
    """Three moves: a finished resize, a live migration under way and, made first, a
    hidden record (nova drops hidden records after paging, so a page may come short)."""
    ctxt = lab.services["nova-conductor"].admin_context()
    made = []
    for kind, status, hidden in (("migration", "finished", True),
                                 ("resize", "pre-migrating", False),
                                 ("live-migration", "running", False)):
        migration = objects.Migration(
            ctxt, uuid=lab.ids.uuid4(), instance_uuid=lab.ids.uuid4(), migration_type=kind,
            status=status, source_compute="compute-1", source_node="compute-1",
            dest_compute="compute-2", dest_node="compute-2", old_instance_type_id=1,
            new_instance_type_id=2, hidden=hidden, user_id="u1", project_id="p1")
        migration.create()
        made.append(migration)
    made = made[1:] + made[:1]
    made[0].status = "finished"
    made[0].save()
    return made


def _get(lab, version, query=""):
    return Client(lab, "admin", microversion=version).get(f"/os-migrations{query}")


def test_the_object_saves_and_finds_its_records(lab, records):
    ctxt = lab.services["nova-conductor"].admin_context()
    resize = objects.Migration.get_by_id_and_instance(ctxt, records[0].id,
                                                      records[0].instance_uuid)
    assert (resize.status, resize.migration_type, resize.is_resize) == ("finished", "resize",
                                                                         True)
    assert resize.updated_at and resize.created_at <= resize.updated_at
    assert objects.Migration.get_by_instance_and_status(
        ctxt, records[0].instance_uuid, "finished").uuid == records[0].uuid
    with pytest.raises(exception.MigrationNotFoundForInstance):
        objects.Migration.get_by_id_and_instance(ctxt, records[0].id, records[1].instance_uuid)
    # finished is not the end of a resize (VERIFY_RESIZE): still in progress on both hosts
    assert [m.uuid for m in objects.MigrationList.get_in_progress_by_host_and_node(
        ctxt, "compute-2", "compute-2")] == [m.uuid for m in sorted(records, key=lambda m: m.id)]
    assert [m.uuid for m in objects.MigrationList.get_in_progress_by_instance(
        ctxt, records[1].instance_uuid)] == [records[1].uuid]


def test_v21_lists_without_type_uuid_or_hidden(lab, records):
    resp = _get(lab, "2.1")
    assert resp.status_code == 200
    body = resp.json()["migrations"]
    assert [m["id"] for m in body] == [records[0].id, records[1].id]     # made order
    assert all(set(m) == _V20_KEYS for m in body)
    assert body[0]["status"] == "finished" and body[0]["created_at"].count(":") == 2


def test_v223_adds_the_type_and_links_a_live_migration_under_way(lab, records):
    body = _get(lab, "2.23").json()["migrations"]
    assert [m["migration_type"] for m in body] == ["resize", "live-migration"]
    assert "links" not in body[0]
    href = body[1]["links"][0]["href"]
    assert href.endswith(f"/servers/{records[1].instance_uuid}/migrations/{records[1].id}")


def test_v259_pages_newest_first_by_uuid(lab, records):
    first = _get(lab, "2.59", "?limit=1").json()
    assert [m["uuid"] for m in first["migrations"]] == [records[1].uuid]
    assert "marker=" + records[1].uuid in first["migrations_links"][0]["href"]
    second = _get(lab, "2.59", f"?limit=1&marker={records[1].uuid}").json()
    assert [m["uuid"] for m in second["migrations"]] == [records[0].uuid]
    resp = _get(lab, "2.59", "?marker=not-a-migration")
    assert resp.status_code == 400
    assert resp.json() == {"badRequest": {"code": 400,
                                          "message": "Marker not-a-migration could not be found."}}
    assert _get(lab, "2.59", "?foo=1").status_code == 400          # no extra parameters


def test_filters_and_changes_since_before(lab, records):
    body = _get(lab, "2.59", "?migration_type=resize&status=finished").json()["migrations"]
    assert [m["uuid"] for m in body] == [records[0].uuid]
    assert _get(lab, "2.59", "?changes-since=2999-01-01T00:00:00Z").json()["migrations"] == []
    # changes-before arrives at 2.66; before it, it is not a filter (2.59 refuses it)
    assert _get(lab, "2.59", "?changes-before=2000-01-01T00:00:00Z").status_code == 400
    assert _get(lab, "2.66", "?changes-before=2000-01-01T00:00:00Z").json()["migrations"] == []
    resp = _get(lab, "2.66",
                "?changes-since=2030-01-01T00:00:00&changes-before=2020-01-01T00:00:00")
    assert resp.status_code == 400 and resp.json()["badRequest"]["message"] == (
        "The value of changes-since must be less than or equal to changes-before.")
    assert _get(lab, "2.66", "?changes-since=yesterday").status_code == 400


def test_v280_shows_and_filters_user_and_project(lab, records):
    body = _get(lab, "2.80", "?user_id=u1").json()["migrations"]
    assert {(m["user_id"], m["project_id"]) for m in body} == {("u1", "p1")}
    assert _get(lab, "2.80", "?project_id=p2").json()["migrations"] == []
    assert "user_id" not in _get(lab, "2.79").json()["migrations"][0]


def test_a_member_may_not_list_migrations(lab, records):
    resp = Client(lab).get("/os-migrations")
    assert resp.status_code == 403
    assert resp.json()["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-migrations:index to be performed.")
