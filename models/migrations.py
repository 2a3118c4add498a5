"""Upgrade saved plan JSON from older schema versions to the current one.

Each step takes the dict of version N and returns the dict of version N+1. Plans written before
versioning existed (no `schema_version` key, the early draft format) count as version 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from models.plan import SCHEMA_VERSION

PlanDict = dict[str, Any]


class NewerSchemaError(ValueError):
    def __init__(self, found: int) -> None:
        super().__init__(f"plan schema_version {found} is newer than {SCHEMA_VERSION}")
        self.found = found


def _v0_to_v1(data: PlanDict) -> PlanDict:
    # The draft format held a single `lifecycle.goal` object; version 1 keeps a list.
    lifecycle = dict(data.get("lifecycle") or {})
    if "goal" in lifecycle:
        goal = lifecycle.pop("goal")
        lifecycle["goals"] = [goal] if goal else []
    if lifecycle or "lifecycle" in data:
        data["lifecycle"] = lifecycle
    data["schema_version"] = 1
    return data


def _v1_to_v2(data: PlanDict) -> PlanDict:
    # KPIs get ids. Derived from the position, not random: two sessions that each load the same
    # stored version-1 plan must upgrade it to the same ids, or merging their edits would see every
    # KPI as deleted by one side and added by the other. New KPIs get 8 hex digits, never "kpi-N".
    kpis = data.get("kpis")
    if isinstance(kpis, list):
        data["kpis"] = [
            {"id": f"kpi-{n}", **kpi} if isinstance(kpi, dict) and "id" not in kpi else kpi
            for n, kpi in enumerate(kpis, start=1)
        ]
    data["schema_version"] = 2
    return data


def _names_metric(kpi: Any, metric: str) -> bool:
    return isinstance(kpi, dict) and metric in (str(kpi.get("metric", "")).strip(), str(kpi.get("label", "")).strip())


def _v2_to_v3(data: PlanDict) -> PlanDict:
    # Version 3 adds sections with empty defaults (standard behaviours, retention drivers, the long-term
    # goal, admin training, group set-up, the operator self-check, the review loop, Kpi.measures_goal)
    # and the long-term stage. A version-2 plan states its one goal as its first goal; a KPI whose metric
    # or label is that goal's metric is marked as measuring it, so the doctor does not ask for one the
    # plan already has.
    goals = (data.get("lifecycle") or {}).get("goals") or []
    metric = goals[0].get("metric", "").strip() if goals and isinstance(goals[0], dict) else ""
    kpis = data.get("kpis")
    if metric and isinstance(kpis, list):
        data["kpis"] = [{**kpi, "measures_goal": True} if _names_metric(kpi, metric) else kpi for kpi in kpis]
    data["schema_version"] = 3
    return data


# Before version 4 a {price} in a 话术 was a bare number and the default scripts wrote the unit after it;
# now the value carries its currency ("199 元", "£39"), so the unit typed after it goes.
_PRICE_UNIT = re.compile(r"\{price\}\s*(?:元|yuan)")


def _v3_to_v4(data: PlanDict) -> PlanDict:
    # Version 4 adds meta.currency. Every plan before it was priced in yuan, the only unit shown.
    meta = data.get("meta")
    if isinstance(meta, dict):
        data["meta"] = {**meta, "currency": meta.get("currency", "CNY")}
    sop = data.get("sop")
    rules = sop.get("rules") if isinstance(sop, dict) else None
    if isinstance(rules, list):
        data["sop"] = {**sop, "rules": [
            {**rule, "script": _PRICE_UNIT.sub("{price}", rule["script"])}
            if isinstance(rule, dict) and isinstance(rule.get("script"), str) else rule
            for rule in rules
        ]}
    data["schema_version"] = 4
    return data


STEPS: dict[int, Callable[[PlanDict], PlanDict]] = {0: _v0_to_v1, 1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def schema_version_of(data: PlanDict) -> int:
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError("schema_version must be a non-negative whole number")
    return version


def upgrade(data: PlanDict) -> PlanDict:
    """Return `data` upgraded to SCHEMA_VERSION (a new dict; the input is not changed)."""
    data = dict(data)
    version = schema_version_of(data)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    while version < SCHEMA_VERSION:
        data = STEPS[version](data)
        version = schema_version_of(data)
    return data
