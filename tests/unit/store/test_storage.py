"""The SQLite plan store: CRUD, revisions, settings, and failures that damage nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models import Plan
from planner.store.sqlite import MAX_REVISIONS, PlanStore, StorageError, _classify


@pytest.fixture
def store() -> PlanStore:
    return PlanStore(":memory:")


def named(name: str) -> Plan:
    plan = Plan()
    plan.meta.name = name
    return plan


def test_save_get_list(store: PlanStore) -> None:
    saved = store.save(named("早起营 🌅"))
    assert saved.meta.updated_at is not None and saved.meta.created_on is not None
    assert store.get(saved.id) == saved
    assert [s.name for s in store.list()] == ["早起营 🌅"]


def test_missing_plan_is_a_storage_error(store: PlanStore) -> None:
    with pytest.raises(StorageError) as info:
        store.get("nope")
    assert info.value.key == "storage.not_found"


def test_duplicate_rename_delete(store: PlanStore) -> None:
    original = store.save(named("读书会"))
    copy = store.duplicate(original.id, "读书会（副本）")
    assert copy.id != original.id
    store.rename(original.id, "读书会 2027")
    assert sorted(s.name for s in store.list()) == ["读书会 2027", "读书会（副本）"]
    store.delete(original.id)
    assert [s.id for s in store.list()] == [copy.id]
    assert store.revisions(original.id) == []  # revisions go with the plan


def test_unchanged_save_adds_no_revision(store: PlanStore) -> None:
    plan = store.save(named("a"))
    store.save(plan)
    store.save(plan)
    assert len(store.revisions(plan.id)) == 1


def test_keeps_the_last_twenty_revisions_and_restores(store: PlanStore) -> None:
    plan = named("v0")
    for i in range(MAX_REVISIONS + 5):
        plan.meta.name = f"v{i}"
        plan = store.save(plan)
    revisions = store.revisions(plan.id)
    assert len(revisions) == MAX_REVISIONS
    oldest = store.get_revision(revisions[-1].id)
    assert oldest.meta.name == "v5"
    restored = store.restore(plan.id, revisions[-1].id)
    assert restored.meta.name == "v5" and store.get(plan.id).meta.name == "v5"
    assert store.get_revision(store.revisions(plan.id)[0].id).meta.name == "v5"


def test_restore_refuses_a_revision_of_another_plan(store: PlanStore) -> None:
    a, b = store.save(named("a")), store.save(named("b"))
    with pytest.raises(StorageError):
        store.restore(a.id, store.revisions(b.id)[0].id)


def test_settings(store: PlanStore) -> None:
    assert store.get_setting("lang", "zh") == "zh"
    store.set_setting("lang", "en")
    store.set_setting("lang", "zh")
    assert store.get_setting("lang") == "zh"


def test_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    plan = PlanStore(path).save(named("重启后还在"))
    assert PlanStore(path).get(plan.id).meta.name == "重启后还在"


def test_locked_database_fails_cleanly_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    store = PlanStore(path, timeout=0.1)
    plan = store.save(named("before"))
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    plan.meta.name = "during lock"
    with pytest.raises(StorageError) as info:
        store.save(plan)
    assert info.value.key == "storage.locked"
    blocker.rollback()
    blocker.close()
    assert store.get(plan.id).meta.name == "before"


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("attempt to write a readonly database", "storage.readonly"),
        ("unable to open database file", "storage.cannot_open"),
        ("database is locked", "storage.locked"),
        ("database or disk is full", "storage.full"),
        ("file is not a database", "storage.corrupt"),
        ("database disk image is malformed", "storage.corrupt"),
        ("Cannot operate on a closed database.", "storage.failed"),
    ],
)
def test_errors_without_a_code_are_classified_by_their_text(message: str, key: str) -> None:
    assert _classify(sqlite3.OperationalError(message)).key == key


def test_the_sqlite_code_decides_over_the_text() -> None:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = sqlite3.SQLITE_IOERR | (4 << 8)  # an extended code: SQLITE_IOERR_SHORT_READ
    assert _classify(exc).key == "storage.io"


def _full(store: PlanStore) -> None:
    # A real SQLITE_FULL: the connection may not grow the file past the pages it has now.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_is_reported_as_full_not_damaged(tmp_path: Path) -> None:
    store = PlanStore(tmp_path / "plans.sqlite3")
    plan = store.save(named("before"))
    _full(store)
    plan.meta.name = "x" * 200_000  # needs new pages
    with pytest.raises(StorageError) as info:
        store.save(plan)
    assert info.value.key == "storage.full"
    assert store.get(plan.id).meta.name == "before"  # rolled back, the database is fine
    store._db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same save works
    assert store.save(plan).meta.name == plan.meta.name


def test_read_only_database_is_reported_as_read_only(tmp_path: Path) -> None:
    # Tests run as root, which chmod does not stop; query_only makes SQLite itself refuse writes.
    store = PlanStore(tmp_path / "plans.sqlite3")
    store.save(named("before"))
    store._db.execute("PRAGMA query_only = ON")
    with pytest.raises(StorageError) as info:
        store.save(named("after"))
    assert info.value.key == "storage.readonly"
    assert [s.name for s in store.list()] == ["before"]  # reading still works


def test_folder_that_cannot_be_created_is_reported_as_cannot_open(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError) as info:
        PlanStore(blocker / "sub" / "plans.sqlite3")
    assert info.value.key == "storage.cannot_open"


def test_path_that_is_a_folder_is_reported_as_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        PlanStore(tmp_path)
    assert info.value.key == "storage.cannot_open"


def test_corrupt_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as info:
        PlanStore(path)
    assert info.value.key == "storage.corrupt"


def test_damaged_pages_are_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    store = PlanStore(path)
    for i in range(5):
        store.save(named(f"p{i}"))
    store.close()  # the last connection: the write-ahead log is folded into the file
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # a valid header, garbage after it
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError) as info:
        PlanStore(path).list()
    assert info.value.key == "storage.corrupt"


def test_a_plan_the_app_cannot_read_is_not_called_a_damaged_database(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    store = PlanStore(path)
    plan = store.save(named("from a newer version"))
    with sqlite3.connect(path) as other:
        other.execute("UPDATE plans SET body = json_set(body, '$.schema_version', 999) WHERE id = ?", (plan.id,))
    with pytest.raises(StorageError) as info:
        store.get(plan.id)
    assert info.value.key == "storage.unreadable_plan"
