"""Typed entities. `Plan` is the aggregate; everything else is a part of it or a result type."""

from models.enums import CommunityType, Feeling, JoinMode, Layer, Stage
from models.plan import SCHEMA_VERSION, Plan
from models.problems import Finding, Problem, Severity, Step
from models.sop import SopRule, Trigger, TriggerKind

__all__ = [
    "SCHEMA_VERSION",
    "CommunityType",
    "Feeling",
    "Finding",
    "JoinMode",
    "Layer",
    "Plan",
    "Problem",
    "Severity",
    "SopRule",
    "Stage",
    "Step",
    "Trigger",
    "TriggerKind",
]
