"""A workshop under load (issue 16): N participants in real browser pages editing their plans for a
while, as the trainer's dashboard refreshes, on this machine.

    python benchmarks/workshop_load.py [--participants 30] [--seconds 120] [--pace 3 8]

Each participant is a page of one headless Debian chromium (its own browser context, so its own
Streamlit session), joins with the code, then edits a field every `pace` seconds. Measured: rerun
latency (a field left → the app idle again) for participants and for the dashboard (reloaded every
10 s, besides its own 3-second refresh), the server's memory, errors shown, and edits applied vs
found in the database afterwards (lost must be 0). The baseline, measured in the same run, is one
participant alone editing the same field: the ratio says what the room costs each of them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.plan.examples import example_slugs, load_example  # noqa: E402
from planner.store import open_store  # noqa: E402
from planner.store.workshops import WorkshopStore  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, SERVERS, streamlit_server  # noqa: E402

WHY = "WHY 为什么建群"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


async def _idle(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_selector(IDLE, timeout=60_000)


async def _join(browser, url: str, code: str, name: str):
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    await page.goto(f"{url}/?workshop={code}")
    await _idle(page)
    await page.get_by_label("你的名字").fill(name)
    await page.get_by_role("button", name="加入").click()
    await page.wait_for_url("**resume=**")
    resume = page.url.split("resume=")[1].split("&")[0]
    await page.goto(f"{url}/positioning?resume={resume}")
    await _idle(page)
    return context, page


async def _edit(page, text: str) -> float:
    box = page.get_by_role("textbox", name=WHY)
    await box.fill(text)
    began = time.perf_counter()
    await page.get_by_role("heading").first.click()  # leaving the box sends it: a rerun
    await _idle(page)
    return time.perf_counter() - began


async def _participant(joined, n, until, pace, out) -> None:
    context, page = joined
    rng = random.Random(n)
    i = 0
    try:
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*pace))
            i += 1
            try:
                out["lat"].append(await _edit(page, f"学员{n:02d} 第{i}次"))
                out["last"][f"学员{n:02d}"] = f"学员{n:02d} 第{i}次"
                out["applied"] += 1
            except Exception as exc:
                out["errors"].append(repr(exc)[:120])
        # a rerun the last edit started may not have begun within _idle's first look: let it finish
        await page.wait_for_timeout(3000)
        await _idle(page)
        if await page.locator("[data-testid='stException']").count():
            out["errors"].append(f"学员{n:02d}: an error was shown")
    finally:
        await context.close()


async def _dashboard(browser, url, code, key, until, out) -> None:
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(60_000)
    await page.goto(f"{url}/workshop")
    await _idle(page)
    await page.get_by_label("工作坊代码").last.fill(code)
    await page.get_by_label("讲师密钥").fill(key)
    await page.get_by_role("button", name="打开看板").click()
    await _idle(page)
    while time.monotonic() < until:
        await asyncio.sleep(10)
        began = time.perf_counter()
        await page.reload()
        await _idle(page)
        out["dash"].append(time.perf_counter() - began)
    await context.close()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _run(url: str, code: str, key: str, participants: int, seconds: float, pace) -> dict:
    from playwright.async_api import async_playwright

    out = {"lat": [], "dash": [], "errors": [], "applied": 0, "last": {}}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # baseline: one participant alone
        context, page = await _join(browser, url, code, "基线")
        base = [await _edit(page, f"基线 {i}") for i in range(8)]
        await context.close()
        # everyone joins first (a room fills before the exercise starts); then the clock runs
        joined = []  # a room fills over a minute or two, a few people at a time
        for first in range(0, participants, 5):
            joined += await asyncio.gather(*(_join(browser, url, code, f"学员{n:02d}")
                                             for n in range(first, min(first + 5, participants))))
        until = time.monotonic() + seconds
        peak = [0.0]
        pid = SERVERS[url].pid

        async def sample() -> None:
            while time.monotonic() < until:
                peak[0] = max(peak[0], _rss_mb(pid))
                await asyncio.sleep(2)

        await asyncio.gather(sample(), _dashboard(browser, url, code, key, until, out),
                             *(_participant(joined[n], n, until, pace, out) for n in range(participants)))
        await browser.close()
    out["base"] = statistics.median(base)
    out["rss"] = peak[0]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--pace", type=float, nargs=2, default=[3.0, 8.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "plans.sqlite3"
        workshop, key = WorkshopStore(open_store(str(db))).create("负载测试", load_example(example_slugs()[0]))
        with streamlit_server(db) as url:
            out = asyncio.run(_run(url, workshop.code, key or "", args.participants, args.seconds, tuple(args.pace)))
        store = open_store(str(db))
        found = sum(1 for p in WorkshopStore(store).participants(workshop.code)
                    if out["last"].get(p.name) and store.get(p.plan_id).positioning.why == out["last"][p.name])
    lat, dash = sorted(out["lat"]), sorted(out["dash"])

    def pct(values, q):
        return values[int(q * (len(values) - 1))] if values else float("nan")

    print(f"{args.participants} participants, {args.seconds:.0f} s, one edit every {args.pace[0]:g}–{args.pace[1]:g} s")
    print(f"  baseline (one participant alone): rerun p50 {out['base'] * 1000:.0f} ms")
    print(f"  participants: {len(lat)} edits, rerun p50 {pct(lat, .5) * 1000:.0f} ms "
          f"({pct(lat, .5) / out['base']:.1f}× baseline), p95 {pct(lat, .95) * 1000:.0f} ms "
          f"({pct(lat, .95) / out['base']:.1f}×)")
    print(f"  dashboard: {len(dash)} reloads, p50 {pct(dash, .5) * 1000:.0f} ms, p95 {pct(dash, .95) * 1000:.0f} ms")
    print(f"  server memory peak {out['rss']:.0f} MB; errors {len(out['errors'])}; "
          f"participants whose last edit is stored {found} of {len(out['last'])} (lost {len(out['last']) - found})")
    for error in out["errors"][:5]:
        print("   ", error)
    return 0 if not out["errors"] and found == len(out["last"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
