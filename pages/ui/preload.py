"""The code of the elements a page is about to show, loaded by the browser while it has nothing else to do.

Streamlit's browser side fetches the code of each kind of element (a chart, a switch, a number or date
field, a headline figure …) the first time a page shows one, and until it arrives the element is a grey
placeholder; the chart code alone is some 1.5 MB of JavaScript. The data page shows none of them before
a file is chosen and all of them after, so the upload's page waited for their code (0.4-0.6 s of a
5,000-message upload on a busy 2-core machine, `python benchmarks/browser_data.py --only chat`).

A small component asks the browser, once it is idle (after the page is drawn, while the user picks a
file), to import those modules; Streamlit's own later import of the same files then finds them loaded.
Drawing hidden elements instead did the same but competed with drawing the page itself: opening the
data page took twice as long. Safety: the JavaScript is a constant; the file names (read from
Streamlit's own static folder, so they follow its version) reach it as the component's data and are
only ever resolved as URLs next to Streamlit's own script.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import streamlit as st

_JS = r"""
export default function (component) {
  const files = (component.data && component.data.files) || [];
  const done = window.__copPreloaded || (window.__copPreloaded = new Set());
  const index = document.querySelector('script[type="module"][src*="/static/js/"]');
  const todo = files.filter(f => !done.has(f));
  if (!index || !todo.length) return;
  todo.forEach(f => done.add(f));
  const load = () => {
    for (const f of todo) import(new URL(f, index.src).href).catch(() => done.delete(f));
  };
  if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 1500 });
  else setTimeout(load, 300);
}
"""

# Out of the page's flow: the component draws nothing, but its place would still add a gap.
_CSS = "<style>.st-key-preload{display:none}</style>"

_component = st.components.v2.component("community_planner.preload", js=_JS)

_STATIC = Path(st.__file__).parent / "static" / "static" / "js"

# What the data page shows once a file is loaded and not before: charts (Vega and its expression
# interpreter come in their own files), headline figures, switches, number and date fields, choices,
# the progress bar.
DATA_PAGE = ("ArrowVegaLiteChart", "embed", "vega-interpreter", "Metric", "Checkbox", "NumberInput",
             "DateInput", "Radio", "Progress")


@cache
def chunk_files(names: tuple[str, ...]) -> tuple[str, ...]:
    """The file names of Streamlit's browser modules called `names` (`Name.<hash>.js`) in this version."""
    pattern = re.compile(rf"(?:{'|'.join(map(re.escape, names))})\.[A-Za-z0-9_-]+\.js")
    return tuple(sorted(p.name for p in _STATIC.glob("*.js") if pattern.fullmatch(p.name)))


def modules(names: tuple[str, ...]) -> None:
    """Have the browser load the modules of `names` when it is idle (nothing is drawn)."""
    files = chunk_files(names)
    if files:
        st.html(_CSS)
        _component(key="preload", data={"files": list(files)}, height="content")
