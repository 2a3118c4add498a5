"""Benchmark: a generated 500,000-message 留痕 v1 export, parsed by planner.data.chat_formats and analysed
by planner.data.analytics.analyze, against a bare pyarrow.csv.read_csv of the same file in the same run.

    python benchmarks/chat_import.py [--messages N] [--repeat R]

Prints the best of R timings for each step and the ratio (target ≤ 3×)."""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow.csv as pacsv
from timing import best

from planner.data.analytics import analyze
from planner.data.chat_formats import describe, detect
from planner.data.chat_formats.fixtures import liuhen_v1_big
from planner.memory import keep_freed_memory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    keep_freed_memory()  # as the app and the command line do

    start = time.perf_counter()
    data = liuhen_v1_big(args.messages)
    print(f"generated {args.messages:,} messages, {len(data) / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
    files = [("chat.csv", data)]

    bare, table = best(lambda: pacsv.read_csv(io.BytesIO(data)), args.repeat)
    parse, result = best(lambda: detect(files, checkin_keywords=["打卡", "签到", "check-in"]), args.repeat)
    print(describe(result, "en"))
    print(f"bare pyarrow read_csv ({table.num_rows:,} rows): {bare:.3f} s")
    print(f"chat_formats.detect (parse):          {parse:.3f} s  = {parse / bare:.2f}× bare")
    analysed, _ = best(lambda: analyze(result), args.repeat)
    print(f"analytics.analyze:                    {analysed:.3f} s")
    total = parse + analysed
    ratio = total / bare
    print(
        f"parse + analyze: {total:.3f} s; ratio to bare read: {ratio:.2f}× (target ≤ 3×) "
        f"{'OK' if ratio <= 3 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
