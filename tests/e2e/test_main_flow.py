"""In a real browser, the main flow end to end: an example plan → its SOP schedule → the export
page builds a Markdown document and the downloaded file holds the plan."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from planner.plan.examples import load_example
from planner.plan_core.json_io import plan_from_json
from tests.e2e.conftest import start_from_example, wait_idle

pytestmark = pytest.mark.e2e


def test_example_to_sop_to_downloaded_document(page, app_url: str, tmp_path: Path) -> None:
    example = load_example("early_rise_camp")
    start_from_example(page, app_url, "early_rise_camp")
    page.get_by_text("方案体检").first.wait_for()

    page.goto(f"{app_url}/sop")
    wait_idle(page)
    page.get_by_role("tab", name="甘特图与工作量").click()
    # Tables are drawn on a canvas; the Gantt chart is a Vega-Lite element we can see.
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()

    page.goto(f"{app_url}/export")
    wait_idle(page)
    page.get_by_text("Markdown", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="生成文件").click()
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载").first.click()
    # The example has charts (stage timeline, Gantt): Markdown comes as a ZIP with them beside it.
    assert download_info.value.suggested_filename.endswith(".zip")
    saved = tmp_path / "plan.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        text = archive.read("document.md").decode("utf-8")
        assert any(name.startswith("charts/") and name.endswith(".png") for name in archive.namelist())
    assert text.startswith(f"# {example.meta.name}")
    assert example.lifecycle.goals[0].statement in text


def test_plans_page_downloads_the_open_plan_as_json(page, app_url: str, tmp_path: Path) -> None:
    """The JSON is written when the button is pressed (not on every run of the page): it is the plan open now."""
    example = load_example("paid_reading_club")
    start_from_example(page, app_url, "paid_reading_club")
    page.goto(f"{app_url}/plans")
    wait_idle(page)
    with page.expect_download() as download_info:
        page.locator(".st-key-plans-download button").click()
    saved = tmp_path / "plan.json"
    download_info.value.save_as(saved)
    plan, problems = plan_from_json(saved.read_text(encoding="utf-8"))
    assert plan is not None and not problems
    assert plan.meta.name == example.meta.name
    assert [g.statement for g in plan.lifecycle.goals] == [g.statement for g in example.lifecycle.goals]
