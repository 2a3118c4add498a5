"""Speed a person feels (issue 19): page loads, page switches, reruns and actions in a real browser.

    python benchmarks/ui_timing.py [--rounds 3] [--example ecommerce_repurchase] [--port 8700]
    python benchmarks/ui_timing.py --rounds 3 --pages roles lifecycle --skip cold edit   # a few minutes

Starts two servers: a hello-world Streamlit page (benchmarks/hello_app.py, the baseline measured in
the same run) and the app with a throwaway plan database holding a full 365-day example plan,
opened by its address (`?plan=ID`). Debian's chromium (Playwright, headless) then measures, each
round taking turns with the baseline:

- cold load: a fresh browser session opening each page's address, until the page's title is drawn,
  the script has finished and no element is left stale or a skeleton (target: within 2× hello-world);
- page switch: a click on the sidebar's link until the new page is drawn and idle (≤ 300 ms);
- rerun after an edit: a character typed into a field, then the field left, until the script has
  finished (p95 ≤ 250 ms);
- actions: leaving a file out of the data page's upload and taking it back, building each export
  format; for each, when progress (a spinner, a progress bar, a status box) first showed
  (anything over 1 s must show progress).

`--pages` measures only the pages named (their cold loads, switches from the home page and back,
edits; the data and export actions only with their page) and `--skip` leaves parts out, so one
page's change can be measured in a couple of minutes. Each switch row also names how many elements
the page drew (Streamlit's element containers in the main area), what the browser's part grows with.

Times are taken in the browser (performance.now and a MutationObserver on the script state), so a
busy test process does not add its own delays. Prints the table, never asserts. The servers are
stopped at the end, also after an error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pages.ui.nav import PAGE_BY_URL, PageSpec, pages_for  # noqa: E402
from planner import i18n  # noqa: E402
from planner.plan.examples import load_example  # noqa: E402
from planner.store import open_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANG = "zh"
# Progress a person sees while waiting: a spinner, a status box at work, or a progress bar drawn by
# this run (a stale one is the last run's). The pages measured show no progress bar at rest.
PROGRESS = ("[data-testid='stSpinner'], [data-testid='stExpanderIconSpinner'], "
            "[data-testid='stMain'] [data-testid='stElementContainer']:not([data-stale='true']) "
            "[data-testid='stProgress']")

# Records every change of the app's script state and when progress first showed, with the browser's
# own clock: a run that starts and ends between two polls is still seen.
OBSERVER = "(() => { const PROGRESS = " + json.dumps(PROGRESS) + ";" + """
window.__runs = [];
window.__progressAt = null;
window.__watch = false;
new MutationObserver((mutations) => {
  const now = performance.timeOrigin + performance.now();  // absolute: a page that reloads itself keeps counting
  for (const m of mutations) {
    if (m.type === 'attributes' && m.attributeName === 'data-test-script-state') {
      window.__runs.push({t: now, s: m.target.getAttribute('data-test-script-state')});
    } else if (m.type === 'childList') {  // the app's root drawn anew carries its state with it
      for (const node of m.addedNodes) {
        if (node.nodeType !== 1) continue;
        const app = node.matches('[data-test-script-state]') ? node : node.querySelector('[data-test-script-state]');
        if (app) window.__runs.push({t: now, s: app.getAttribute('data-test-script-state')});
      }
    }
  }
  // looked for only while an action is measured (Session.now), not during page loads
  if (window.__watch && window.__progressAt === null && document.querySelector(PROGRESS)) window.__progressAt = now;
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-test-script-state', 'data-stale']});
})();"""


# Done, for a wait that began at `t0` (browser time, ms since the epoch): the app is idle, nothing is stale
# or a skeleton, the main area's heading shows `title` (when given), and it has stayed so for `quiet` ms
# (a script that calls st.rerun runs twice). Returns when it got there: the end of the last run seen
# since `t0`; when none was seen (React draws a run that starts and ends within one frame without ever
# showing it as running), the moment the page was first found so.
DONE = """([t0, quiet, title]) => {
  const now = performance.timeOrigin + performance.now();
  const app = document.querySelector("[data-test-script-state]");
  const ready = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector("[data-testid='stSkeleton'], [data-testid='stElementContainer'][data-stale='true']")
    && (title === null || [...document.querySelectorAll("[data-testid='stMain'] h1")].some(
        h => h.textContent.includes(title)));
  if (window.__readyFor !== t0) { window.__readyFor = t0; window.__readySince = null; }
  if (!ready) { window.__readySince = null; return null; }
  if (window.__readySince === null) window.__readySince = now;
  const runs = window.__runs.filter(r => r.t >= t0);
  if (runs.length) {
    const last = runs[runs.length - 1];
    if (last.s === 'notRunning') return now - last.t >= quiet ? last.t : null;
  }
  if (now - window.__readySince < quiet) return null;
  // nothing seen running: with a heading to wait for, it is there; without, give the rerun a while
  // to show itself before calling it drawn at once
  if (title === null && now - t0 < 3000) return null;
  return window.__readySince;
}"""


def _free_port(preferred: int | None) -> int:
    for port in ([preferred + i for i in range(20)] if preferred else []):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(script: str, port: int, env: dict[str, str]) -> Iterator[str]:
    """`streamlit run script` on `port`; yields its URL and stops it afterwards, whatever happened."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         # files saved while it runs (an editor, a checkout) must not reload modules under the sessions
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{script} exited with code {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{script} did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Session:
    """One browser context (a fresh Streamlit session) with the state observer installed."""

    def __init__(self, browser, context=None) -> None:
        """A new tab of `context` (a browser that has been here before: its cache holds the app's
        scripts and fonts), else of a browser context of its own (nothing cached)."""
        self.own = context is None
        self.context = context or new_context(browser)
        self.page = self.context.new_page()

    def load(self, url: str, title: str) -> float:
        """Seconds from asking for `url` to its page drawn and idle (the browser's clock starts at the
        navigation)."""
        self.page.goto(url)
        return self.done(float(self.page.evaluate("() => performance.timeOrigin")), title)

    def now(self) -> float:
        """The browser's clock (ms since the epoch), and progress seen from now on only."""
        return float(self.page.evaluate(
            "() => { window.__progressAt = null; window.__watch = true;"
            " return performance.timeOrigin + performance.now(); }"))

    def done(self, t0: float, title: str | None = None, quiet_ms: int = 200) -> float:
        """Seconds from browser time `t0` to the end of the last run that started after it."""
        end = self.page.wait_for_function(DONE, arg=[t0, quiet_ms, title], polling=20,
                                          timeout=60_000).json_value()
        return (float(end) - t0) / 1000

    def progress_after(self, t0: float) -> float | None:
        """Seconds from `t0` until progress first showed, None if it never did."""
        at = self.page.evaluate("() => { window.__watch = false; return window.__progressAt; }")
        return None if at is None else (float(at) - t0) / 1000

    def close(self) -> None:
        if self.own:
            self.context.close()
        else:
            self.page.close()


TIMEOUTS: list[str] = []


@contextmanager
def fresh_tab(browser, context, what: str) -> Iterator[Session]:
    """A new tab (a new Streamlit session) for one measurement; closed afterwards. A measurement that
    times out on a starved machine is left out and named at the end, instead of ending the run."""
    from playwright.sync_api import Error as PlaywrightError

    session = Session(browser, context)
    try:
        yield session
    except PlaywrightError as exc:
        TIMEOUTS.append(what)
        print(f"  {what}: left out ({str(exc).splitlines()[0]})", flush=True)
    finally:
        session.close()


def new_context(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60_000)
    context.add_init_script(OBSERVER)
    return context


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, list[float], str, str]] = []

    def add(self, label: str, values: list[float], target: str = "", note: str = "") -> None:
        if values:
            self.rows.append((label, values, target, note))

    def print(self, hello: list[float]) -> None:
        base = statistics.median(hello)
        print()
        print("| measured | n | p50 | p95 | p50 ÷ hello-world | target | note |")
        print("|---|---|---|---|---|---|---|")
        for label, values, target, note in self.rows:
            p50 = statistics.median(values)
            print(f"| {label} | {len(values)} | {_fmt(p50)} | {_fmt(_p95(values))} | {p50 / base:.1f}× | "
                  f"{target} | {note} |")


