"""Benchmark: load + analyse a 1,000,000-event activity log vs a bare pyarrow.csv.read_csv.

    python benchmarks/analytics.py [--events 1000000] [--members 20000] [--days 365]

The baseline and ours take turns, --repeat rounds, same file, same process. Prints the best timings,
the ratio of the bests and the median and worst per-round ratios (target ≤ 2.0×, issue 17), and the process's
peak memory (target ≤ 1.5 GB).
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import ratio_summary, rounds

from planner.data.analytics import analyze
from planner.data.ingest import load_files
from planner.memory import keep_freed_memory


def make_log(path: Path, events: int, members: int, days: int, seed: int = 1) -> None:
    """A skewed activity log with Chinese headers (a few very active members, many quiet ones)."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, members) + 0.05
    member = rng.choice(members, size=events, p=weights / weights.sum())
    start = np.datetime64("2025-01-01T00:00:00", "s")
    seconds = rng.integers(0, days * 86400, events)
    time_ = np.sort(start + seconds.astype("timedelta64[s]"))
    actions = np.array(["发言", "打卡", "分享", "购买"])[rng.choice(4, size=events, p=[0.7, 0.22, 0.07, 0.01])]
    amount = np.where(actions == "购买", 99.0, np.nan)
    table = pa.table({
        "成员ID": pa.array(np.char.add("U", member.astype(str))),
        "昵称": pa.array(np.char.add("成员", member.astype(str))),
        "时间": pa.array(time_.astype("datetime64[s]").astype(str)).cast(pa.string()),
        "行为": pa.array(actions),
        "金额": pa.array(amount, mask=np.isnan(amount)),
    })
    pacsv.write_csv(table, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    keep_freed_memory()  # as the app and the command line do
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activity.csv"
        make_log(path, args.events, args.members, args.days)
        size_mb = path.stat().st_size / 2**20
        # The app receives the upload as bytes in memory, so the main comparison starts from the same
        # bytes on both sides; the same from the file on disk (read into memory first) is reported as well.
        data = path.read_bytes()

        def ours() -> object:
            result = load_files([(path.name, data)])
            return result, analyze(result)

        def ours_from_file() -> object:
            result = load_files([(path.name, path.read_bytes())])
            return result, analyze(result)

        times, results = rounds({
            "baseline": lambda: pacsv.read_csv(io.BytesIO(data)), "ours": ours,
            "file_baseline": lambda: pacsv.read_csv(path), "ours_from_file": ours_from_file,
        }, args.repeat)
    table, (result, analysis) = results["baseline"], results["ours"]
    best_ratio, median_ratio, worst_ratio = ratio_summary(times["ours"], times["baseline"])
    file_best, file_median, _ = ratio_summary(times["ours_from_file"], times["file_baseline"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(f"file: {args.events:,} events, {size_mb:.1f} MB; rows read {table.num_rows:,}, loaded "
          f"{len(result.activity):,}, bad rows {result.bad_rows}, members {analysis.members:,}")
    print(f"pyarrow.csv.read_csv(bytes) : {min(times['baseline']):.3f} s (best of {args.repeat})")
    print(f"load_files + analyze(bytes) : {min(times['ours']):.3f} s")
    print(f"ratio                       : {best_ratio:.2f}x best/best, {median_ratio:.2f}x median round, "
          f"{worst_ratio:.2f}x worst round (target <= 2.0x)")
    print(f"from the file on disk       : {file_best:.2f}x best/best, {file_median:.2f}x median round "
          f"(read_bytes + ours vs pyarrow.csv.read_csv(path) {min(times['file_baseline']):.3f} s)")
    print(f"peak memory                 : {peak_mb:.0f} MB (target <= 1536 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
