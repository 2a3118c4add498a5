"""One row per participant of a workshop, for the trainer's dashboard, `workshop show` and the summary
spreadsheet: the same figures everywhere (planner.plan.progress for completeness,
planner.plan.doctor for findings)."""

from __future__ import annotations

from typing import Any

from models.problems import Severity
from planner.plan.doctor import count_by_severity, diagnose, render_finding
from planner.plan.progress import STEPS, completeness, step_label
from planner.store import PlanStore, StorageError, WorkshopStore


def _workshops(store: PlanStore | WorkshopStore) -> WorkshopStore:
    return store if isinstance(store, WorkshopStore) else WorkshopStore(store)


def workshop_report(store: PlanStore | WorkshopStore, code: str, lang: str) -> list[dict[str, Any]]:
    """Every participant in order of joining, as a dict:

    - `participant_id`, `name` (display name), `plan_id`, `plan_name`
    - `completeness`: 0–100 overall (the mean of the step ratios, as the sidebar shows it)
    - `steps`: {step: percent} for every step of planner.plan.progress.STEPS (meta first)
    - `step_labels`: {step: its name in `lang`}
    - `errors`, `warnings`, `tips`: how many findings of each severity
    - `findings`: the error and warning messages in `lang`, errors first
    - `last_step`, `last_seen` (None before the first touch), `joined_at`
    - `missing`: True when the participant's plan is gone (figures then 0 and empty)

    StorageError("storage.not_found") for an unknown code."""
    workshops = _workshops(store)
    labels = {step: step_label(step, lang) for step in STEPS}
    rows: list[dict[str, Any]] = []
    for person in workshops.participants(code):
        row: dict[str, Any] = {
            "participant_id": person.id,
            "name": person.name,
            "plan_id": person.plan_id,
            "plan_name": "",
            "completeness": 0,
            "steps": dict.fromkeys(STEPS, 0),
            "step_labels": labels,
            "errors": 0,
            "warnings": 0,
            "tips": 0,
            "findings": [],
            "last_step": person.last_step,
            "last_seen": person.last_seen,
            "joined_at": person.joined_at,
            "missing": False,
        }
        try:
            plan = workshops.store.get(person.plan_id)
        except StorageError as exc:
            if exc.key not in ("storage.not_found", "storage.unreadable_plan"):
                raise
            row["missing"] = True
            rows.append(row)
            continue
        progress = completeness(plan)
        findings = diagnose(plan)
        counts = count_by_severity(findings)
        row.update(
            plan_name=plan.meta.name,
            completeness=progress.score,
            steps={s.step: s.percent for s in progress.steps},
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            tips=counts[Severity.TIP],
            findings=[render_finding(f, lang)[0] for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)],
        )
        rows.append(row)
    return rows
