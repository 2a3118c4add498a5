"""Guarded access to the teammates' modules the export draws on (summary, doctor, charts, SOP
schedule, analytics, metric dictionary).

Each helper returns None when its module (or the function) is not there yet or fails, so the
export always works and simply leaves that optional section out. Failures are logged, not raised:
a half-built chart must never stop a user from taking their plan away.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def function(module: str, *names: str) -> Callable[..., Any] | None:
    """The first of `names` found in `planner.<module>`, or None."""
    try:
        mod = importlib.import_module(f"planner.{module}")
    except ImportError:
        return None
    for name in names:
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn
    return None


def call(fn: Callable[..., Any] | None, *args: Any, **kwargs: Any) -> Any:
    """`fn` with the leading positional args and keyword args its signature accepts; None on failure.

    Lets us pass (plan, lang) to a function that only takes (plan) without guessing at TypeErrors."""
    if fn is None:
        return None
    try:
        params = inspect.signature(fn).parameters
        positional = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        takes_var = any(p.kind == p.VAR_POSITIONAL for p in params.values())
        used = args if takes_var else args[: len(positional)]
        names = {p.name for p in positional[len(used):]} | {
            p.name for p in params.values() if p.kind == p.KEYWORD_ONLY
        }
        kw = {k: v for k, v in kwargs.items() if k in names or any(p.kind == p.VAR_KEYWORD for p in params.values())}
        return fn(*used, **kw)
    except Exception:  # a teammate's module in progress must not break the export
        log.warning("export: %s failed", getattr(fn, "__qualname__", fn), exc_info=True)
        return None


def one_page(plan: Any, lang: str) -> Any:
    return call(function("summary", "one_page"), plan, lang)


def diagnose(plan: Any) -> list[Any] | None:
    result = call(function("doctor", "diagnose"), plan)
    return list(result) if result is not None else None


def stage_timeline(plan: Any, lang: str) -> Any:
    return call(function("charts_plan", "stage_timeline"), plan, lang)


def schedule(plan: Any) -> Any:
    """The dated task list (`planner.sop.expand(plan, start)`), or None."""
    if plan.lifecycle.start_date is None:
        return None
    return call(function("sop", "expand"), plan, plan.lifecycle.start_date)


def gantt(plan: Any, tasks: Any, lang: str) -> Any:
    fn = function("charts_sop", "gantt", "gantt_chart", "schedule_gantt")
    if fn is None:
        return None
    names = list(inspect.signature(fn).parameters)
    # gantt(plan, tasks, lang) or gantt(tasks, lang): pass what the signature names.
    if names and names[0] in ("plan",):
        return call(fn, plan, tasks, lang, lang=lang)
    return call(fn, tasks, lang, lang=lang)


def metric_dictionary(lang: str) -> Any:
    return call(function("metrics", "dictionary", "metric_dictionary", "definitions"), lang, lang=lang)


def plan_vs_actual(plan: Any, analysis: Any) -> list[dict[str, Any]] | None:
    """One row per KPI of the plan (same order) with at least `actual` and `status`, or None.

    An analysis made with the plan already carries these rows; otherwise ask analytics."""
    rows = getattr(analysis, "plan_vs_actual", None)
    if not rows and plan.kpis:
        rows = call(function("analytics", "plan_vs_actual"), plan, analysis)
    if rows is None or len(rows) != len(plan.kpis):
        return None
    return [r if isinstance(r, dict) else {"actual": r, "status": ""} for r in rows]


def metric_name(key: str, lang: str) -> str:
    """The dictionary's name of a measured metric; a free-text (manual) KPI metric as written."""
    metrics = _module("metrics")
    known = getattr(metrics, "METRIC_BY_KEY", {}) if metrics else {}
    if key in known:
        named = call(getattr(metrics, "name", None), key, lang)
        if isinstance(named, str) and not named.startswith("data.metric."):
            return named
    return key


def _module(name: str) -> Any:
    try:
        return importlib.import_module(f"planner.{name}")
    except ImportError:
        return None


def analysis_overview(analysis: Any, lang: str) -> list[tuple[str, Any]]:
    """Headline numbers of an analysis (members, events, …) as (label, value) rows."""
    from planner import i18n

    data = analysis
    if hasattr(analysis, "model_dump"):
        data = analysis.model_dump()
    elif hasattr(analysis, "__dataclass_fields__"):
        data = {k: getattr(analysis, k) for k in analysis.__dataclass_fields__}
    if not isinstance(data, dict):
        return []
    rows = []
    for key in ("members", "events", "bad_rows"):
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            rows.append((i18n.t(f"export.data.{key}", lang), value))
    return rows


def data_charts(analysis: Any, plan: Any, lang: str) -> list[tuple[str, Any]]:
    """(caption, chart) pairs of the member-data charts, when the charts module offers them."""
    fn = function("charts_data", "export_charts", "all_charts", "charts")
    result = call(fn, analysis, lang, plan=plan, lang=lang) if fn is not None else None
    if not result:
        return []
    if isinstance(result, dict):
        return [(str(k), v) for k, v in result.items() if v is not None]
    return [(str(c), v) for c, v in result if v is not None]
