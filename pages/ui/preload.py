"""Elements drawn out of sight so that the browser has their code before a page needs it.

Streamlit's browser side fetches the code of each kind of element (a chart, a switch, a number or date
field, a headline figure …) the first time a page shows one, and until it arrives the element is a grey
placeholder; the chart code alone is some 1.5 MB of JavaScript. A page about to show them (the data page
before a file is chosen) draws one of each invisibly, while the user is still picking the file, and the
upload's page then appears whole instead of its charts and tiles waiting for their code (0.4-0.6 s of a
5,000-message upload on a busy 2-core machine, `python benchmarks/browser_data.py --only chat`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.ui import state

# A two-point line without text: the smallest chart that makes the browser load and start Vega.
_CHART: dict[str, Any] = {
    "data": {"values": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]},
    "mark": "line",
    "encoding": {"x": {"field": "x", "type": "quantitative", "title": None},
                 "y": {"field": "y", "type": "quantitative", "title": None}},
}
# Out of the page's flow and invisible (also to screen readers and the tab key), but laid out, so that
# the chart is really drawn.
_CSS = ("<style>.st-key-preload{position:absolute;width:160px;height:1px;overflow:hidden;visibility:hidden;"
        "pointer-events:none}</style>")


def data_elements() -> None:
    """The kinds of element the data page shows once a file is loaded that no page shows before."""
    st.html(_CSS)
    label = state.t("data.period")  # any catalog text: the labels are never seen, but are texts of the page
    with st.container(key="preload"):
        st.vega_lite_chart(spec=_CHART, width=120, height=20)
        st.metric(label, "0")
        st.toggle(label, key="preload.toggle", label_visibility="collapsed")
        st.number_input(label, key="preload.number", label_visibility="collapsed")
        st.date_input(label, value=None, key="preload.date", label_visibility="collapsed")
        st.radio(label, [label], key="preload.radio", label_visibility="collapsed")
        st.progress(0)
