"""`analyze`: load member-data files and print every metric as one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from models.text import clean_text
from planner import i18n
from planner.commands import fail, read_files, report
from planner.data.analysis import AnalysisOptions, to_json
from planner.data.analytics import analyze
from planner.data.chat_formats.telegram import ALL_CHATS
from planner.data.ingest import load_files, too_large
from planner.plan_core.json_io import plan_from_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("analyze", help="analyse member data (CSV / XLSX / chat exports) as JSON")
    parser.add_argument("files", nargs="+", metavar="FILE", help="activity log, daily statistics or chat export")
    parser.add_argument("--members", metavar="FILE", help="members table")
    parser.add_argument("--plan", metavar="PLAN.json", help="plan for layers, check-in words and plan vs actual")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="for dates like 03/04/2026")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="end of the analysis (default: last day in the data)")
    parser.add_argument("--event-date", metavar="YYYY-MM-DD", help="compare the 7 days before and after this day")
    parser.add_argument("--weekly", action="store_true", help="also weekly cohorts")
    parser.add_argument("--group-by-file", action="store_true",
                        help="each file is one group (named by the chat inside it, else the file name); "
                             "groups are compared under \"groups\"")
    parser.add_argument("--every-chat", action="store_true",
                        help="a Telegram full export: every group chat, each a group of its own (compared under "
                             "\"groups\"); default: the busiest group alone")
    parser.add_argument("--match-by-nickname", action="store_true", help="files number members differently: "
                                                                          "the same nickname is the same member")
    parser.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    parser.add_argument("--lang", choices=list(i18n.LANGS), default="zh", help="language of messages on stderr")
    parser.set_defaults(func=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files] + ([Path(args.members)] if args.members else [])
    # A file over the limit is refused by its size, before a possibly huge read into memory.
    sized = [(path, too_large(path.name, _size(path))) for path in paths]
    refused = [problem for _, problem in sized if problem is not None]
    files, unreadable = read_files([path for path, problem in sized if problem is None])
    if unreadable:
        return fail(f"{unreadable[0]}: {unreadable[1]}")
    plan = None
    if args.plan:
        try:
            plan, problems = plan_from_json(Path(args.plan).read_bytes(), file=Path(args.plan).name)
        except OSError as exc:
            return fail(f"{args.plan}: {exc.strerror or exc}")
        if plan is None:
            report(problems, args.lang)
            return 2
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
        event_date = date.fromisoformat(args.event_date) if args.event_date else None
    except ValueError as exc:
        return fail(str(exc))
    options: dict[str, object] = {"date_order": args.date_order} if args.date_order else {}
    if args.group_by_file:
        options["group_by_file"] = True
    if args.match_by_nickname:
        options["match_by"] = "nickname"
    if args.every_chat:
        options["chat"] = ALL_CHATS
    result = load_files(files, plan=plan, options=options or None)
    report(refused + result.problems, args.lang)
    if not result.ok:
        return 2
    analysis = analyze(result, plan, AnalysisOptions(as_of=as_of, event_date=event_date, weekly_cohorts=args.weekly))
    # Names from chat exports reach the terminal: no control characters (see planner.commands).
    sys.stdout.write(clean_text(json.dumps(to_json(analysis, result), ensure_ascii=False)) + "\n")
    return 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # read_files says why it cannot be read
        return 0
