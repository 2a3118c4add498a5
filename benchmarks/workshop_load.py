"""A workshop under load (issue 16): N participants drafting their plans for a while as the trainer's
dashboard refreshes, against one `streamlit run app.py` on this machine.

    python benchmarks/workshop_load.py                       # 30 participants, 120 s of editing
    python benchmarks/workshop_load.py --participants 10 --seconds 60 --browser

Default: each participant, and the trainer's dashboard, is a light client that speaks Streamlit's own
WebSocket protocol (benchmarks/st_client.py), as the page in a browser would, so the machine's cores go
to the server. A participant opens the workshop's link (`?workshop=CODE`), types a name and joins, opens
the positioning step and then, every `pace` seconds, leaves one of its text boxes with new text (the
next of the six, in turn). Latency: the edit's rerun request sent → that run finished. The sidebar's own
look for other sessions' saves (a fragment; a full rerun restarts its clock) runs meanwhile, as in the
browser. The
dashboard unlocks the room with its trainer key and refreshes by itself every 3 s (its fragment).
`--browser` drives real chromium pages instead (one browser context each; on 2 cores about 10 fit).

Reported: p50/p95 of participants' edits and of the dashboard's refreshes, the baseline (one participant
alone, measured first in the same run) and the ratios to it, the server's memory, errors (an exception
or an error box on any page) and, read back from the database afterwards, every edited field's last
value found or lost. Target: participants' p95 under 500 ms, no error, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.st_client import FRAGMENT, Client, percentile  # noqa: E402
from planner.plan.examples import example_slugs, load_example  # noqa: E402
from planner.plan_core.edit import get_at  # noqa: E402
from planner.store import open_store  # noqa: E402
from planner.store.workshops import WorkshopStore  # noqa: E402
from tests.e2e.conftest import SERVERS, streamlit_server  # noqa: E402

# The boxes a participant fills in turn on the positioning step (their widget keys start with
# "positioning.<path>@").
FIELDS = ("positioning.why", "positioning.what", "positioning.where", "positioning.when", "positioning.who",
          "positioning.how")
# No file watcher: a server in use does not reload modules when a file under it changes (while this
# checkout is edited, a reload in the middle of the run mixed old and new classes in live sessions).
SERVER_ARGS = ["--server.fileWatcherType", "none"]
TIMEOUT_S = 60  # one rerun that takes longer counts as an error


@dataclass
class Result:
    base: list[float] = field(default_factory=list)  # one participant alone
    edits: list[float] = field(default_factory=list)
    watch: list[float] = field(default_factory=list)  # participants' sidebar look for others' saves
    dash: list[float] = field(default_factory=list)  # the dashboard's own refresh
    dash_open: list[float] = field(default_factory=list)
    joins: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, path) -> last text sent
    rss_before: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0
    client_cpu: float = 0.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def table(rows: list[tuple[str, list[float], list[float] | None]]) -> list[str]:
    """Rows of (what, latencies in s, the baseline's latencies or None) as aligned text: count, p50,
    p95, max, and p50 and p95 each as a multiple of the baseline's."""
    lines = [f"{'':28} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}  p50 / p95 vs alone"]
    for label, values, base in rows:
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        ratio = f"  {p50 / percentile(base, 0.5):.1f}× / {p95 / percentile(base, 0.95):.1f}×" if base and values else ""
        top = max(values) if values else float("nan")
        lines.append(f"{label:28} {len(values):>5} {ms(p50):>8} {ms(p95):>8} {ms(top):>8}{ratio}")
    return lines


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.0f} ms"


# --- protocol clients -----------------------------------------------------------------------------
async def join(url: str, code: str, name: str, out: Result) -> Client:
    """A participant opens the workshop's link, joins under `name` and opens the positioning step."""
    client = Client(url, name)
    await client.__aenter__()
    began = time.perf_counter()
    await client.open("", f"workshop={code}", timeout=TIMEOUT_S)
    await client.submit({"workshop.join.name": name}, "FormSubmitter:workshop.join", timeout=TIMEOUT_S)
    if "resume=" not in client.query_string:
        raise RuntimeError(f"{name} did not join: {client.query_string!r}, {client.errors}")
    await client.open("positioning", timeout=TIMEOUT_S)  # the step's link in the sidebar
    out.joins.append(time.perf_counter() - began)
    return client


async def edit(client: Client, path: str, text: str, out: Result) -> float:
    out.sent[(client.name, path)] = text
    return await client.set_value(f"positioning.{path}@", text, timeout=TIMEOUT_S)


