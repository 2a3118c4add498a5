"""Per-member metrics: member layers (activist / watcher / lurker), how concentrated activity is,
and the members who fell silent after being active."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.data.analysis import LAYER_ORDER, AnalysisOptions
from planner.data.day_arrays import day_label, unique
from planner.data.events import Events

# the layers in LAYER_ORDER, then "" (not a current member)
LAYER_DTYPE = pd.CategoricalDtype([layer.value for layer in LAYER_ORDER] + [""])


def layer_column(positions: np.ndarray) -> pd.Categorical:
    """The layer of each member by its position in LAYER_ORDER (-1: ""), as a categorical: a column of
    thousands of short texts took pandas a millisecond to convert."""
    return pd.Categorical.from_codes(np.where(positions < 0, len(LAYER_ORDER), positions), dtype=LAYER_DTYPE)


def assign_layers(checkin_days: np.ndarray, messages: np.ndarray, cfg: Any) -> np.ndarray:
    """Per member, the position in LAYER_ORDER of the first layer (activist → watcher → lurker) whose
    thresholds it meets; else of the last layer."""
    if cfg is None:
        from models.plan import MemberLayers
        cfg = MemberLayers()
    layers = sorted(cfg.layers, key=lambda ly: LAYER_ORDER.index(ly.layer))
    out = np.full(len(checkin_days), LAYER_ORDER.index(layers[-1].layer) if layers else len(LAYER_ORDER) - 1)
    done = np.zeros(len(checkin_days), dtype=bool)
    for ly in layers:
        meets = (checkin_days >= ly.min_checkin_days) & (messages >= ly.min_messages) & ~done
        out[meets] = LAYER_ORDER.index(ly.layer)
        done |= meets
    return out


def concentration(events_per: np.ndarray) -> dict[str, Any]:
    counts = np.sort(events_per[events_per > 0])[::-1]
    total = int(counts.sum())
    if not total:
        return {"total_events": 0, "active_members": 0, "members_for_half": 0, "top1_share": None,
                "top5_share": None, "curve": []}
    cum = np.cumsum(counts)
    half = int(np.searchsorted(cum, total / 2) + 1)  # smallest n with cum[n-1] ≥ total/2
    n = len(counts)
    points = unique(np.linspace(0, n, num=min(n, 200) + 1).astype(int))
    curve = [{"members_share": float(p / n), "events_share": float(cum[p - 1] / total if p else 0.0)} for p in points]
    return {"total_events": total, "active_members": n, "members_for_half": half,
            "members_for_half_share": half / n, "top1_share": float(cum[0] / total),
            "top5_share": float(cum[min(5, n) - 1] / total), "curve": curve}


def inactivity(data: Events, last_active: np.ndarray, nd: int, current: np.ndarray,
                options: AnalysisOptions) -> list[dict[str, Any]]:
    """Members with ≥ min events in the prior window who have been silent for the last `silent` days."""
    silent, prior = options.inactive_silent_days, options.inactive_prior_days
    cut = data.start + nd - 1 - silent  # the last day before the silence
    recent, window = data.between(cut), data.between(cut - prior, cut)
    recent, before = data.active_events(recent), data.active_events(window)
    who = np.flatnonzero((before >= options.inactive_min_events) & (recent == 0) & current)
    who = who[np.argsort(-before[who], kind="stable")]
    return [{"member_id": data.ids[int(m)].as_py(), "nickname": data.names[int(m)].as_py(),
             "prior_events": int(before[m]), "last_active": day_label(last_active[m]) if last_active[m] >= 0 else None}
            for m in who]
