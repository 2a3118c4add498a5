"""Every run goes through app.py, also the first one after a start that opens a page's address.

Streamlit treats an app with a `pages/` folder as a legacy multipage app until `st.navigation` has
been called once in the process. So when the first visit after a (re)start opens a page directly (a
bookmark, or a browser tab reconnecting to /sop after a restart), Streamlit runs that page file
alone, with an automatic sidebar listing file names and without app.py's navigation, language switch
and save status. This module is imported by `state` (which every page and app.py import), so it
runs in that first run: it switches the legacy mode off and runs again, now through app.py, which
opens the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

try:  # the flag has no public setter; should a later Streamlit move it, this guard does nothing
    from streamlit.runtime.pages_manager import PagesManager
except ImportError:  # pragma: no cover - depends on the Streamlit version
    PagesManager = None  # type: ignore[assignment,misc]


def leave_legacy_pages_mode() -> bool:
    """Switch the legacy `pages/` mode off; True when it was on (a rerun through app.py follows)."""
    if PagesManager is None or not getattr(PagesManager, "uses_pages_directory", False):
        return False
    PagesManager.uses_pages_directory = False
    if get_script_run_ctx() is not None:
        st.rerun()
    return True


leave_legacy_pages_mode()