async def participant(client: Client, n: int, until: float, pace: tuple[float, float], out: Result) -> None:
    rng = random.Random(n)
    i = 0
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(*pace))
        if time.monotonic() >= until:
            break
        try:
            out.edits.append(await edit(client, FIELDS[i % len(FIELDS)], f"{client.name} 第{i + 1}次", out))
        except (TimeoutError, LookupError) as exc:
            out.errors.append(f"{client.name}: {type(exc).__name__} {exc}")
        i += 1


async def dashboard(url: str, code: str, key: str, out: Result) -> Client:
    """The trainer unlocks the room with the trainer key; the dashboard then refreshes by itself."""
    trainer = Client(url, "dashboard")
    await trainer.__aenter__()
    await trainer.open("workshop", f"room={code}", timeout=TIMEOUT_S)
    out.dash_open.append(await trainer.submit({"room.unlock.code": code, "room.unlock.key": key},
                                              "FormSubmitter:room.unlock", timeout=TIMEOUT_S))
    return trainer


async def run_protocol(url: str, code: str, key: str, participants: int, seconds: float,
                       pace: tuple[float, float], out: Result) -> None:
    pid = SERVERS[url].pid
    alone = await join(url, code, "基线", out)
    for i in range(10):  # the baseline: one participant alone, the same edits
        await asyncio.sleep(0.3)
        out.base.append(await edit(alone, FIELDS[i % len(FIELDS)], f"基线 第{i + 1}次", out))
    out.errors += alone.errors
    await alone.close()
    out.joins.clear()
    out.rss_before = rss_mb(pid)

    clients: list[Client] = []
    for first in range(0, participants, 5):  # a room fills a few people at a time
        clients += await asyncio.gather(*(join(url, code, f"学员{n:02d}", out)
                                          for n in range(first, min(first + 5, participants))))
    until = time.monotonic() + seconds
    trainer = await dashboard(url, code, key, out)

    async def sample() -> None:
        while time.monotonic() < until:
            out.rss_peak = max(out.rss_peak, rss_mb(pid))
            await asyncio.sleep(1)

    await asyncio.gather(sample(), *(participant(c, n, until, pace, out) for n, c in enumerate(clients)))
    for client in [*clients, trainer]:
        await client.close()
        out.errors += client.errors
        out.watch += client.latencies[FRAGMENT] if client is not trainer else []
    out.dash += trainer.latencies[FRAGMENT]
    out.rss_after = rss_mb(pid)
    out.rss_peak = max(out.rss_peak, out.rss_after)


# --- real browser pages ---------------------------------------------------------------------------
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
WHY = "WHY 为什么建群"


async def _idle(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_S * 1000)


async def _browser_join(browser, url: str, code: str, name: str):
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


async def _browser_edit(page, name: str, text: str, out: Result) -> float:
    out.sent[(name, "positioning.why")] = text
    await page.get_by_role("textbox", name=WHY).fill(text)
    began = time.perf_counter()
    await page.get_by_role("heading").first.click()  # leaving the box sends it: a rerun
    await _idle(page)
    return time.perf_counter() - began


async def _browser_participant(joined, n: int, until: float, pace, out: Result) -> None:
    context, page = joined
    rng = random.Random(n)
    name = f"学员{n:02d}"
    i = 0
    try:
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*pace))
            i += 1
            try:
                out.edits.append(await _browser_edit(page, name, f"{name} 第{i}次", out))
            except Exception as exc:
                out.errors.append(f"{name}: {repr(exc)[:120]}")
        # a rerun the last edit started may not have begun within _idle's first look: let it finish
        await page.wait_for_timeout(3000)
        await _idle(page)
        if await page.locator("[data-testid='stException']").count():
            out.errors.append(f"{name}: an error was shown")
    finally:
        await context.close()


async def _browser_dashboard(browser, url: str, code: str, key: str, until: float, out: Result) -> None:
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(60_000)
    await page.goto(f"{url}/workshop")
    await _idle(page)
    await page.get_by_label("工作坊代码").last.fill(code)
    await page.get_by_label("讲师密钥").fill(key)
    await page.get_by_role("button", name="打开看板").click()
    await _idle(page)
    while time.monotonic() < until:  # its own refresh is not visible from outside: reload instead
        await asyncio.sleep(10)
        began = time.perf_counter()
        await page.reload()
        await _idle(page)
        out.dash.append(time.perf_counter() - began)
    await context.close()


