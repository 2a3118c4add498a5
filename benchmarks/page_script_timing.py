"""Each page's script run on its own, without a browser: how much of a page switch is the script.

    python benchmarks/page_script_timing.py [--pages roles lifecycle] [--runs 7]

Opens the 365-day example plan (ecommerce_repurchase) in a throwaway database, then, for each page,
switches an AppTest session to it and reruns it (each page's code compiled once, as a server does):
the first run (caches cold for this plan), the median of the warm runs (wall clock, and the processor
time of the script's own thread, which a busy machine hardly moves), and the number of elements the
page draws in its main area (what the browser's part of a switch grows with, see
benchmarks/ui_timing.py, which counts the browser's element containers). Prints a table, never
asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pages.ui.nav import pages_for  # noqa: E402
from planner.plan.examples import load_example  # noqa: E402
from planner.store import open_store  # noqa: E402


def count_elements(node: Any) -> int:
    """Elements under `node` (blocks such as columns and containers not counted, their content is)."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return sum(count_elements(child) for child in children.values())
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=None, help="pages by address (default: every page)")
    parser.add_argument("--runs", type=int, default=7, help="warm runs per page")
    parser.add_argument("--example", default="ecommerce_repurchase")
    args = parser.parse_args()
    specs = [s for s in pages_for(server=False) if not s.hidden
             and (args.pages is None or s.url in args.pages)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "plans.sqlite3"
        os.environ["COMMUNITY_PLANNER_DB"] = str(db)
        os.environ["COMMUNITY_PLANNER_WATCH_SECONDS"] = "600"
        store = open_store(str(db))
        store.save(load_example(args.example), "benchmark")
        store.set_setting("lang", "zh")
        store.close()
        from streamlit.runtime.scriptrunner import script_runner
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache
        from streamlit.testing.v1 import AppTest, local_script_runner

        # A server compiles each page once; AppTest would compile it again on every run (some 40 ms).
        shared = ScriptCache()
        local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
        # The processor time of each run's own thread as well: it hardly moves when other work shares
        # the machine, where wall-clock times can double.
        cpu: list[float] = []
        run_script = script_runner.ScriptRunner._run_script

        def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return run_script(self, *args, **kwargs)
            finally:
                cpu.append(time.thread_time() - started)

        script_runner.ScriptRunner._run_script = timed  # type: ignore[method-assign]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        print("| page | elements | first run | warm run p50 | warm min | warm run CPU p50 |")
        print("|---|---|---|---|---|---|")
        for spec in specs:
            at.switch_page(spec.path)
            started = time.perf_counter()
            at.run()
            first = time.perf_counter() - started
            if at.exception:
                print(f"| {spec.url} | error: {at.exception[0].message} | | | | |")
                continue
            warm = []
            cpu.clear()
            for _ in range(args.runs):
                started = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - started)
            print(f"| {spec.url} | {count_elements(at.main)} | {first * 1000:.0f} ms | "
                  f"{statistics.median(warm) * 1000:.0f} ms | {min(warm) * 1000:.0f} ms | "
                  f"{statistics.median(cpu) * 1000:.0f} ms |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
