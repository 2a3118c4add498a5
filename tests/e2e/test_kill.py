"""In a real browser: the server process is killed (kill -9, no chance to clean up) between edits.
Every edit the page had acknowledged ("已自动保存") is there after a restart."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models import Plan
from planner.store import PlanStore
from tests.e2e.conftest import SERVERS, _free_port, require_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

WHY, WHAT = "WHY 为什么建群", "WHAT 成员能得到什么"


def _type(tab, label: str, text: str) -> None:
    tab.get_by_role("textbox", name=label).fill(text)
    tab.get_by_role("heading").first.click()  # leaving the box sends its text
    wait_idle(tab)
    expect(tab.get_by_test_id("stSidebar").get_by_text("已自动保存")).to_be_visible()  # acknowledged


def test_acknowledged_edits_survive_kill_9(browser, tmp_path: Path) -> None:
    require_chromium()
    db, port = tmp_path / "plans.sqlite3", _free_port()
    plan = Plan()
    plan.meta.name = "被强行关掉的服务器"
    plan = PlanStore(db).save(plan)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        with streamlit_server(db, port) as url:
            page.goto(f"{url}/positioning?plan={plan.id}")
            wait_idle(page)
            _type(page, WHY, "第一条：杀进程之前")
            _type(page, WHAT, "第二条：紧接着就杀")
            os.kill(SERVERS[url].pid, signal.SIGKILL)
            SERVERS[url].wait(timeout=10)
        stored = PlanStore(db).get(plan.id)
        assert (stored.positioning.why, stored.positioning.what) == ("第一条：杀进程之前", "第二条：紧接着就杀")
        with streamlit_server(db, port) as url:
            page.goto(f"{url}/positioning?plan={plan.id}")
            wait_idle(page)
            expect(page.get_by_role("textbox", name=WHY)).to_have_value("第一条：杀进程之前")
            expect(page.get_by_role("textbox", name=WHAT)).to_have_value("第二条：紧接着就杀")
    finally:
        context.close()
