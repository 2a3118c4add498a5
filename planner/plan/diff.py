"""Field-by-field comparison of two plans, for trainer mode's side-by-side view.

Both plans are flattened to leaf paths ("lifecycle.goals.0.target"). A list of plain values
(group rules, values …) is one leaf shown as lines; a list of objects gives one leaf per item
and field. Identifiers and timestamps are left out (they always differ), and an SOP rule's
owner is shown by role name rather than by role id so that two plans compare on meaning.

Labels are composed from `plan_field.<name>` catalog entries ("生命周期 › 目标 › #1 › 目标值").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from models.enums import CommunityType, Feeling, JoinMode, Layer, Stage
from models.plan import Plan
from models.sop import Audience, EventKind, SopType, TriggerKind
from planner import i18n
from planner.plan.lifecycle import metric_label

IGNORED_FIELDS: frozenset[str] = frozenset({"id", "schema_version", "created_on", "updated_at"})

# Fields whose value is an enum member, by field name: shown with the enum's label.
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "community_type": CommunityType,
    "join_mode": JoinMode,
    "stage": Stage,
    "layer": Layer,
    "type": SopType,
    "audience": Audience,
    "kind": TriggerKind,
    "event": EventKind,
}


class DiffKind(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ONLY_LEFT = "only_left"  # the right plan has no such item (e.g. fewer roles)
    ONLY_RIGHT = "only_right"


class DiffRow(BaseModel):
    path: str
    label: str
    left: str
    right: str
    kind: DiffKind


def _plan_data(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    names = {r.id: r.name or r.id for r in plan.roles}
    for rule in data["sop"]["rules"]:
        rule["owner_role"] = names.get(rule["owner_role"], rule["owner_role"])
        if rule.get("audience") == "role":  # a role by its name; a layer is labelled below
            rule["audience_ref"] = names.get(rule["audience_ref"], rule["audience_ref"])
    return data


def _is_scalar_list(value: list[Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in value)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf paths of JSON-mode plan data; scalar lists stay whole."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in IGNORED_FIELDS:
                continue
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list) and not _is_scalar_list(data):
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}.{i}"))
    else:
        out[prefix] = data
    return out


def field_label(path: str, lang: str) -> str:
    """A readable label for a leaf path: parts joined with " › ", list positions as #n."""
    parts = path.split(".")
    labels = []
    for i, part in enumerate(parts):
        if part.isdigit():
            labels.append(f"#{int(part) + 1}")
        elif i > 0 and parts[i - 1] == "feelings":
            labels.append(i18n.enum_label(Feeling(part), lang))
        else:
            key = f"plan_field.{part}"
            labels.append(i18n.t(key, lang) if i18n.has(key, lang) else part)
    return " › ".join(labels)


def format_value(path: str, value: Any, lang: str) -> str:
    """A leaf value as text: enum labels, yes/no, lists one per line, empty as ""."""
    name = path.split(".")[-1]
    if value is None:
        return ""
    if isinstance(value, bool):
        return i18n.t("diff.yes" if value else "diff.no", lang)
    if isinstance(value, list):
        return "\n".join(format_value(path, v, lang) for v in value)
    if name in ENUM_FIELDS or (name == "audience_ref" and value in {m.value for m in Layer}):
        try:
            return i18n.enum_label(ENUM_FIELDS.get(name, Layer)(value), lang)
        except ValueError:
            return str(value)
    if name == "metric":  # a KPI's measured metric by its label (free text stays as written)
        return metric_label(str(value), lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def diff_plans(left: Plan, right: Plan, lang: str = i18n.DEFAULT_LANG, only_changes: bool = True) -> list[DiffRow]:
    """Rows for every leaf path of either plan, in the left plan's order then the right's extras.

    With `only_changes`, rows whose two values read the same are left out."""
    a, b = flatten(_plan_data(left)), flatten(_plan_data(right))
    paths = list(a) + [p for p in b if p not in a]
    rows = []
    for path in paths:
        left_text = format_value(path, a.get(path), lang) if path in a else ""
        right_text = format_value(path, b.get(path), lang) if path in b else ""
        if path not in b:
            kind = DiffKind.ONLY_LEFT
        elif path not in a:
            kind = DiffKind.ONLY_RIGHT
        else:
            kind = DiffKind.SAME if left_text == right_text else DiffKind.CHANGED
        if only_changes and (kind == DiffKind.SAME or (not left_text and not right_text)):
            continue
        rows.append(DiffRow(path=path, label=field_label(path, lang), left=left_text, right=right_text, kind=kind))
    return rows
