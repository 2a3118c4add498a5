"""Formatting shared by pages, the CLI and exports."""

from __future__ import annotations

from datetime import datetime


def local_time(moment: datetime, seconds: bool = False) -> str:
    """A stored UTC time as the machine's local time, e.g. `2026-11-23 15:04`."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
