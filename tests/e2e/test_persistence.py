"""In a real browser: start a plan from an example, reload the page, the plan is still there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.plan.examples import example_slugs, load_example
from tests.e2e.conftest import start_from_example, wait_idle

pytestmark = pytest.mark.e2e


def test_plan_from_example_survives_a_reload(page, app_url: str) -> None:
    slugs = example_slugs()
    assert slugs, "the example plans are missing"
    name = load_example(slugs[0]).meta.name

    start_from_example(page, app_url, slugs[0])
    switcher = page.get_by_role("combobox", name="当前方案")  # the sidebar's plan switcher
    expect(switcher).to_have_value(name)

    page.reload()
    wait_idle(page)
    expect(switcher).to_have_value(name)  # the plan that was open before the reload
    page.goto(f"{app_url}/plans")
    wait_idle(page)
    page.get_by_text(name).first.wait_for()


def test_blank_plan_edit_survives_a_reload(page, app_url: str) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_label("方案名称").fill("浏览器里新建的群")
    page.get_by_role("button", name="新建并进入快速通道").click()
    wait_idle(page)
    page.locator("[data-testid='stSidebar']").get_by_text("已自动保存").wait_for()
    page.goto(f"{app_url}/plans")
    wait_idle(page)
    page.get_by_text("浏览器里新建的群").first.wait_for()
    page.reload()
    wait_idle(page)
    page.get_by_text("浏览器里新建的群").first.wait_for()
