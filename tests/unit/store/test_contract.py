"""The same behaviour from both stores: versions, compare-and-swap, revisions with authors,
settings. Each test runs against SQLite (a file) and PostgreSQL (a fresh database of the
throwaway server in tests/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models import Plan
from planner.store import MAX_REVISIONS, PlanStore, StaleVersion, StorageError, open_store


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "contract.sqlite3")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def opened(url: str) -> Iterator[Callable[[], PlanStore]]:
    """Opens another store on the same database (another process or server, as far as the
    database can tell); every one is closed at the end."""
    stores: list[PlanStore] = []

    def open_one() -> PlanStore:
        stores.append(open_store(url))
        return stores[-1]

    yield open_one
    for one in stores:
        one.close()


@pytest.fixture
def store(opened: Callable[[], PlanStore]) -> PlanStore:
    return opened()


def named(name: str) -> Plan:
    plan = Plan()
    plan.meta.name = name
    return plan


def test_versions_count_changes_only(store: PlanStore) -> None:
    plan = store.save(named("早起营 🌅"), author="会话 3f2a")
    assert store.version(plan.id) == 1
    assert store.get_versioned(plan.id) == (plan, 1)
    again = store.save(plan)  # the same plan again: nothing written, no new version
    assert store.version(plan.id) == 1 and again == plan
    plan.meta.name = "早起营 2"
    store.save(plan, author="会话 77aa")
    assert store.version(plan.id) == 2
    [summary] = store.list()
    assert (summary.name, summary.version, summary.updated_by) == ("早起营 2", 2, "会话 77aa")


def test_missing_plan(store: PlanStore) -> None:
    for read in (store.get, store.version, store.get_versioned):
        with pytest.raises(StorageError) as info:
            read("nope")
        assert info.value.key == "storage.not_found"
    assert not store.exists("nope")


def test_save_if_new_and_then_in_sequence(store: PlanStore) -> None:
    plan, version = store.save_if(named("a"), 0, author="x")
    assert version == 1 and store.get(plan.id) == plan
    plan.meta.name = "b"
    plan, version = store.save_if(plan, 1, author="y")
    assert version == 2 and store.get(plan.id).meta.name == "b"
    assert store.save_if(plan, 2) == (store.get(plan.id), 2)  # unchanged: same version


def test_stale_save_raises_and_writes_nothing(store: PlanStore) -> None:
    mine = store.save(named("v1"))
    theirs = mine.model_copy(deep=True)
    theirs.meta.name = "theirs"
    theirs, _ = store.save_if(theirs, 1, author="them")
    revisions = store.revisions(mine.id)
    mine.meta.name = "mine"
    with pytest.raises(StaleVersion) as info:
        store.save_if(mine, 1, author="me")
    assert info.value.key == "storage.stale" and isinstance(info.value, StorageError)
    assert info.value.version == 2 and info.value.plan == theirs
    assert store.get_versioned(mine.id) == (theirs, 2)
    assert store.revisions(mine.id) == revisions


def test_expected_zero_means_must_not_exist(store: PlanStore) -> None:
    plan = store.save(named("already here"))
    with pytest.raises(StaleVersion) as info:
        store.save_if(named("other").model_copy(update={"id": plan.id}), 0)
    assert (info.value.plan, info.value.version) == (plan, 1)


def test_stale_after_delete_carries_no_plan(store: PlanStore) -> None:
    plan = store.save(named("gone"))
    store.delete(plan.id)
    with pytest.raises(StaleVersion) as info:
        store.save_if(plan, 1)
    assert (info.value.plan, info.value.version) == (None, 0)
    assert not store.exists(plan.id)


def test_concurrent_save_if_exactly_one_wins(opened: Callable[[], PlanStore]) -> None:
    first = opened()
    plan = first.save(named("start"))
    stores = [first, opened()]  # two connections, as two app processes would have
    for round_ in range(10):
        expected = first.version(plan.id)
        outcome = _race(stores, plan, expected, round_)
        winners = [o for o in outcome if isinstance(o, int)]
        losers = [o for o in outcome if isinstance(o, StaleVersion)]
        assert winners == [expected + 1] and len(losers) == 1, outcome
        assert losers[0].version == expected + 1 and first.version(plan.id) == expected + 1
        assert losers[0].plan == first.get(plan.id)


def _race(stores: list[PlanStore], plan: Plan, expected: int, round_: int) -> list[object]:
    """Each store's save_if of its own edit, started together: the new version or StaleVersion."""
    barrier = threading.Barrier(len(stores))
    outcome: list[object] = [None] * len(stores)

    def attempt(i: int) -> None:
        edit = plan.model_copy(deep=True)
        edit.meta.name = f"round {round_} by {i}"
        barrier.wait()
        try:
            outcome[i] = stores[i].save_if(edit, expected, author=f"s{i}")[1]
        except StaleVersion as exc:
            outcome[i] = exc

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_revisions_record_author_version_and_kept_aside_values(store: PlanStore) -> None:
    plan = store.save(named("v1"), author="会话 3f2a")
    plan.meta.name = "v2"
    plan = store.save(plan, author="ann@example.org")
    mine = plan.model_copy(deep=True)
    mine.meta.name = "mine, lost the merge"
    kept = store.save_revision_only(mine, author="会话 77aa", note="merge")
    assert (kept.version, kept.author, kept.note) == (None, "会话 77aa", "merge")
    assert store.get_versioned(plan.id) == (plan, 2)  # the stored plan is untouched
    revisions = store.revisions(plan.id)
    assert [(r.author, r.version) for r in revisions] == [
        ("会话 77aa", None),
        ("ann@example.org", 2),
        ("会话 3f2a", 1),
    ]
    assert revisions[0] == kept
    assert store.get_revision(kept.id).meta.name == "mine, lost the merge"
    restored = store.restore(plan.id, kept.id, author="会话 77aa")
    assert store.get_versioned(plan.id) == (restored, 3) and restored.meta.name == "mine, lost the merge"
    assert (store.revisions(plan.id)[0].author, store.revisions(plan.id)[0].version) == ("会话 77aa", 3)


