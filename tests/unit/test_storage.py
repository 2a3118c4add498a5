"""The SQLite plan store: CRUD, revisions, settings, and failures that damage nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models import Plan
from planner.storage import MAX_REVISIONS, PlanStore, StorageError, _classify


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
        ("unable to open database file", "storage.readonly"),
        ("database is locked", "storage.locked"),
        ("file is not a database", "storage.corrupt"),
    ],
)
def test_sqlite_errors_are_classified(message: str, key: str) -> None:
    # Root (CI) can write read-only files, so the read-only case is checked at the classifier.
    assert _classify(sqlite3.OperationalError(message)).key == key


def test_unopenable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError) as info:
        PlanStore(blocker / "sub" / "plans.sqlite3")
    assert info.value.key == "storage.readonly"


def test_corrupt_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as info:
        PlanStore(path)
    assert info.value.key == "storage.corrupt"
