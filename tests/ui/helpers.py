"""AppTest helpers: run the whole app (navigation + sidebar) on a chosen page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def app_on(page: str | None = None, timeout: float = 30) -> AppTest:
    """The app, run once, then switched to `page` (e.g. "pages/doctor.py") and run again."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at