def test_revision_only_needs_a_stored_plan(store: PlanStore) -> None:
    with pytest.raises(StorageError) as info:
        store.save_revision_only(named("never saved"), author="x")
    assert info.value.key == "storage.not_found"


def test_rename_and_duplicate_record_the_author(store: PlanStore) -> None:
    original = store.save(named("读书会"))
    copy = store.duplicate(original.id, "读书会（副本）", author="b")
    assert copy.id != original.id and store.version(copy.id) == 1
    store.rename(original.id, "读书会 2027", author="a")
    by_id = {s.id: s for s in store.list()}
    assert (by_id[original.id].name, by_id[original.id].version, by_id[original.id].updated_by) == (
        "读书会 2027",
        2,
        "a",
    )
    assert by_id[copy.id].updated_by == "b"
    store.delete(original.id)
    assert [s.id for s in store.list()] == [copy.id]
    assert store.revisions(original.id) == []


def test_rename_keeps_another_sessions_edit(opened: Callable[[], PlanStore]) -> None:
    a, b = opened(), opened()
    plan = a.save(named("old name"))
    edited = plan.model_copy(deep=True)
    edited.positioning.why = "另一个会话写的"
    b.save(edited)
    renamed = a.rename(plan.id, "new name")
    assert renamed.positioning.why == "另一个会话写的" and a.version(plan.id) == 3


def test_keeps_the_last_revisions_and_restores(store: PlanStore) -> None:
    plan = named("v0")
    for i in range(MAX_REVISIONS + 5):
        plan.meta.name = f"v{i}"
        plan = store.save(plan)
    store.save_revision_only(plan, note="aside")
    revisions = store.revisions(plan.id)
    assert len(revisions) == MAX_REVISIONS
    assert store.get_revision(revisions[-1].id).meta.name == "v6"
    restored = store.restore(plan.id, revisions[-1].id)
    assert restored.meta.name == "v6" and store.get(plan.id).meta.name == "v6"
    assert store.version(plan.id) == MAX_REVISIONS + 6


def test_restore_refuses_a_revision_of_another_plan(store: PlanStore) -> None:
    a, b = store.save(named("a")), store.save(named("b"))
    with pytest.raises(StorageError) as info:
        store.restore(a.id, store.revisions(b.id)[0].id)
    assert info.value.key == "storage.not_found"


def test_settings(store: PlanStore) -> None:
    assert store.get_setting("lang", "zh") == "zh"
    store.set_setting("lang", "en")
    store.set_setting("lang", "zh")
    assert store.get_setting("lang") == "zh"


def test_survives_reopening(opened: Callable[[], PlanStore]) -> None:
    plan = opened().save(named("重启后还在"), author="x")
    again = opened()
    assert again.get_versioned(plan.id) == (plan, 1)
    assert again.revisions(plan.id)[0].author == "x"
