"""In a real browser: the data page before and after a WeChat export is chosen. Before, the browser loads
the code of the charts and fields the loaded page will show, with nothing drawn for it; after, the first
tab's one chart and the headline tiles are drawn with no grey placeholder left, and the other time charts
are on their own tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from pages.ui import preload
from planner.data.chat_formats.fixtures import liuhen_v1_big
from tests.e2e.conftest import start_from_example, wait_idle

pytestmark = pytest.mark.e2e

CHARTS = "[data-testid='stVegaLiteChart']"


def _drawn_charts(page) -> int:
    """Charts that have drawn their marks once no element waits for its code any more."""
    page.wait_for_function(f"""() => !document.querySelector("[data-testid='stSkeleton']")
        && [...document.querySelectorAll("{CHARTS}")].every(c => c.querySelector("canvas, svg.marks"))""")
    return page.locator(CHARTS).count()


def test_upload_draws_the_first_tab_whole_with_the_code_loaded_ahead(page, app_url: str, tmp_path: Path) -> None:
    start_from_example(page, app_url, "early_rise_camp")
    page.goto(f"{app_url}/data")
    wait_idle(page)
    assert _drawn_charts(page) == 0
    # every module asked for is fetched once the browser is idle, and the request takes no room on the page
    files = list(preload.chunk_files(preload.DATA_PAGE))
    page.wait_for_function("""(files) => {
        const got = performance.getEntriesByType("resource").map(e => e.name.split("/").pop());
        return files.every(f => got.includes(f)); }""", arg=files)
    assert page.locator(".st-key-preload").is_hidden()

    export = tmp_path / "群聊_读书会.csv"
    export.write_bytes(liuhen_v1_big(500, n_members=60, days=30))
    page.locator("input[type='file']").first.set_input_files(str(export))
    wait_idle(page)
    assert _drawn_charts(page) == 1
    assert page.locator("[data-testid='stMetric']").count() >= 4  # the headline tiles, drawn
    page.get_by_role("tab", name="活跃与打卡").click()
    wait_idle(page)
    assert _drawn_charts(page) == 3
