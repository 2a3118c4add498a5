"""In a real browser: the presenter view fits a projector at 1280×720 and 1920×1080 (no sidebar, no
scrollbar, every slide's text above the control bar), arrow keys (and a remote's Page Up / Down)
change slides, a reload stays on the slide, and the exercise timer counts down by itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from planner.plan.examples import example_slugs
from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e

SLUG = "early_rise_camp" if "early_rise_camp" in example_slugs() else example_slugs()[0]
SIZES = [(1280, 720), (1920, 1080)]

# The lowest point of the slide's text, the control bar's top, and whether anything scrolls.
MEASURE = """() => {
  const bar = document.querySelector('.st-key-present-bar').getBoundingClientRect();
  const texts = [...document.querySelectorAll('.st-key-present-body p, .st-key-present-title p')];
  const controls = [...document.querySelectorAll('.st-key-present-bar button, .st-key-present-bar p')]
    .filter(e => e.getClientRects().length > 0);  // not the remote's hidden Page Up / Down buttons
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    textBottom: Math.max(...texts.map(p => p.getBoundingClientRect().bottom)),
    textRight: Math.max(...texts.map(p => p.getBoundingClientRect().right)),
    clipped: texts.filter(p => p.scrollWidth > p.clientWidth + 1).length,
    controlsOutside: controls.filter(e => {
      const r = e.getBoundingClientRect();
      return r.top < bar.top || r.bottom > innerHeight || r.right > innerWidth || r.left < 0;
    }).length,
    barTop: bar.top,
    scrollHeight: document.scrollingElement.scrollHeight,
    mainScroll: main.scrollHeight - main.clientHeight,
    innerHeight, innerWidth,
  };
}"""


def _counter(tab) -> tuple[int, int]:
    text = tab.locator(".st-key-present-counter p").inner_text()
    n, total = re.fullmatch(r"(\d+) / (\d+)", text.strip()).groups()
    return int(n), int(total)


def _press(tab, key: str, n: int, total: int) -> None:
    """Press `key` and wait until slide `n` is shown (under load a rerun can take a while to start)."""
    tab.keyboard.press(key)
    expect(tab.locator(".st-key-present-counter p")).to_have_text(f"{n} / {total}")
    wait_idle(tab)


def _fits(tab, where: str) -> None:
    m = tab.evaluate(MEASURE)
    assert m["scrollHeight"] <= m["innerHeight"], where  # no vertical scrollbar
    assert m["mainScroll"] <= 0, where
    assert m["textBottom"] <= m["barTop"], f"{where}: text runs under the control bar ({m})"
    assert m["textRight"] <= m["innerWidth"] and m["clipped"] == 0, where
    assert m["controlsOutside"] == 0, f"{where}: a control is off screen ({m})"


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presenter_view_fits_the_screen(browser, app_url: str, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/present?example={SLUG}&slide=1")
        wait_idle(tab)
        assert tab.locator("[data-testid='stSidebar']").is_hidden()
        assert tab.locator("[data-testid='stHeader']").is_hidden()
        n, total = _counter(tab)
        assert n == 1 and total >= 6
        tab.get_by_text(f"1 / {total}", exact=True).wait_for()
        assert tab.get_by_role("button", name="上一页").is_disabled()

        for slide in range(1, total + 1):  # every slide, moved to with the arrow key
            assert _counter(tab) == (slide, total)
            _fits(tab, f"{width}x{height} slide {slide}")
            if slide < total:
                _press(tab, "ArrowRight", slide + 1, total)
        assert tab.get_by_role("button", name="下一页").is_disabled()
        assert f"slide={total}" in tab.url

        _press(tab, "ArrowLeft", total - 1, total)
        tab.reload()  # the slide is in the address
        wait_idle(tab)
        assert _counter(tab) == (total - 1, total)
    finally:
        context.close()


def test_arrow_right_and_the_timer(page, app_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/trainer")
    wait_idle(page)
    page.get_by_role("tab", name="演示视图").click()
    page.get_by_label("展示哪份方案").click()
    page.get_by_role("option", name=re.compile(r"^示例：")).first.click()
    wait_idle(page)
    page.get_by_role("link", name="打开演示视图").click()
    wait_idle(page)
    assert "/present?" in page.url and "slide=1" in page.url
    n, total = _counter(page)
    assert n == 1
    _press(page, "ArrowRight", 2, total)
    assert "slide=2" in page.url

    page.get_by_role("button", name="5 分钟", exact=True).click()
    wait_idle(page)
    clock = page.locator(".st-key-present-clock p")
    first = clock.inner_text()
    assert re.search(r"0[45]:\d\d$", first), first
    page.wait_for_timeout(2_500)  # nobody touches the page: the timer's fragment reruns by itself
    later = clock.inner_text()
    seconds = [int(m) * 60 + int(s) for m, s in (re.search(r"(\d\d):(\d\d)$", t).groups() for t in (first, later))]
    assert 1 <= seconds[0] - seconds[1] <= 6, (first, later)
    _fits(page, "with the timer running")

    _press(page, "ArrowRight", 3, total)  # changing slides keeps the timer running
    expect(page.locator(".st-key-present-clock p")).not_to_have_text(later, timeout=5_000)
    page.get_by_role("button", name="停止").click()
    wait_idle(page)
    page.get_by_role("button", name="5 分钟", exact=True).wait_for()

    _press(page, "PageDown", 4, total)  # what a presentation remote sends
    _press(page, "PageUp", 3, total)