# Elements the page drew in its main area (the sidebar is the same on every page).
COUNT_ELEMENTS = "() => document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stElementContainer']\").length"


def _heading(spec: PageSpec) -> str:
    """The page's title as its heading shows it (the home page's is the app's name)."""
    return i18n.t("home.title" if spec.url == "home" else spec.title_key, LANG)


def _edit_sop_setting(session: Session, round_index: int) -> float:
    """The SOP page's rules sit in a form; a setting (a number field) is the SOP edit that reruns the page."""
    page = session.page
    expander = page.locator("[data-testid='stExpander'] summary").filter(has_text=i18n.t("sop.settings.title", LANG))
    if expander.first.get_attribute("aria-expanded") != "true":
        t0 = session.now()
        expander.first.click()
        session.done(t0)  # its fields are drawn by a run of their own: over before the edit is timed
    box = page.get_by_label(i18n.t("sop.settings.max_days_without_value", LANG)).first
    value = int(box.input_value() or 0)
    box.fill(str(value - 1 if round_index % 2 else value + 1))
    t0 = session.now()
    page.keyboard.press("Tab")
    return session.done(t0)


def _edit_field(session: Session, round_index: int) -> float | None:
    """Type into the page's first text box and leave it: seconds until the rerun has finished."""
    page = session.page
    if page.url.split("?")[0].endswith("/sop"):
        return _edit_sop_setting(session, round_index)
    # a field bound to the plan: shown, enabled, not in a form (a form's fields wait for its button)
    box = page.locator("[data-testid='stMain'] textarea:enabled:not([data-testid='stForm'] textarea)"
                       " >> visible=true").first
    if box.count() == 0:
        return None
    box.click()
    page.keyboard.press("End")
    if round_index % 2:  # add a character, then take it away
        page.keyboard.press("Backspace")
    else:
        page.keyboard.type("。")
    t0 = session.now()
    page.keyboard.press("Tab")
    return session.done(t0)


