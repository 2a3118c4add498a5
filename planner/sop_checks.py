"""SOP design checks that feed the plan doctor (filled in by the SOP issue)."""

from __future__ import annotations

from models.plan import Plan
from models.problems import Finding


def design_findings(plan: Plan) -> list[Finding]:
    """Findings about the plan's SOP rules (owners, capacity, quiet hours, marketing share …)."""
    return []
