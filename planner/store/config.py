"""Which database the plans live in, decided here once for the app and the command line.

`COMMUNITY_PLANNER_DB` in the environment wins; else the app passes its `.streamlit/secrets.toml`
(either `COMMUNITY_PLANNER_DB = "…"` at the top or `[database] url = "…"`); else the per-user
SQLite file. A value is a file path, `sqlite:///path`, or `postgresql://…` / `postgres://…`.
planner does not import streamlit: the app hands `st.secrets` in as a mapping.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.paths import DB_ENV_VAR, default_db_path
from planner.store.base import PlanStore, StorageError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def configured_url(secrets: Mapping[str, Any] | None = None) -> str:
    """The configured database ("" for the default SQLite file)."""
    from_env = os.environ.get(DB_ENV_VAR, "").strip()
    if from_env:
        return from_env
    if secrets is None:
        return ""
    try:
        value = secrets.get(DB_ENV_VAR) or (secrets.get("database") or {}).get("url")
    except (AttributeError, FileNotFoundError):  # st.secrets without a secrets.toml raises on access
        return ""
    return str(value).strip() if value else ""


def secrets_files(project: Path | None = None) -> dict[str, Any]:
    """What Streamlit would put in st.secrets, for a program without Streamlit (the command line):
    ~/.streamlit/secrets.toml, then ./.streamlit/secrets.toml over it."""
    merged: dict[str, Any] = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", (project or Path.cwd()) / ".streamlit" / "secrets.toml"):
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StorageError("storage.bad_url", f"{path}: {exc}") from exc
    return merged


def is_postgres(url: str) -> bool:
    return url.lower().startswith(POSTGRES_SCHEMES)


def backend_class(target: object) -> type[PlanStore]:
    """The store class for a path or URL (see the module's doc)."""
    text = str(target or "")
    if is_postgres(text):
        from planner.store.postgres import PostgresPlanStore  # psycopg only when PostgreSQL is used

        return PostgresPlanStore
    if "://" in text and not text.startswith("sqlite:///"):
        raise StorageError("storage.bad_url", text.split("://", 1)[0])  # never echo a password
    from planner.store.sqlite import SqlitePlanStore

    return SqlitePlanStore


def open_store(url: str | None = None) -> PlanStore:
    """The store `url` names; None or "" means the configured one (environment), else the default
    SQLite file. Raises StorageError when it cannot be opened."""
    target = url or configured_url() or str(default_db_path())
    return backend_class(target)(target)


WATCH_ENV_VAR = "COMMUNITY_PLANNER_WATCH_SECONDS"
DEFAULT_WATCH_SECONDS = 3.0


def watch_seconds() -> float:
    """How often an open page looks for another session's save of its plan (one small query);
    0 turns the look off (a page then takes other saves in on its next run only)."""
    try:
        return max(0.0, float(os.environ.get(WATCH_ENV_VAR, DEFAULT_WATCH_SECONDS)))
    except ValueError:
        return DEFAULT_WATCH_SECONDS
