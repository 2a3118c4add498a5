"""Charts drawn from Vega-Lite specs made once, not from altair charts converted on every run.

`st.altair_chart` converts its chart to a spec on each run, checking every part against the Vega-Lite
schema: for the SOP page's Gantt and workload charts of a year that took 0.2-1 s of every run, cached
charts or not. A spec made once (per cache key, or with the cached views it belongs to) is drawn with
`st.vega_lite_chart` in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit import dataframe_util

# What altair's default theme adds to every spec; streamlit's own altair_chart leaves it out (the chart
# takes the container's width), and so do the specs made here.
_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


def to_spec(chart: Any) -> dict[str, Any]:
    """An altair chart's Vega-Lite spec as `st.altair_chart` would draw it."""
    spec = chart.to_dict(validate=False)  # the charts are validated where they are made (the planner's tests)
    config = spec.get("config", {})
    if config.get("view") == _DEFAULT_VIEW:
        del config["view"]
        if not config:
            del spec["config"]
    # Rows as Arrow bytes, the form Streamlit sends them in; left as records it converts them on every
    # run (some 35 ms for the SOP page's two charts of a year).
    for name, values in spec.get("datasets", {}).items():
        if isinstance(values, list):
            spec["datasets"][name] = dataframe_util.convert_anything_to_arrow_bytes(values)
    return spec


@st.cache_data(show_spinner=False, max_entries=128)
def _spec(key: str, _build: Callable[[], Any]) -> dict[str, Any] | None:
    """A chart's spec, built once per key."""
    chart = _build()
    return None if chart is None else to_spec(chart)


def draw(key: str, build: Callable[[], Any], where: Any = None, *, height: int | None = None) -> bool:
    """The chart `build()` makes (an altair chart or None), drawn full width in `where` (default: here)
    from the spec cached under `key`, which must name everything the chart depends on. False: no chart."""
    spec = _spec(key, build)
    if spec is None:
        return False
    (where or st).vega_lite_chart(spec=spec, width="stretch", height=height if height is not None else "content")
    return True
