"""Plan storage: list, open, save with versions and revisions, compare-and-swap, restore.

base.py says what every store offers (`PlanStore`); sqlite.py (the default, one file per user) and
postgres.py (a shared server) implement it; config.py decides once which database is configured;
access.py is the same store as one signed-in user of a team sees it (`TeamStore`: workspaces, roles,
comments, every read and write authorised); workshops.py holds workshops, their participants and
`ParticipantStore`, the store as one workshop participant sees it (their own plan only).
Callers import from the package. May use plan_core and the shared basics."""

from planner.store.access import AccessDenied, Comment, InvalidInput, Member, Role, TeamStore, Workspace
from planner.store.base import (
    MAX_REVISIONS,
    PlanStore,
    PlanSummary,
    RevisionSummary,
    StaleVersion,
    StorageError,
)
from planner.store.config import configured_url, open_store
from planner.store.workshops import Participant, ParticipantStore, Workshop, WorkshopStore

__all__ = [
    "MAX_REVISIONS",
    "AccessDenied",
    "Comment",
    "InvalidInput",
    "Member",
    "Participant",
    "ParticipantStore",
    "PlanStore",
    "PlanSummary",
    "RevisionSummary",
    "Role",
    "StaleVersion",
    "StorageError",
    "TeamStore",
    "Workshop",
    "WorkshopStore",
    "Workspace",
    "configured_url",
    "open_store",
]
