"""Stable aliases for member ids and nicknames (Plan.data.pseudonymise).

An alias is `<prefix>-0001`, numbered by first appearance in the order the ids are given (the
analysis orders members as the members table, then the activity log, lists them), so the same
member has the same alias in every table, chart and export built from one analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from planner.data.analysis import Analysis

ID_COLUMNS = ("member_id", "nickname")


def alias_map(ids: Iterable[str], prefix: str = "成员", known: dict[str, str] | None = None) -> dict[str, str]:
    """{id: alias} numbered by first appearance, after the aliases already `known` (not changed)."""
    aliases = dict(known or {})
    for member in ids:
        if member not in aliases:
            aliases[member] = f"{prefix}-{len(aliases) + 1:04d}"
    return aliases


def pseudonymise(frame: pd.DataFrame, aliases: dict[str, str] | None = None, prefix: str = "成员") -> pd.DataFrame:
    """A copy of `frame` whose member_id and nickname columns show aliases instead.

    Without `aliases` they are built from the frame's own member_id order. An id missing from
    `aliases` gets a new alias after the known ones (never its real value)."""
    out = frame.copy()
    if "member_id" not in out:
        out = out.drop(columns=[c for c in ID_COLUMNS if c in out])
        return out
    ids = out["member_id"].astype(str)
    out["member_id"] = ids.map(alias_map(ids, prefix, known=aliases))
    if "nickname" in out:
        out["nickname"] = out["member_id"]
    return out


def pseudonymise_ids(ids: Iterable[str], aliases: dict[str, str]) -> list[str]:
    return [aliases.get(str(i), "?") for i in ids]


def pseudonymise_analysis(analysis: Analysis, prefix: str = "成员") -> Analysis:
    """A copy of `analysis` whose member-level parts (member table, presence lists, inactivity
    alerts) name members by alias only; counts, shares and charts are unchanged.

    Aliases are numbered in member-table order, as the data page numbers them, so an export and
    the page call the same member by the same alias."""
    table = analysis.member_table
    ids = table["member_id"].astype(str) if "member_id" in table else []
    aliases = alias_map(ids, prefix)
    return replace(
        analysis,
        member_table=pseudonymise(table, aliases) if not table.empty else table.copy(),
        presence=[{**p, "members": pseudonymise_ids(p.get("members", []), aliases)} for p in analysis.presence],
        inactivity=[
            {**row, "member_id": alias, "nickname": alias}
            for row in analysis.inactivity
            for alias in [aliases.get(str(row["member_id"]), "?")]
        ],
    )
