"""In a real browser: an edit made while another program locks the database is kept, the sidebar
says it is retrying, and once the lock is gone it is saved without the user doing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner.store import PlanStore
from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e


def test_edit_during_a_lock_is_saved_by_itself_after_it(page, app_url: str, e2e_db: Path) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_label("方案名称").fill("锁库时编辑的群")
    page.get_by_role("button", name="新建并进入快速通道").click()
    wait_idle(page)
    page.goto(f"{app_url}/positioning")
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")

    blocker = sqlite3.connect(e2e_db)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        why = page.get_by_role("textbox", name="WHY 为什么建群")
        why.fill("锁库期间写下的目的")
        why.press("Control+Enter")  # a text area commits on Ctrl+Enter (or on leaving it)
        wait_idle(page)
        sidebar.get_by_text("数据库被占用，正在重试").wait_for()
    finally:
        blocker.rollback()
        blocker.close()
    # No click, no key: the sidebar's timer retries within a few seconds.
    sidebar.get_by_text("重试后已于").wait_for(timeout=20_000)
    plans = PlanStore(e2e_db)
    mine = next(s for s in plans.list() if s.name == "锁库时编辑的群")
    assert plans.get(mine.id).positioning.why == "锁库期间写下的目的"
