"""A workshop in real browsers (issue 16): a trainer creates it, three participants join with the
code in their own browser contexts and edit their own plans, the trainer's dashboard shows their
progress by itself; a participant who puts another plan's id in the address finds nothing, and a
reload keeps who they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.store import open_store
from planner.store.workshops import WorkshopStore
from tests.e2e.conftest import _free_port, require_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

WHY = "WHY 为什么建群"
PEOPLE = ("小林", "阿美", "Tom O'Neil, 上海")


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(20_000)
    return context


def test_a_room_of_three(browser, tmp_path: Path) -> None:
    require_chromium()
    db, port = tmp_path / "plans.sqlite3", _free_port()
    contexts = []
    try:
        with streamlit_server(db, port) as url:
            trainer_ctx = _context(browser)
            contexts.append(trainer_ctx)
            trainer = trainer_ctx.new_page()
            trainer.goto(f"{url}/workshop")
            wait_idle(trainer)
            trainer.get_by_label("工作坊名称").fill("周六社群运营工作坊")
            trainer.get_by_role("button", name="创建工作坊").click()
            wait_idle(trainer)
            expect(trainer.get_by_text("讲师密钥（只显示这一次")).to_be_visible()
            code = re.search(r"room=([A-Z0-9]+)", trainer.url).group(1)
            expect(trainer.get_by_role("img")).to_have_count(1)  # the QR code to project
            [workshop] = WorkshopStore(open_store(str(db))).workshops()
            assert workshop.code == code

            pages = []
            for n, name in enumerate(PEOPLE):
                ctx = _context(browser)
                contexts.append(ctx)
                page = ctx.new_page()
                page.goto(f"{url}/?workshop={code}")
                wait_idle(page)
                page.get_by_label("你的名字").fill(name)
                page.get_by_role("button", name="加入").click()
                wait_idle(page)
                page.wait_for_url(re.compile(r"resume="))  # the address itself brings them back
                page.goto(f"{url}/positioning?resume={page.url.split('resume=')[1].split('&')[0]}")
                wait_idle(page)
                page.get_by_role("textbox", name=WHY).fill(f"{name} 的社群：第 {n + 1} 个")
                page.get_by_role("heading").first.click()
                wait_idle(page)
                pages.append(page)

            people = WorkshopStore(open_store(str(db))).participants(code)
            assert sorted(p.name for p in people) == sorted(PEOPLE)
            plans = {p.name: open_store(str(db)).get(p.plan_id) for p in people}
            assert plans["阿美"].positioning.why == "阿美 的社群：第 2 个"

            # the dashboard lists all three by itself (it refreshes every few seconds)
            for name in PEOPLE:  # a data grid draws on a canvas: its cells are in the page, not "visible"
                expect(trainer.locator("[role=gridcell]", has_text=name).first).to_be_attached(timeout=15_000)

            # another participant's plan id in the address: nothing of theirs shows
            first = pages[0]
            resume = first.url.split("resume=")[1].split("&")[0]
            first.goto(f"{url}/positioning?resume={resume}&plan={plans['阿美'].id}")
            wait_idle(first)
            expect(first.get_by_role("textbox", name=WHY)).to_have_value("小林 的社群：第 1 个")
            expect(first.get_by_text("阿美 的社群")).to_have_count(0)

            # a reload keeps who they are
            first.reload()
            wait_idle(first)
            expect(first.get_by_role("textbox", name=WHY)).to_have_value("小林 的社群：第 1 个")
    finally:
        for ctx in contexts:
            ctx.close()
