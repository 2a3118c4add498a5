"""`export`: write a plan as DOCX, PDF, HTML, Markdown or JSON, optionally with member data."""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from models.plan import Plan
from models.text import clean_text
from planner import i18n
from planner.commands import fail, read_files, report
from planner.data.analysis import Analysis
from planner.data.analytics import analyze
from planner.data.ingest import load_files
from planner.export import FORMATS, ZIP, delivered_as, export_plan
from planner.plan_core.json_io import plan_from_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export a plan as md, docx, pdf, html or json")
    parser.add_argument("plan", metavar="PLAN.json", help="the plan to export")
    parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="output file (Markdown with charts: FILE plus a charts/ folder beside it, "
                             "or one ZIP when FILE ends in .zip)")
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
    out = Path(args.out)
    unpack = delivered_as(args.fmt, data) is ZIP and out.suffix.lower() != ".zip"
    try:
        charts = _unpack(data, out) if unpack else 0
        if not unpack:
            out.write_bytes(data)
    except OSError as exc:
        return fail(i18n.t("export.cli.unwritable", lang, file=args.out, reason=exc.strerror or str(exc)))
    kb = max(1, (out.stat().st_size if unpack else len(data)) // 1024)
    message = (i18n.t("export.cli.written_charts", lang, file=args.out, kb=kb, count=charts,
                      folder=str(out.parent / "charts")) if unpack
               else i18n.t("export.cli.written", lang, file=args.out, kb=kb))
    print(clean_text(message), file=sys.stderr)
    return 0


def _unpack(data: bytes, out: Path) -> int:
    """A Markdown ZIP written as the page's download would unpack: the text as `out`, the charts in a
    `charts` folder beside it (where the text's relative links point). Returns the number of charts."""
    from planner.export.markdown import CHARTS_DIR, DOCUMENT_NAME

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [name for name in archive.namelist() if name.startswith(f"{CHARTS_DIR}/")]
        folder = out.parent / CHARTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for name in charts:
            (folder / Path(name).name).write_bytes(archive.read(name))
        out.write_bytes(archive.read(DOCUMENT_NAME))
    return len(charts)
