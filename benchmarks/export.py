"""Export speed: each format of the largest shipped example, relative to writing its JSON.

    python benchmarks/export.py [--repeat N]

Prints absolute seconds and the ratio to `plan_to_json` for: building the document (with chart
images), each renderer, and a full export (document + every format). Chart rendering includes
vl-convert's first-call start-up in the first build only ("cold"), as a user's first export does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import best

from planner.export import build_document, export_plan, render
from planner.plan.examples import example_slugs, load_example
from planner.plan_core.json_io import plan_to_json


def _best(fn: Callable[[], object], repeat: int) -> float:
    return best(fn, repeat)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    slug = max(example_slugs(), key=lambda s: len(plan_to_json(load_example(s, fresh_id=False))))
    plan = load_example(slug, fresh_id=False)
    lang = plan.meta.language

    start = time.perf_counter()
    doc = build_document(plan, lang)
    cold = time.perf_counter() - start
    base = _best(lambda: plan_to_json(plan), max(args.repeat, 20))
    rows = [("json (baseline)", base), ("document, cold (first charts)", cold),
            ("document (with charts)", _best(lambda: build_document(plan, lang), args.repeat))]
    for fmt in ("md", "html", "docx", "pdf"):
        rows.append((f"render {fmt}", _best(lambda f=fmt: render(doc, f), args.repeat)))

    def full() -> None:
        shared = build_document(plan, lang)
        for fmt in ("md", "html", "docx", "pdf", "json"):
            export_plan(plan, fmt, lang, document=shared)

    rows.append(("full export: document + all five formats", _best(full, args.repeat)))
    print(f"largest example: {slug} ({len(plan_to_json(plan)) // 1024} KB JSON, {len(plan.sop.rules)} SOP rules, "
          f"{plan.lifecycle.length_days} days, {len(doc.images())} charts)")
    print(f"{'step':45} {'seconds':>9} {'× json':>10}")
    for name, seconds in rows:
        print(f"{name:45} {seconds:9.3f} {seconds / base:10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
