"""`doctor`: check a plan JSON file and print the findings.

Exit status: 0 when there is no error finding, 1 when there is one, 2 when the file cannot be read
or is not a valid plan (the reasons go to standard error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.plan import Plan
from models.problems import Finding, Problem
from models.text import clean_text
from planner import i18n
from planner.commands import report
from planner.plan import doctor
from planner.plan.progress import completeness, step_label
from planner.plan_core.json_io import plan_from_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check a plan and list what is missing or risky")
    parser.add_argument("plan", metavar="PLAN.json", help="a plan file (see `new`)")
    parser.add_argument("--lang", choices=list(i18n.LANGS), default=i18n.DEFAULT_LANG)
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(func=run_doctor)


def read_plan(path: str) -> tuple[Plan | None, list[Problem]]:
    """The plan in `path`, or the problems that stop reading it (never raises)."""
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(key="doctor.cli.unreadable", params={"detail": exc.strerror or str(exc)}, file=name)]
    return plan_from_json(raw, file=name)


def findings_as_json(plan: Plan, findings: list[Finding], lang: str) -> dict:
    progress = completeness(plan)
    rows = []
    for f in findings:
        message, fix = doctor.render_finding(f, lang)
        rows.append({**f.model_dump(mode="json"), "message": message, "fix": fix})
    return {
        "plan": plan.meta.name,
        "has_errors": doctor.has_errors(findings),
        "counts": {k.value: v for k, v in doctor.count_by_severity(findings).items()},
        "completeness": {"score": progress.score,
                         "steps": {s.step: {"filled": s.filled, "total": s.total} for s in progress.steps}},
        "findings": rows,
    }


def findings_as_text(plan: Plan, findings: list[Finding], lang: str) -> str:
    progress = completeness(plan)
    name = plan.meta.name or i18n.t("plan.untitled", lang)
    lines = [i18n.t("doctor.cli.title", lang, name=name)]
    steps = i18n.t("doctor.list_sep", lang).join(
        f"{step_label(s.step, lang)} {s.filled}/{s.total}" for s in progress.steps
    )
    lines.append(i18n.t("doctor.cli.completeness", lang, score=progress.score, steps=steps))
    if not findings:
        lines.append(i18n.t("doctor.all_good", lang))
    for f in findings:
        message, fix = doctor.render_finding(f, lang)
        lines.append(f"[{i18n.enum_label(f.severity, lang)}] {i18n.enum_label(f.step, lang)} · {message}")
        lines.append(f"    → {fix}")
    counts = doctor.count_by_severity(findings)
    lines.append(i18n.t("doctor.cli.summary", lang, **{k.value: v for k, v in counts.items()}))
    return "\n".join(lines) + "\n"


def run_doctor(args: argparse.Namespace) -> int:
    plan, problems = read_plan(args.plan)
    if plan is None:
        report(problems, args.lang)
        return 2
    findings = doctor.diagnose(plan)  # once: the output and the exit status use the same findings
    if args.json:
        text = json.dumps(findings_as_json(plan, findings, args.lang), ensure_ascii=False, indent=2) + "\n"
    else:
        text = findings_as_text(plan, findings, args.lang)
    sys.stdout.write(clean_text(text))  # see planner.commands: no control characters to the terminal
    return 1 if doctor.has_errors(findings) else 0
