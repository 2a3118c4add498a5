"""One row per participant of a workshop, for the trainer's dashboard, `workshop show` and the summary
spreadsheet: the same figures everywhere (planner.plan.progress for completeness,
planner.plan.doctor for findings)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from models.problems import Severity
from planner.plan.doctor import count_by_severity, diagnose, render_finding
from planner.plan.progress import STEPS, completeness, step_label
from planner.store import PlanStore, StorageError, WorkshopStore

# A plan's figures per (plan id, stored version, language). The dashboard refreshes every 3 s and
# most plans have not changed since the last time; reading 30 plans and running the doctor on each
# was most of a refresh. Plan ids are random (uuid), and every save moves the version.
_FIGURES: OrderedDict[tuple[str, int, str], dict[str, Any]] = OrderedDict()
_FIGURES_KEPT = 1000
_FIGURES_LOCK = threading.Lock()


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
    versions = workshops.plan_versions(code)
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
            figures = _figures(workshops.store, person.plan_id, versions.get(person.plan_id), lang)
        except StorageError as exc:
            if exc.key not in ("storage.not_found", "storage.unreadable_plan"):
                raise
            row["missing"] = True
            rows.append(row)
            continue
        row.update(figures, steps=dict(figures["steps"]), findings=list(figures["findings"]))
        rows.append(row)
    return rows


def _figures(store: PlanStore, plan_id: str, version: int | None, lang: str) -> dict[str, Any]:
    """The plan's name, completeness and doctor's findings, computed once per stored version (kept
    under the version actually read, should a save have come in between). StorageError when the plan
    is gone or unreadable."""
    if version is not None:
        with _FIGURES_LOCK:
            known = _FIGURES.get((plan_id, version, lang))
            if known is not None:
                _FIGURES.move_to_end((plan_id, version, lang))
                return known
    plan, read = store.get_versioned(plan_id)
    progress = completeness(plan)
    findings = diagnose(plan)
    counts = count_by_severity(findings)
    figures = {
        "plan_name": plan.meta.name,
        "completeness": progress.score,
        "steps": {s.step: s.percent for s in progress.steps},
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "tips": counts[Severity.TIP],
        "findings": [render_finding(f, lang)[0] for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)],
    }
    with _FIGURES_LOCK:
        _FIGURES[(plan_id, read, lang)] = figures
        while len(_FIGURES) > _FIGURES_KEPT:
            _FIGURES.popitem(last=False)
    return figures
