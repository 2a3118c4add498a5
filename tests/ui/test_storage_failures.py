"""A database that is locked or damaged: a clear message, the app keeps running, nothing is lost."""

from __future__ import annotations

import sqlite3

from models import Plan
from planner.storage import PlanStore
from tests.ui.helpers import app_on


def _sidebar_texts(at) -> list[str]:
    return [el.value for el in [*at.sidebar.error, *at.sidebar.warning, *at.sidebar.caption]]


def test_locked_database_keeps_the_edit_in_the_session_and_says_so(isolated_db) -> None:
    store = PlanStore(isolated_db)
    plan = Plan()
    plan.meta.name = "锁定前"
    store.save(plan)
    at = app_on()

    blocker = sqlite3.connect(isolated_db)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        at.text_input(key="home.blank.name").input("锁定时新建")
        at.button(key="FormSubmitter:home.blank.form-新建并进入快速通道").click().run()
        assert not at.exception
        assert at.session_state["save_status"] == ("error", "storage.locked")
        assert at.session_state["plan"].meta.name == "锁定时新建"  # kept in the session
    finally:
        blocker.rollback()
        blocker.close()
    assert [p.name for p in PlanStore(isolated_db).list()] == ["锁定前"]  # nothing damaged


def test_damaged_database_falls_back_to_memory_with_a_warning(tmp_path, monkeypatch) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 50)
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", str(broken))
    at = app_on()
    assert not at.exception
    assert any("无法打开本地数据库" in text for text in _sidebar_texts(at))  # first run shows the sidebar
    at.text_input(key="home.blank.name").input("临时方案")
    at.button(key="FormSubmitter:home.blank.form-新建并进入快速通道").click().run()
    assert not at.exception
    assert at.session_state["plan"].meta.name == "临时方案"
    assert broken.read_bytes().startswith(b"not a database")  # the file is left alone
