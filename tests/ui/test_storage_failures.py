"""A database that is locked, full or damaged: a message that says what happened, the app keeps
running, nothing typed is lost, and what the database refused is saved once it can be."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import Plan
from pages.ui import state
from planner.store import PlanStore
from tests.ui.helpers import APP, app_on
from tests.ui.planning_helpers import bound, fresh, reload, stored_plan

PAGE = "pages/positioning.py"
WHY = "positioning.why"


def _sidebar_texts(at) -> list[str]:
    return [el.value for el in [*at.sidebar.error, *at.sidebar.warning, *at.sidebar.caption]]


@contextmanager
def _exclusive_lock(db: Path) -> Iterator[None]:
    """Another program holding the database's write lock."""
    blocker = sqlite3.connect(db)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


def _count_saves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the app's save attempts (compare-and-swap saves, which is what a session makes)."""
    attempts: list[str] = []
    save_if = PlanStore.save_if

    def counted(self: PlanStore, plan: Plan, expected_version: int, author: str = "") -> tuple[Plan, int]:
        attempts.append(plan.id)
        return save_if(self, plan, expected_version, author)

    monkeypatch.setattr(PlanStore, "save_if", counted)
    return attempts


def _gap_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    # A run asks a database that refused again only RETRY_GAP_S later; these tests rerun at once.
    monkeypatch.setattr(state, "RETRY_GAP_S", 0.0)


def test_locked_database_keeps_the_edit_and_saves_it_on_the_next_run(isolated_db, monkeypatch) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    attempts = _count_saves(monkeypatch)
    with _exclusive_lock(isolated_db):
        bound(at.text_area, "positioning", WHY).input("锁定期间写的")
        at.run()
        assert not at.exception
        assert at.session_state["save_status"] == ("unsaved", "storage.locked")
        assert at.session_state["plan"].positioning.why == "锁定期间写的"  # kept in the session
        assert reload(isolated_db, plan.id).positioning.why == ""
        assert len(attempts) == 1  # the run waited for the lock once, not at every widget
    _gap_passed(monkeypatch)
    at.run()  # the next run after the lock is gone: no new edit needed
    assert not at.exception
    assert reload(isolated_db, plan.id).positioning.why == "锁定期间写的"
    assert at.session_state["save_status"][0] == "retried"
    assert at.session_state["unsaved"] == {}


def test_plan_created_during_a_lock_is_saved_after_it(isolated_db, monkeypatch) -> None:
    store = PlanStore(isolated_db)
    plan = Plan()
    plan.meta.name = "锁定前"
    store.save(plan)
    at = app_on()
    with _exclusive_lock(isolated_db):
        at.text_input(key="home.blank.name").input("锁定时新建")
        at.button(key="FormSubmitter:home.blank.form-新建并进入快速通道").click().run()
        assert not at.exception
        assert at.session_state["save_status"] == ("unsaved", "storage.locked")
        assert at.session_state["plan"].meta.name == "锁定时新建"  # kept in the session
        assert [p.name for p in PlanStore(isolated_db).list()] == ["锁定前"]  # nothing damaged
    _gap_passed(monkeypatch)
    at.run()
    assert sorted(p.name for p in PlanStore(isolated_db).list()) == ["锁定前", "锁定时新建"]


def test_full_disk_is_not_called_damaged_and_is_saved_once_there_is_space(isolated_db, monkeypatch) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    app_store = state._open_store(str(isolated_db))[0]  # the app's own connection (cached per path)
    pages = app_store._db.execute("PRAGMA page_count").fetchone()[0]
    app_store._db.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL on any growth
    text = "很长的回答" * 20_000
    bound(at.text_area, "positioning", WHY).input(text)
    at.run()
    assert not at.exception
    assert at.session_state["save_status"] == ("unsaved", "storage.full")
    app_store._db.execute("PRAGMA max_page_count = 1073741823")  # the user frees some space
    _gap_passed(monkeypatch)
    at.run()
    assert reload(isolated_db, plan.id).positioning.why == text
    assert at.session_state["save_status"][0] == "retried"


def test_link_to_a_deleted_plan_is_not_a_save_failure(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["plan"] = "no-such-plan"  # a bookmark to a plan deleted since
    at.run()
    assert not at.exception
    assert at.session_state["plan"].id == plan.id  # falls back to the stored plan
    assert not at.sidebar.error and not at.sidebar.warning


def test_damaged_database_falls_back_to_memory_and_keeps_saying_so(tmp_path, monkeypatch) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 50)
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", str(broken))
    at = app_on()
    assert not at.exception
    warning = " ".join(at.sidebar.warning.values)
    assert "无法打开本地数据库" in warning and "已损坏" in warning  # first run shows the sidebar
    at.text_input(key="home.blank.name").input("临时方案")
    at.button(key="FormSubmitter:home.blank.form-新建并进入快速通道").click().run()
    assert not at.exception
    assert at.session_state["plan"].meta.name == "临时方案"
    # Kept in memory only: the sidebar keeps saying so, it must not claim "saved".
    assert at.session_state["save_status"] == ("memory", "storage.corrupt")
    assert app_on().session_state["plan"].meta.name == "临时方案"  # a refresh keeps it (same app process)
    assert broken.read_bytes().startswith(b"not a database")  # the file is left alone


def test_folder_that_cannot_be_made_is_not_called_damaged(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", str(blocker / "sub" / "plans.sqlite3"))
    at = app_on()
    assert not at.exception
    warning = " ".join(at.sidebar.warning.values)
    assert "打不开数据库文件" in warning and "损坏" not in warning and "只能读" not in warning


def _status_view(status: tuple[str, object], lang: str) -> None:
    """The sidebar's save status alone, for one `save_status` value (AppTest draws the sidebar
    on an app's first run only, before any save could fail)."""
    import time

    import streamlit as st

    from models import Plan
    from pages.ui import sidebar

    st.session_state["save_status"] = status
    st.session_state["lang"] = lang
    if status[0] == "unsaved":  # an edit waiting, refused a moment ago: shown by the retrying fragment
        plan = Plan()
        st.session_state["unsaved"] = {plan.id: plan}
        st.session_state["unsaved_refused_at"] = time.monotonic()
    sidebar._save_status()


@pytest.mark.parametrize(
    ("status", "zh", "en", "absent"),
    [
        (("unsaved", "storage.locked"), "数据库被占用，正在重试", "retrying", "损坏"),
        (("unsaved", "storage.full"), "磁盘空间已满", "disk is full", "损坏"),
        (("unsaved", "storage.readonly"), "写入权限", "write permission", "损坏"),
        (("unsaved", "storage.cannot_open"), "读写权限", "permission", "损坏"),
        (("unsaved", "storage.corrupt"), "已损坏", "damaged", "磁盘空间"),
        (("retried", datetime(2027, 3, 1, 9, 30, 5)), "重试后已于 09:30:05 保存", "at 09:30:05 after retry", "失败"),
        (("memory", "storage.full"), "磁盘空间已满", "lost when the app stops", "损坏"),
    ],
)
def test_each_storage_status_says_what_happened(status, zh: str, en: str, absent: str) -> None:
    for lang, expected in (("zh", zh), ("en", en)):
        at = AppTest.from_function(_status_view, args=(status, lang)).run()
        assert not at.exception
        shown = " ".join(el.value for el in [*at.error, *at.warning, *at.caption])
        assert expected in shown, (lang, shown)
        assert absent not in shown
