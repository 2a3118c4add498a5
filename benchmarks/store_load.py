"""N simulated sessions editing plans at once, against SQLite and PostgreSQL (issue 14).

    python benchmarks/store_load.py [--sessions 10 30] [--edits 12] [--pace 1 4]

Each session is a thread with its own database connection, as each browser tab is a Streamlit
session of its own. A session edits the way the app does (`planner.store.sync.save_merging`, a
compare-and-swap save that merges on a stale version, the edit kept and tried again when the
database refuses), pausing `pace` seconds between edits (a person changes a field every few
seconds at the very most; `--pace 0.05 0.3` shows where the database saturates). Two workloads:
- "same plan":  every session adds its own roles to ONE plan (each must be there at the end) and
  now and then rewrites the shared slogan (a real conflict: the first writer keeps it, the other
  session is notified and its value is kept in the revision history);
- "own plans": every session edits a plan of its own (no conflicts possible).
Printed: edits applied vs edits found afterwards (lost must be 0), conflicts notified, p50/p95 save
latency, and their ratio to a plain single-session save measured in the same run (the baseline).
PostgreSQL runs when initdb/pg_ctl are installed (Debian's postgresql), in a throwaway cluster.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.plan import Plan, Role  # noqa: E402
from planner.plan.examples import example_slugs, load_example  # noqa: E402
from planner.store import StorageError, open_store  # noqa: E402
from planner.store.sync import Seen, save_merging  # noqa: E402


@dataclass
class Tally:
    applied: int = 0  # role edits stored (save returned)
    conflicts: int = 0  # fields a session was told another session changed first
    refused: int = 0  # saves the database refused and that were tried again
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _example() -> Plan:
    return load_example(example_slugs()[0])


def _session(url: str, n: int, plan_id: str, edits: int, pace: tuple[float, float], shared: bool,
             tally: Tally, start: threading.Barrier) -> None:
    store = open_store(url)
    rng = random.Random(n)
    try:
        seen = Seen(*store.get_versioned(plan_id))
        start.wait()
        for i in range(edits):
            time.sleep(rng.uniform(*pace))
            plan = seen.plan.model_copy(deep=True)
            plan.roles.append(Role(name=f"s{n}-e{i}"))
            if shared and rng.random() < 0.2:
                plan.meta.slogan = f"口号 {n}-{i}"
            began = time.perf_counter()
            while True:  # as the app: a refused save is kept and tried again
                try:
                    out = save_merging(store, plan, seen, f"session:{n:04d}")
                    break
                except StorageError:
                    with tally.lock:
                        tally.refused += 1
                    time.sleep(0.05)
            elapsed = time.perf_counter() - began
            seen = Seen(out.plan, out.version)
            with tally.lock:
                tally.applied += 1
                tally.conflicts += len(out.conflicts)
                tally.latencies.append(elapsed)
    finally:
        store.close()


def _baseline(url: str, rounds: int = 60) -> float:
    """Median of a plain save by a single session (no other session, no compare-and-swap)."""
    store = open_store(url)
    plan = store.save(_example())
    times = []
    for i in range(rounds):
        plan.meta.slogan = f"基线 {i}"
        began = time.perf_counter()
        plan = store.save(plan)
        times.append(time.perf_counter() - began)
    store.close()
    return statistics.median(times)


def _run(url: str, sessions: int, edits: int, pace: tuple[float, float], shared: bool) -> dict[str, float]:
    setup = open_store(url)
    plans = [setup.save(_example().model_copy(update={"id": Plan().id})) for _ in range(1 if shared else sessions)]
    setup.close()
    tally = Tally()
    start = threading.Barrier(sessions)
    threads = [threading.Thread(target=_session, args=(url, n, plans[0 if shared else n].id, edits, pace, shared,
                                                       tally, start)) for n in range(sessions)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    check = open_store(url)
    found = 0
    for plan in plans:
        names = {r.name for r in check.get(plan.id).roles}
        found += sum(1 for n in range(sessions) for i in range(edits) if f"s{n}-e{i}" in names
                     and (shared or plan.id == plans[n].id))
    check.close()
    lat = sorted(tally.latencies)
    return {"applied": tally.applied, "found": found, "lost": tally.applied - found, "conflicts": tally.conflicts,
            "refused": tally.refused, "p50": statistics.median(lat), "p95": lat[int(0.95 * (len(lat) - 1))],
            "wall": wall}


def _backends(tmp: Path) -> list[tuple[str, str, object | None]]:
    out: list[tuple[str, str, object | None]] = [("SQLite", str(tmp / "load.sqlite3"), None)]
    try:
        from tests.pg_cluster import PgCluster, pg_bindir
    except ImportError:
        return out
    bindir = pg_bindir()
    if bindir is None:
        print("PostgreSQL: skipped (no initdb/pg_ctl; apt-get install postgresql)")
        return out
    cluster = PgCluster(bindir)
    cluster.init()
    cluster.start()
    out.append(("PostgreSQL", cluster.url(cluster.new_database()), cluster))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--pace", type=float, nargs=2, default=[1.0, 4.0], help="seconds between a session's edits")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, url, cluster in _backends(Path(tmp)):
            try:
                base = _baseline(url)
                print(f"\n{name}: baseline single-session save p50 {base * 1000:.1f} ms")
                for sessions in args.sessions:
                    for shared in (True, False):
                        r = _run(url, sessions, args.edits, tuple(args.pace), shared)
                        failed |= r["lost"] != 0
                        print(f"  {sessions:>3} sessions, {'same plan' if shared else 'own plans'}: "
                              f"edits applied {r['applied']}, found {r['found']}, lost {r['lost']}; "
                              f"conflicts notified {r['conflicts']}, refused and retried {r['refused']}; "
                              f"save p50 {r['p50'] * 1000:.1f} ms ({r['p50'] / base:.1f}× baseline), "
                              f"p95 {r['p95'] * 1000:.1f} ms ({r['p95'] / base:.1f}×); {r['wall']:.1f} s")
            finally:
                if cluster is not None:
                    cluster.remove()  # type: ignore[attr-defined]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
