"""A file uploader that speaks the interface language.

Streamlit draws the uploader's button ("Upload") and its size line ("200MB per file") itself, in
English, with no parameter to change them. Both are relabelled here with CSS (the text comes from
the catalog, not from users), so a Chinese page shows Chinese. The words Streamlit shows only while
a file is dragged over the box ("Drag and drop files here") stay English: see README, Known limits.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.ui import state

_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 14px; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{hint}"; font-size: 14px; }}
</style>"""


def _css_text(text: str) -> str:
    """A catalog text as a CSS string's content (no quote or backslash can end it early)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def file_uploader(label: str, **kwargs: Any) -> Any:
    """`st.file_uploader` with its button and size line in the interface language."""
    limit = int(st.get_option("server.maxUploadSize"))
    st.html(_CSS.format(button=_css_text(state.t_plain("widget.upload.button")),
                        hint=_css_text(state.t_plain("widget.upload.hint", mb=limit))))
    return st.file_uploader(label, **kwargs)
