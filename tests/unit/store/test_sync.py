"""Sessions that save the same plan never overwrite each other (planner.store.sync), on SQLite and
PostgreSQL alike: the two-tab scenario of issue 14 without a browser."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import Plan
from models.plan import Role
from planner.store import PlanStore, StorageError, open_store
from planner.store.sync import CONFLICT_NOTE, Seen, newer, save_merging


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "sync.sqlite3")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def store(url: str) -> Iterator[PlanStore]:
    opened = open_store(url)
    yield opened
    opened.close()


def _stored(store: PlanStore) -> Seen:
    plan = Plan()
    plan.meta.name = "读书会"
    out = save_merging(store, plan, None, "session:0000")
    assert out.version == 1 and not out.merged
    return Seen(out.plan, out.version)


def _edited(seen: Seen, **changes: str) -> Plan:
    plan = seen.plan.model_copy(deep=True)
    for path, value in changes.items():
        section, name = path.split("__")
        setattr(getattr(plan.elements if section in ("interest", "structure") else plan, section), name, value)
    return plan


def test_two_tabs_editing_different_fields_keep_both(store: PlanStore) -> None:
    seen = _stored(store)
    tab_a = save_merging(store, _edited(seen, interest__slogan="每天早起一小时"), seen, "session:aaaa")
    # tab B still works from the version both tabs opened
    tab_b = save_merging(store, _edited(seen, meta__slogan="一起读完一本书"), seen, "session:bbbb")
    assert tab_a.version == 2 and tab_b.version == 3
    assert tab_b.merged and not tab_b.conflicts
    stored = store.get(seen.plan.id)
    assert stored.elements.interest.slogan == "每天早起一小时"
    assert stored.meta.slogan == "一起读完一本书"
    assert tab_b.plan == stored


def test_same_field_first_writer_wins_and_the_loser_is_kept_in_history(store: PlanStore) -> None:
    seen = _stored(store)
    save_merging(store, _edited(seen, interest__slogan="甲的口号"), seen, "session:aaaa")
    lost = save_merging(store, _edited(seen, interest__slogan="乙的口号", meta__slogan="乙的副标题"), seen,
                        "session:bbbb")
    assert [c.path for c in lost.conflicts] == ["elements.interest.slogan"]
    assert (lost.conflicts[0].mine, lost.conflicts[0].theirs) == ("乙的口号", "甲的口号")
    stored = store.get(seen.plan.id)
    assert stored.elements.interest.slogan == "甲的口号" and stored.meta.slogan == "乙的副标题"
    kept = [r for r in store.revisions(seen.plan.id) if r.note == CONFLICT_NOTE]
    assert [r.author for r in kept] == ["session:bbbb"]
    assert store.get_revision(kept[0].id).elements.interest.slogan == "乙的口号"


def test_list_items_merge_by_id(store: PlanStore) -> None:
    seen = _stored(store)
    a = _edited(seen)
    a.roles.append(Role(name="群主"))
    b = _edited(seen)
    b.roles.append(Role(name="打卡官"))
    save_merging(store, a, seen, "session:aaaa")
    save_merging(store, b, seen, "session:bbbb")
    assert [r.name for r in store.get(seen.plan.id).roles] == ["群主", "打卡官"]


def test_a_plan_deleted_elsewhere_is_stored_again(store: PlanStore) -> None:
    seen = _stored(store)
    store.delete(seen.plan.id)
    out = save_merging(store, _edited(seen, meta__slogan="还在"), seen, "session:aaaa")
    assert out.version == 1 and store.get(seen.plan.id).meta.slogan == "还在"


def test_newer_sees_another_sessions_save(store: PlanStore) -> None:
    seen = _stored(store)
    assert newer(store, seen) is None
    save_merging(store, _edited(seen, meta__slogan="新的"), seen, "session:aaaa")
    fresh = newer(store, seen)
    assert fresh is not None and fresh.version == 2 and fresh.plan.meta.slogan == "新的"
    store.delete(seen.plan.id)
    assert newer(store, fresh) is None


def test_many_sessions_lose_no_edit(url: str) -> None:
    """Eight sessions (threads, each with its own connection) add roles to one plan from a version
    they read once and then keep saving on, as fast as they can; a save the database refuses is
    tried again, as the app does: every role is there at the end."""
    first = open_store(url)
    seen = _stored(first)
    errors: list[BaseException] = []

    def session(n: int) -> None:
        own = open_store(url)
        try:
            mine = Seen(seen.plan, seen.version)
            for i in range(5):
                plan = mine.plan.model_copy(deep=True)
                plan.roles.append(Role(name=f"角色 {n}-{i}"))
                for _ in range(50):
                    try:
                        out = save_merging(own, plan, mine, f"session:{n:04d}")
                        break
                    except StorageError:
                        time.sleep(0.01)
                mine = Seen(out.plan, out.version)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    names = {r.name for r in first.get(seen.plan.id).roles}
    assert names == {f"角色 {n}-{i}" for n in range(8) for i in range(5)}
    first.close()
