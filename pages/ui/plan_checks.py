"""The plan doctor's findings, worked out once per plan version and shared by every session.

A year-long plan takes the doctor's rules plus a full SOP expansion (tens of ms on a quiet machine,
several hundred on a busy one) and the doctor page asked again on every run: choosing a filter,
coming back to the page, a second person opening the same plan. Read only: callers do not change
the findings they get (they are pydantic models shared between sessions).
"""

from __future__ import annotations

import streamlit as st

from models.plan import Plan
from models.problems import Finding
from planner import i18n
from planner.plan import doctor


@st.cache_resource(show_spinner=False, max_entries=32)
def _diagnose(plan_json: str) -> tuple[Finding, ...]:
    return tuple(doctor.diagnose(Plan.model_validate_json(plan_json)))


def findings_of(plan: Plan, lang: str) -> list[Finding]:
    """`planner.plan.doctor.diagnose(plan)`, cached by the plan's content (its JSON)."""
    with st.spinner(i18n.t("doctor.working", lang)):  # shown only when it takes over half a second
        return list(_diagnose(plan.model_dump_json()))