async def run_browser(url: str, code: str, key: str, participants: int, seconds: float,
                      pace: tuple[float, float], out: Result) -> None:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    pid = SERVERS[url].pid
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context, page = await _browser_join(browser, url, code, "基线")
        out.base = [await _browser_edit(page, "基线", f"基线 {i}", out) for i in range(8)]
        await context.close()
        out.rss_before = rss_mb(pid)
        joined = []
        for first in range(0, participants, 5):
            joined += await asyncio.gather(*(_browser_join(browser, url, code, f"学员{n:02d}")
                                             for n in range(first, min(first + 5, participants))))
        until = time.monotonic() + seconds

        async def sample() -> None:
            while time.monotonic() < until:
                out.rss_peak = max(out.rss_peak, rss_mb(pid))
                await asyncio.sleep(2)

        await asyncio.gather(sample(), _browser_dashboard(browser, url, code, key, until, out),
                             *(_browser_participant(joined[n], n, until, pace, out) for n in range(participants)))
        await browser.close()
    out.rss_after = rss_mb(pid)


# --- the run --------------------------------------------------------------------------------------
def found_and_lost(db: Path, code: str, sent: dict[tuple[str, str], str]) -> tuple[int, list[str]]:
    """How many edited fields hold the last text sent to them, and the ones that do not."""
    store = open_store(str(db))
    plans = {p.name: store.get(p.plan_id) for p in WorkshopStore(store).participants(code)}
    found, lost = 0, []
    for (name, path), text in sent.items():
        stored = get_at(plans[name], path) if name in plans else None
        if stored == text:
            found += 1
        else:
            lost.append(f"{name} {path}: {stored!r} instead of {text!r}")
    return found, lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120, help="how long the room edits")
    parser.add_argument("--pace", type=float, nargs=2, default=[3.0, 8.0], help="seconds between one's edits")
    parser.add_argument("--browser", action="store_true", help="real chromium pages instead of protocol clients")
    parser.add_argument("--port", type=int, default=None, help="the server's port (default: a free one)")
    args = parser.parse_args()
    out = Result()
    runner = run_browser if args.browser else run_protocol
    cpu_before = os.times()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "plans.sqlite3"
        workshop, key = WorkshopStore(open_store(str(db))).create("负载测试", load_example(example_slugs()[0]))
        with streamlit_server(db, port=args.port, args=SERVER_ARGS) as url:
            began = time.monotonic()
            # bounded: joining, editing and the last reruns, whatever happens
            asyncio.run(asyncio.wait_for(runner(url, workshop.code, key or "", args.participants, args.seconds,
                                                tuple(args.pace), out), args.seconds + 600))
            wall = time.monotonic() - began
        found, lost = found_and_lost(db, workshop.code, out.sent)
    cpu = os.times()
    client_cpu = cpu.user + cpu.system - cpu_before.user - cpu_before.system

    kind = "browser pages" if args.browser else "protocol clients"
    print(f"workshop_load: {args.participants} participants ({kind}) editing for {args.seconds:.0f} s, "
          f"one edit every {args.pace[0]:g}–{args.pace[1]:g} s each, dashboard refreshing; "
          f"{os.cpu_count()} CPUs")
    for line in table([("one participant alone", out.base, None),
                       ("participants' edits", out.edits, out.base),
                       ("participants' look for saves", out.watch, None),
                       ("dashboard refresh (3 s)" if not args.browser else "dashboard reload", out.dash, None),
                       ("dashboard unlocked", out.dash_open, None),
                       ("join: link → own plan", out.joins, None)]):
        print("  " + line)
    print(f"  server memory: {out.rss_before:.0f} MB before the room, peak {out.rss_peak:.0f} MB, "
          f"{out.rss_after:.0f} MB at the end")
    print(f"  edits applied {len(out.edits)}; fields whose last text is stored {found} of {len(out.sent)} "
          f"(lost {len(lost)}); errors {len(out.errors)}")
    print(f"  this load-driving process: {client_cpu:.0f} s CPU in {wall:.0f} s")
    for problem in [*out.errors[:5], *lost[:5]]:
        print("    " + problem)
    met = percentile(out.edits, 0.95) < 0.5 and not out.errors and not lost
    print(f"  target (participants' p95 < 500 ms, no error, nothing lost): {'met' if met else 'NOT met'}")
    return 0 if not out.errors and not lost else 1


if __name__ == "__main__":
    raise SystemExit(main())
