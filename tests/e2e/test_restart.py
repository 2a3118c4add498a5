"""In a real browser: the server restarts while a tab is open on a step page; the tab's address is the
first request the new server sees, and it must still get the app's navigation, sidebar and plan
(Streamlit would otherwise run the page file alone, as a legacy `pages/` app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.plan.examples import example_slugs, load_example
from tests.e2e.conftest import _free_port, require_chromium, start_from_example, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e


def test_page_address_opened_first_after_a_restart_runs_through_the_app(browser, tmp_path: Path) -> None:
    require_chromium()
    slug = example_slugs()[0]
    name = load_example(slug).meta.name
    db, port = tmp_path / "plans.sqlite3", _free_port()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        with streamlit_server(db, port) as url:
            start_from_example(page, url, slug)
            page.goto(f"{url}/sop")
            wait_idle(page)
        with streamlit_server(db, port) as url:  # a restart: same address, same database
            page.goto(f"{url}/sop")
            wait_idle(page)
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_role("link", name="社群 SOP")).to_be_visible()  # our navigation, by title
            expect(sidebar.get_by_role("link", name="app", exact=True)).to_have_count(0)  # not file names
            expect(page.get_by_role("combobox", name="当前方案")).to_have_value(name)
            expect(page.get_by_role("heading", name="社群 SOP").first).to_be_visible()
    finally:
        context.close()
