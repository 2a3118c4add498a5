"""Where the project's files live; settings read once from the environment, here and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
LOCALES = ASSETS / "locales"
EXAMPLES = ASSETS / "examples"
SAMPLE_DATA = ASSETS / "sample"

DB_ENV_VAR = "COMMUNITY_PLANNER_DB"


def default_db_path() -> Path:
    """`$COMMUNITY_PLANNER_DB` if set, else `plans.sqlite3` in the per-user data directory."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir("community-ops-planner", appauthor=False)) / "plans.sqlite3"
