"""The metric dictionary: one written definition per metric, shown by the data page and the export.

The definitions (catalog keys `data.metric.<key>.name` / `.definition`) describe exactly what
`planner.data.analytics` computes; change both together. The first eight keys are the KPI metrics a
plan's `Kpi.metric` may name (anything else is a manual KPI).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import i18n
from planner.data.analysis import KPI_METRICS


@dataclass(frozen=True)
class Metric:
    key: str
    unit: str  # "count" | "share" (0–1) | "table"
    kpi: bool


_OTHER = (
    ("events", "count"), ("joins", "count"), ("checkins", "count"),
    ("dau", "count"), ("wau", "count"), ("mau", "count"), ("new_per_period", "count"),
    ("active_per_period", "count"), ("retention", "share"), ("funnel", "table"), ("layers", "table"),
    ("presence", "table"), ("concentration", "table"), ("inactivity", "table"), ("before_after", "table"),
)
_KPI_UNITS = {"checkin_rate": "share", "dau_mau": "share", "retention_m1": "share"}

METRICS: tuple[Metric, ...] = (
    *(Metric(k, _KPI_UNITS.get(k, "count"), True) for k in KPI_METRICS),
    *(Metric(k, unit, False) for k, unit in _OTHER),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


def name(key: str, lang: str = i18n.DEFAULT_LANG) -> str:
    return i18n.t(f"data.metric.{key}.name", lang)


def definition(key: str, lang: str = i18n.DEFAULT_LANG) -> str:
    return i18n.t(f"data.metric.{key}.definition", lang)


def dictionary(lang: str = i18n.DEFAULT_LANG) -> list[dict[str, str | bool]]:
    """Every metric with its name and definition in `lang` (KPI metrics first)."""
    return [{"key": m.key, "name": name(m.key, lang), "definition": definition(m.key, lang), "unit": m.unit,
             "kpi": m.kpi} for m in METRICS]


def is_measured(metric: str) -> bool:
    """Whether a KPI's metric text is one the analytics measure (else it is a manual KPI)."""
    return metric in KPI_METRICS
