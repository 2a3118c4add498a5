"""Errors and findings as values: a message key, its parameters and the place it concerns.

They are turned into localized text only at the edge (`planner.i18n.render_problem`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from models.base import Entity


class Problem(Entity):
    """Something wrong with user input: what (`key` + `params`) and where (file, row, column)."""

    key: str
    params: dict[str, Any] = Field(default_factory=dict)
    file: str | None = None
    row: int | None = None  # 1-based, as a spreadsheet shows it
    column: str | None = None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    TIP = "tip"


class Step(StrEnum):
    """The pages a finding can send the user to."""

    RESEARCH = "research"
    ELEMENTS = "elements"
    POSITIONING = "positioning"
    LIFECYCLE = "lifecycle"
    ROLES = "roles"
    SOP = "sop"
    REPLICATION = "replication"


class Finding(Entity):
    """One result of the plan doctor (or of the SOP design checks that feed it)."""

    rule_id: str
    severity: Severity
    step: Step
    message_key: str
    fix_key: str
    params: dict[str, Any] = Field(default_factory=dict)
