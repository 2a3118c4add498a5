"""Member-data analysis shared by the data and export pages: one cached function, so the export
shows exactly the analysis the data page showed (same settings, computed once)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import streamlit as st

from models.plan import Plan
from pages.ui import state
from planner.data import view as data_view
from planner.data.analysis import Analysis
from planner.data.analytics import analyze
from planner.data.frames import LoadResult


@st.cache_data(show_spinner=False, max_entries=8)
def _analyse(digest: str, _result: LoadResult, plan_json: str, settings_json: str) -> Analysis:
    options = data_view.analysis_options(json.loads(settings_json))
    return analyze(_result, Plan.model_validate_json(plan_json), options)


def analysed(digest: str, result: LoadResult, plan: Plan, settings: dict[str, Any]) -> Analysis:
    """`result` analysed against `plan`, cached on the upload's digest, the plan and the settings."""
    return _analyse(digest, result, plan.model_dump_json(), json.dumps(settings, sort_keys=True))


def analysis_key(digest: str, plan: Plan, settings: dict[str, Any]) -> str:
    """What an analysis depends on (the upload, the plan, the settings) as one short key for the caches of
    what is drawn from it."""
    both = plan.model_dump_json() + json.dumps(settings, sort_keys=True)
    return f"{digest}:{hashlib.sha256(both.encode()).hexdigest()[:16]}"


def loaded_analysis(plan: Plan) -> tuple[Analysis | None, str | None]:
    """(analysis, digest) of the member data loaded on the data page in this session, if any."""
    loaded = state.scratch("data.loaded")  # (digest, LoadResult) kept by the data page
    if not loaded or loaded[1] is None or not loaded[1].ok:
        return None, None
    digest, result = loaded
    settings = state.scratch("data.settings") or data_view.DEFAULT_SETTINGS
    return analysed(digest, result, plan, settings), digest
