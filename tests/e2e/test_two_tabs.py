"""Two browser tabs on one plan (issue 14): text typed in one tab and text typed in the other both
reach the database, the other tab shows them without a manual reload, and when both tabs change
the same field the second one is told which field kept the first one's text."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from models import Plan
from planner.store import PlanStore
from planner.store.config import WATCH_ENV_VAR
from planner.store.sync import CONFLICT_NOTE
from tests.e2e.conftest import streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

WHY, WHAT = "WHY 为什么建群", "WHAT 成员能得到什么"


def _plan(db) -> Plan:
    plan = Plan()
    plan.meta.name = f"两个标签页 {uuid.uuid4().hex[:6]}"
    return PlanStore(db).save(plan)


def _type(tab, label: str, text: str) -> None:
    box = tab.get_by_role("textbox", name=label)
    box.fill(text)
    tab.get_by_role("heading").first.click()  # leaving the box sends its text, as a person does
    wait_idle(tab)


def _open_both(page, app_url: str, plan: Plan):
    other = page.context.new_page()
    for tab in (page, other):
        tab.goto(f"{app_url}/positioning?plan={plan.id}")
        wait_idle(tab)
    return page, other


def test_both_tabs_texts_survive(page, app_url: str, e2e_db) -> None:
    plan = _plan(e2e_db)
    tab_a, tab_b = _open_both(page, app_url, plan)
    _type(tab_a, WHY, "A 标签页写的：为了一起早起")
    _type(tab_b, WHAT, "B 标签页写的：每天的打卡伙伴")  # B opened the plan before A's edit

    stored = PlanStore(e2e_db).get(plan.id)
    assert stored.positioning.why == "A 标签页写的：为了一起早起"
    assert stored.positioning.what == "B 标签页写的：每天的打卡伙伴"
    # A picks B's text up by itself within a few seconds (no reload) ...
    expect(tab_a.get_by_role("textbox", name=WHAT)).to_have_value("B 标签页写的：每天的打卡伙伴", timeout=15_000)
    # ... and a reload shows both
    tab_a.reload()
    wait_idle(tab_a)
    expect(tab_a.get_by_role("textbox", name=WHY)).to_have_value("A 标签页写的：为了一起早起")
    expect(tab_a.get_by_role("textbox", name=WHAT)).to_have_value("B 标签页写的：每天的打卡伙伴")


def test_the_same_field_names_the_conflict(page, tmp_path) -> None:
    # Both tabs change the field before either has seen the other's text. A page looks for other
    # saves every few seconds; this server does not look, so B surely types on the old version.
    db = tmp_path / "plans.sqlite3"
    plan = _plan(db)
    with streamlit_server(db, env={WATCH_ENV_VAR: "0"}) as url:
        tab_a, tab_b = _open_both(page, url, plan)
        _type(tab_a, WHY, "先写的")
        _type(tab_b, WHY, "后写的")
        _conflict_is_named(tab_b)
    assert PlanStore(db).get(plan.id).positioning.why == "先写的"
    kept = [r for r in PlanStore(db).revisions(plan.id) if r.note == CONFLICT_NOTE]
    assert PlanStore(db).get_revision(kept[0].id).positioning.why == "后写的"  # B's text is not lost


def _conflict_is_named(tab_b) -> None:
    sidebar = tab_b.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("有人先改了这些字段")).to_be_visible()
    expect(tab_b.get_by_role("textbox", name=WHY)).to_have_value("先写的")
