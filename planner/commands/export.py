"""`export`: write a plan as DOCX, PDF, HTML, Markdown or JSON, optionally with member data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.plan import Plan
from models.text import clean_text
from planner import i18n
from planner.commands import fail, read_files, report
from planner.data.analysis import Analysis
from planner.data.analytics import analyze
from planner.data.ingest import load_files
from planner.export import FORMATS, export_plan
from planner.plan_core.json_io import plan_from_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export a plan as md, docx, pdf, html or json")
    parser.add_argument("plan", metavar="PLAN.json", help="the plan to export")
    parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
    parser.add_argument("--out", required=True, metavar="FILE", help="output file")
    parser.add_argument("--lang", choices=list(i18n.LANGS), default=None,
                        help="document language (default: the plan's own language)")
    parser.add_argument("--data", action="append", default=[], metavar="FILE",
                        help="member data to add actual values and charts (repeat for several files)")
    parser.set_defaults(func=run_export)


def load_analysis(paths: list[Path], plan: Plan, lang: str) -> tuple[Analysis | None, str | None]:
    """(analysis, None) or (None, error text) for member-data files, through ingest + analytics."""
    files, unreadable = read_files(paths)
    if unreadable:
        return None, i18n.t("export.cli.unreadable", lang, file=str(unreadable[0]), reason=unreadable[1])
    result = load_files(files, plan=plan)
    report(result.problems, lang)
    if not result.ok:
        return None, i18n.t("export.cli.no_data", lang)
    return analyze(result, plan), None


def run_export(args: argparse.Namespace) -> int:
    msg_lang = args.lang or i18n.DEFAULT_LANG
    path = Path(args.plan)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return fail(i18n.t("export.cli.unreadable", msg_lang, file=str(path), reason=exc.strerror or str(exc)))
    plan, problems = plan_from_json(raw, file=path.name)
    if plan is None:
        report(problems, msg_lang)
        return 2
    lang = args.lang or plan.meta.language
    analysis = None
    if args.data:
        analysis, error = load_analysis([Path(d) for d in args.data], plan, lang)
        if error:
            return fail(error)
    data = export_plan(plan, args.fmt, lang, analysis)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        return fail(i18n.t("export.cli.unwritable", lang, file=args.out, reason=exc.strerror or str(exc)))
    print(clean_text(i18n.t("export.cli.written", lang, file=args.out, kb=max(1, len(data) // 1024))), file=sys.stderr)
    return 0
