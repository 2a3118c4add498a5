"""`sample`: write synthetic member data (members table, activity log, daily group statistics)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.data.sample import LANGUAGES, generate, write


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sample", help="write sample member data (three CSV files, Chinese or English)")
    parser.add_argument("--members", type=int, default=200, metavar="N", help="number of members (default 200)")
    parser.add_argument("--days", type=int, default=90, metavar="D", help="number of days (default 90)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same files)")
    parser.add_argument("--lang", choices=LANGUAGES, default="zh",
                        help="language of the headers, names, channels and actions (default zh)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.set_defaults(func=run_sample)


def run_sample(args: argparse.Namespace) -> int:
    if args.members < 1 or args.days < 1 or args.members * args.days > 50_000_000:
        print("--members and --days must be positive (and members × days at most 50,000,000)", file=sys.stderr)
        return 2
    for path in write(generate(args.members, args.days, seed=args.seed, lang=args.lang), Path(args.out)):
        print(path)
    return 0