def _click(session: Session, selector: str) -> tuple[float, float | None]:
    page = session.page
    button = page.locator(selector).first
    button.wait_for()
    t0 = session.now()
    button.click()
    took = session.done(t0)
    return took, session.progress_after(t0)


def _progress_note(times: list[float], shown: list[float | None]) -> str:
    """Whether an action taking over 1 s showed progress, and how soon."""
    seen = [s for s in shown if s is not None]
    if seen:
        return f"progress after {_fmt(statistics.median(seen))}"
    return "no progress shown" + (" (over 1 s!)" if max(times) > 1 else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--example", default="ecommerce_repurchase", help="a 365-day example plan")
    parser.add_argument("--port", type=int, default=None, help="first port to try (default: any free one)")
    parser.add_argument("--skip", nargs="*", default=[], help="parts to leave out: cold switch edit data export")
    parser.add_argument("--pages", nargs="*", default=None,
                        help="measure only these pages (by address, e.g. roles lifecycle); default: every page")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install -y chromium)")
        return 2
    from playwright.sync_api import sync_playwright

    every_spec = [s for s in pages_for(server=False) if not s.hidden]
    if args.pages is not None:
        unknown = sorted(set(args.pages) - {s.url for s in every_spec})
        if unknown:
            print(f"unknown pages: {', '.join(unknown)} (pages: {' '.join(s.url for s in every_spec)})")
            return 2
        # the data and export actions belong to their pages
        args.skip = [*args.skip, *(part for part in ("data", "export") if part not in args.pages)]
    specs = [s for s in every_spec if args.pages is None or s.url in args.pages]
    home_spec = every_spec[0]
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "plans.sqlite3"
        plan = load_example(args.example)
        store = open_store(str(db))
        store.save(plan, "benchmark")
        store.close()
        # The sidebar's look for other sessions' saves would start runs of its own every 3 s; here a
        # run is one a person started.
        env = {"COMMUNITY_PLANNER_DB": str(db), "COMMUNITY_PLANNER_WATCH_SECONDS": "600"}
        hello_port = _free_port(args.port)
        app_port = _free_port(hello_port + 1)
        with server("benchmarks/hello_app.py", hello_port, {}) as hello_url, \
                server("app.py", app_port, env) as app_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            first: dict[str, float] = {}
            home_title = _heading(PAGE_BY_URL["home"])
            for name, url, title in (("hello", hello_url, "Hello"),
                                     ("app", f"{app_url}/?plan={plan.id}", home_title)):
                session = Session(browser)
                first[name] = session.load(url, title)  # the server's imports, not a person's wait
                session.close()
            print(f"first load after the server started: hello-world {_fmt(first['hello'])}, "
                  f"app {_fmt(first['app'])} (not counted)")

            hello: list[float] = []
            empty_cache: dict[str, list[float]] = {"hello": [], "app": []}
            cold: dict[str, list[float]] = {s.url: [] for s in specs}
            switch: dict[str, list[float]] = {s.url: [] for s in specs}
            elements: dict[str, int] = {}
            edits: dict[str, list[float]] = {}
            actions: dict[str, tuple[list[float], list[float | None]]] = {}
            home_url = f"{app_url}/?plan={plan.id}"

            def action(label: str, took: float, shown: float | None) -> None:
                times, seen = actions.setdefault(label, ([], []))
                times.append(took)
                seen.append(shown)

            for round_index in range(args.rounds):
                print(f"round {round_index + 1}/{args.rounds}", flush=True)
                # A first visit ever: the browser has nothing cached (scripts, fonts, chart libraries).
                for name, url, title in (("hello", hello_url, "Hello"), ("app", home_url, home_title)):
                    with fresh_tab(browser, None, f"first visit {name}") as session:
                        empty_cache[name].append(session.load(url, title))
                # A person coming back: a new tab is a new Streamlit session, the browser's cache is warm.
                browser_tabs = new_context(browser)
                for url, title in ((hello_url, "Hello"), (home_url, home_title)):
                    with fresh_tab(browser, browser_tabs, "warming the browser cache") as session:
                        session.load(url, title)
                for spec in specs if "cold" not in args.skip else specs[:1]:
                    # the baseline takes turns with the pages, under the same load
                    with fresh_tab(browser, browser_tabs, "hello-world") as session:
                        hello.append(session.load(hello_url, "Hello"))
                    if "cold" not in args.skip:
                        with fresh_tab(browser, browser_tabs, f"cold load of {spec.url}") as session:
                            cold[spec.url].append(session.load(f"{app_url}/{spec.url}?plan={plan.id}",
                                                               _heading(spec)))

                if "switch" not in args.skip:
                    with fresh_tab(browser, browser_tabs, "page switches") as session:
                        session.load(home_url, home_title)
                        # every page in the sidebar's order; only some: each from the home page and back
                        walk = [(spec, True) for spec in [*specs[1:], specs[0]]] if args.pages is None else [
                            step for spec in specs for step in ((spec, True), (home_spec, False))]
                        for spec, measured in walk:
                            link = session.page.locator(f"[data-testid='stSidebarNavLink'][href$='/{spec.url}']")
                            if spec.url == "home":
                                link = session.page.locator("[data-testid='stSidebarNavLink']").first
                            t0 = session.now()
                            link.click()
                            took = session.done(t0, _heading(spec))
                            if measured and spec.url in switch:
                                switch[spec.url].append(took)
                                elements[spec.url] = int(session.page.evaluate(COUNT_ELEMENTS))

                if "edit" not in args.skip:
                    for spec in specs:
                        if spec.url in ("home", "plans", "quick", "trainer", "workshop", "export", "data"):
                            continue
                        with fresh_tab(browser, browser_tabs, f"edit on {spec.url}") as session:
                            session.load(f"{app_url}/{spec.url}?plan={plan.id}", _heading(spec))
                            took = _edit_field(session, round_index)
                            if took is not None:
                                edits.setdefault(spec.url, []).append(took)

                if "data" not in args.skip:
                    with fresh_tab(browser, browser_tabs, "data page actions") as session:
                        session.load(f"{app_url}/data?plan={plan.id}", _heading(PAGE_BY_URL["data"]))
                        action("data: load the sample files", *_click(session, ".st-key-data-sample button"))
                        action("data: leave a file out", *_click(session, ".st-key-data-files-remove-0 button"))
                        action("data: take it back", *_click(session, ".st-key-data-files-restore-0 button"))

                if "export" not in args.skip:
                    for fmt in ("md", "html", "docx", "pdf"):
                        with fresh_tab(browser, browser_tabs, f"export {fmt}") as session:
                            session.load(f"{app_url}/export?plan={plan.id}", _heading(PAGE_BY_URL["export"]))
                            radio = session.page.locator(".st-key-export-format label").filter(
                                has_text=i18n.t(f"export.format.{fmt}", LANG)).first
                            if not radio.locator("input").is_checked():  # the format is remembered
                                t0 = session.now()
                                radio.click()
                                session.done(t0)
                            took, shown = _click(session, ".st-key-export-build button")
                            session.page.locator(".st-key-export-download").wait_for()
                            action(f"export: build {fmt}", took, shown)
                browser_tabs.close()
            browser.close()

    table.add("empty browser cache: hello-world", empty_cache["hello"])
    table.add("empty browser cache: app home", empty_cache["app"])
    for spec in specs:
        table.add(f"cold load: {spec.url}", cold[spec.url], "≤ 2× hello")
    every_cold = [v for values in cold.values() for v in values]
    table.add("cold load: every page", every_cold, "≤ 2× hello")
    every_switch = [v for values in switch.values() for v in values]
    for spec in specs:
        table.add(f"switch to: {spec.url}", switch[spec.url], "≤ 300 ms",
                  f"{elements[spec.url]} elements" if spec.url in elements else "")
    table.add("page switch: every page", every_switch, "≤ 300 ms")
    for url, values in edits.items():
        table.add(f"rerun after an edit: {url}", values, "p95 ≤ 250 ms")
    table.add("rerun after an edit: every page", [v for values in edits.values() for v in values], "p95 ≤ 250 ms")
    for label, (times, shown) in actions.items():
        table.add(label, times, "progress if > 1 s", _progress_note(times, shown))
    if TIMEOUTS:
        print(f"\nleft out after a timeout: {', '.join(TIMEOUTS)}")
    print(f"\nhello-world cold load: p50 {_fmt(statistics.median(hello))}, p95 {_fmt(_p95(hello))} "
          f"({len(hello)} loads, the baseline of the ratios)")
    table.print(hello)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
