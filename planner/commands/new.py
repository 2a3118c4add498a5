"""`new` and `list-examples`: start a plan as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.plan.examples import example_slugs, load_example, new_blank_plan
from planner.plan_core.json_io import plan_to_json


def register(subparsers: argparse._SubParsersAction) -> None:
    new = subparsers.add_parser("new", help="write a blank or example plan as JSON")
    new.add_argument("--example", metavar="NAME", help="start from an example (see list-examples)")
    new.add_argument("--name", default="", help="plan name for a blank plan")
    new.add_argument("--lang", choices=["zh", "en"], default="zh")
    new.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    new.set_defaults(func=run_new)

    examples = subparsers.add_parser("list-examples", help="list the example plans")
    examples.set_defaults(func=run_list_examples)


def run_new(args: argparse.Namespace) -> int:
    if args.example:
        if args.example not in example_slugs():
            print(f"unknown example {args.example!r}; choose one of: {', '.join(example_slugs())}", file=sys.stderr)
            return 2
        plan = load_example(args.example)
    else:
        plan = new_blank_plan(args.name, args.lang)
    text = plan_to_json(plan)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_list_examples(args: argparse.Namespace) -> int:
    for slug in example_slugs():
        plan = load_example(slug, fresh_id=False)
        print(f"{slug}\t{plan.meta.name}\t{plan.meta.community_type.value}")
    return 0
