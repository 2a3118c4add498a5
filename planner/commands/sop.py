"""`sop`: write a plan's dated SOP schedule as CSV, XLSX or iCalendar.

    python -m planner sop PLAN.json --start YYYY-MM-DD --format csv|xlsx|ics --out FILE

`--start` defaults to the plan's lifecycle start date; `--format` defaults to the suffix of
`--out`, else csv; without `--out` the file goes to standard output. Exit status 0 on success,
2 when the plan cannot be read or there is no start date (the reason goes to standard error).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from models.problems import Problem
from planner import i18n
from planner.commands import report
from planner.plan_core.json_io import plan_from_json
from planner.sop import files as sop_export
from planner.sop import schedule as sop

FORMATS = ("csv", "xlsx", "ics")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sop", help="write the dated SOP schedule as csv, xlsx or ics")
    parser.add_argument("plan", metavar="PLAN.json", help="a plan file (see `new`)")
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="the opening day (day 1; default: the plan's start date)")
    parser.add_argument("--format", choices=FORMATS, help="default: from --out's suffix, else csv")
    parser.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    parser.add_argument("--lang", choices=list(i18n.LANGS), default=None, help="default: the plan's language")
    parser.set_defaults(func=run_sop)


def _fail(problem: Problem, lang: str) -> int:
    report([problem], lang)
    return 2


def run_sop(args: argparse.Namespace) -> int:
    msg_lang = args.lang or i18n.DEFAULT_LANG
    name = Path(args.plan).name
    try:
        raw = Path(args.plan).read_bytes()
    except OSError as exc:
        detail = {"detail": exc.strerror or str(exc)}
        return _fail(Problem(key="sop.cli.unreadable", params=detail, file=name), msg_lang)
    plan, problems = plan_from_json(raw, file=name)
    if plan is None:
        report(problems, msg_lang)
        return 2
    lang = args.lang or plan.meta.language
    try:
        start = date.fromisoformat(args.start) if args.start else plan.lifecycle.start_date
    except ValueError:
        return _fail(Problem(key="sop.cli.bad_start", params={"value": args.start}, column="--start"), lang)
    if start is None:
        return _fail(Problem(key="sop.cli.no_start", file=name), lang)
    suffix = Path(args.out).suffix.lstrip(".").lower() if args.out else ""
    fmt = args.format or (suffix if suffix in FORMATS else "csv")
    schedule = sop.expand(plan, start)
    writers = {"csv": sop_export.to_csv, "xlsx": sop_export.to_xlsx, "ics": sop_export.to_ics}
    data = writers[fmt](schedule, plan, lang)
    if args.out:
        try:
            Path(args.out).write_bytes(data)
        except OSError as exc:
            return _fail(Problem(key="sop.cli.unwritable", params={"detail": exc.strerror or str(exc)},
                                 file=args.out), lang)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    print(i18n.t("sop.cli.done", lang, tasks=len(schedule.tasks), standing=len(schedule.standing),
                 first=schedule.start.isoformat(), last=schedule.last_date.isoformat(), format=fmt), file=sys.stderr)
    if schedule.length_assumed:
        print(i18n.t("sop.length_assumed", lang, days=schedule.length_days), file=sys.stderr)
    return 0
