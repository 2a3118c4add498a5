"""In a real browser: the data page before and after a WeChat export is chosen. Before, the elements the
loaded page will need are drawn out of sight (so their code is loaded); after, the first tab's one chart
is drawn, nothing is left a grey placeholder, and the other time charts are on their own tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.data.chat_formats.fixtures import liuhen_v1_big
from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e

CHARTS = "[data-testid='stVegaLiteChart']"


def _drawn_charts(page) -> int:
    """Charts that have drawn their marks once the run is over and no element waits for its code."""
    page.wait_for_function(f"""() => !document.querySelector("[data-testid='stSkeleton']")
        && [...document.querySelectorAll("{CHARTS}")].every(c => c.querySelector("canvas, svg.marks"))""")
    return page.locator(CHARTS).count()


def test_upload_draws_the_first_tab_whole_and_the_preload_stays_out_of_sight(page, app_url: str,
                                                                              tmp_path: Path) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("tab", name="从示例开始").click()
    page.locator(".st-key-home-example-use-early_rise_camp button").click()
    wait_idle(page)
    page.goto(f"{app_url}/data")
    wait_idle(page)
    preload = page.locator(".st-key-preload")
    assert _drawn_charts(page) == 1  # the preload's chart is really drawn …
    assert preload.is_hidden()  # … but out of sight, and takes no room on the page
    box = preload.bounding_box()
    assert box is not None and box["height"] <= 1

    export = tmp_path / "群聊_读书会.csv"
    export.write_bytes(liuhen_v1_big(500, n_members=60, days=30))
    page.locator("input[type='file']").first.set_input_files(str(export))
    wait_idle(page)
    assert _drawn_charts(page) == 1
    assert preload.count() == 0
    assert page.locator("[data-testid='stMetric']").count() >= 4  # the headline tiles, drawn
    page.get_by_role("tab", name="活跃与打卡").click()
    wait_idle(page)
    assert _drawn_charts(page) == 3
