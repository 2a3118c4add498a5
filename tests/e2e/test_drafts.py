"""In a real browser: text typed into a box is kept as a draft until the box sends it, so a reload
mid-sentence loses nothing. The box says "未保存" while typing; after a reload the page offers the
draft back, and restoring it saves it into the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from models.plan import Plan
from planner.store import PlanStore
from tests.e2e.conftest import require_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

WHY = "WHY 为什么建群"


@pytest.fixture
def drafts_app(tmp_path: Path):
    require_chromium()
    db = tmp_path / "plans.sqlite3"
    plan = Plan()
    plan.meta.name = "草稿测试"
    saved = PlanStore(db).save(plan)
    with streamlit_server(db) as url:
        yield url, db, saved.id


@pytest.fixture
def drafts_page(page, drafts_app):
    """A tab of the session's browser (the shared `page` fixture: a second Playwright in the same thread
    fails) on the drafts app's positioning page."""
    url, db, plan_id = drafts_app
    page.goto(f"{url}/positioning?plan={plan_id}")
    wait_idle(page)
    return page, db, plan_id


def _why(page):
    return page.get_by_role("textbox", name=WHY)


def _stored_why(db: Path, plan_id: str) -> str:
    plan = PlanStore(db).get(plan_id)
    assert plan is not None
    return plan.positioning.why


def test_a_reload_mid_sentence_offers_the_draft_back_and_restoring_saves_it(drafts_page) -> None:
    page, db, plan_id = drafts_page

    box = _why(page)
    box.click()
    page.keyboard.type("因为附近的年轻妈妈找不到")  # no blur: Streamlit has not been sent it
    container = page.locator("[data-cop-unsaved]")
    expect(container).to_have_count(1)
    expect(container).to_have_attribute("data-cop-unsaved", "未保存 · 离开输入框即保存")
    assert _stored_why(db, plan_id) == ""

    page.reload()
    wait_idle(page)
    expect(_why(page)).to_have_value("")  # the app never had it
    notice = page.get_by_role("status").filter(has_text="没来得及保存的草稿")
    expect(notice).to_contain_text("因为附近的年轻妈妈找不到")
    expect(notice).to_contain_text(WHY)
    notice.get_by_role("button", name="恢复草稿").click()
    wait_idle(page)
    expect(_why(page)).to_have_value("因为附近的年轻妈妈找不到")
    page.wait_for_function("() => !document.querySelector('.cop-drafts')")
    for _ in range(50):  # the save follows the rerun the restored box sent
        if _stored_why(db, plan_id) == "因为附近的年轻妈妈找不到":
            break
        page.wait_for_timeout(200)
    assert _stored_why(db, plan_id) == "因为附近的年轻妈妈找不到"

    # Saved: another reload offers nothing, and the box shows the plan's text.
    page.reload()
    wait_idle(page)
    expect(_why(page)).to_have_value("因为附近的年轻妈妈找不到")
    page.wait_for_timeout(800)  # the keeper scans the page after it is drawn
    expect(page.locator(".cop-drafts")).to_have_count(0)
    expect(page.locator("[data-cop-unsaved]")).to_have_count(0)


def test_leaving_the_box_saves_it_and_drops_the_draft(drafts_page) -> None:
    page, db, plan_id = drafts_page
    _why(page).click()
    page.keyboard.type("下班后没有可以一起学习的人")
    expect(page.locator("[data-cop-unsaved]")).to_have_count(1)
    page.get_by_role("heading", name="5W+1H").first.click()  # leave the box
    wait_idle(page)
    expect(page.locator("[data-cop-unsaved]")).to_have_count(0)
    assert _stored_why(db, plan_id) == "下班后没有可以一起学习的人"
    page.wait_for_timeout(800)
    drafts = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('cop-draft:'))")
    assert drafts == []
    page.reload()
    wait_idle(page)
    page.wait_for_timeout(800)
    expect(page.locator(".cop-drafts")).to_have_count(0)
