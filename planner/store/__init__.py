"""Plan storage: list, open, save with versions and revisions, compare-and-swap, restore.

base.py says what every store offers (`PlanStore`); sqlite.py (the default, one file per user) and
postgres.py (a shared server) implement it; config.py decides once which database is configured.
Callers import from the package. May use plan_core and the shared basics."""

from planner.store.base import (
    MAX_REVISIONS,
    PlanStore,
    PlanSummary,
    RevisionSummary,
    StaleVersion,
    StorageError,
)
from planner.store.config import configured_url, open_store

__all__ = [
    "MAX_REVISIONS",
    "PlanStore",
    "PlanSummary",
    "RevisionSummary",
    "StaleVersion",
    "StorageError",
    "configured_url",
    "open_store",
]
