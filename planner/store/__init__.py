"""Plan storage: list, open, save with revisions, restore. The SQLite back-end lives in
sqlite.py; callers import from the package. May use plan_core and the shared basics."""

from planner.store.sqlite import MAX_REVISIONS, PlanStore, PlanSummary, RevisionSummary, StorageError

__all__ = ["MAX_REVISIONS", "PlanStore", "PlanSummary", "RevisionSummary", "StorageError"]
