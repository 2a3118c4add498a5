"""A session's saves that never overwrite another session's edits.

A session remembers what it last read or wrote of a plan (`Seen`: the plan and its stored version).
`save_merging` stores the session's plan with compare-and-swap against that version; when another
session saved first, this session's edits (seen → mine) are merged onto the newest stored plan
(`planner.plan_core.merge`) and that is stored instead. A field both changed keeps the other
session's value (first writer wins); this session's plan is then kept in the revision history so
its values stay restorable, and the conflicts are returned for the page to name.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from models.plan import Plan
from planner.plan_core.merge import Conflict, merge_plans
from planner.store.base import PlanStore, StaleVersion, StorageError

# Each attempt merges onto a newer plan; only a plan others save in a tight loop exhausts them, and
# then the caller keeps the edit and tries again later, as after any refusal.
MERGE_ATTEMPTS = 12
CONFLICT_NOTE = "conflict"


@dataclass(frozen=True)
class Seen:
    """What a session last read or wrote of one plan."""

    plan: Plan
    version: int


@dataclass(frozen=True)
class SaveOutcome:
    plan: Plan  # what is stored now, and what the session shows
    version: int
    conflicts: list[Conflict] = field(default_factory=list)  # this session's edits that lost
    merged: bool = False  # another session's changes came in: widgets must show the new plan


def save_merging(store: PlanStore, mine: Plan, seen: Seen | None, author: str = "") -> SaveOutcome:
    """Store `mine` (the session's plan, edited from `seen`; None for a plan not stored yet).
    StorageError when the database refuses (the caller keeps `mine` and tries again later)."""
    base, expected = (seen.plan, seen.version) if seen is not None else (None, 0)
    conflicts: list[Conflict] = []
    merged = False
    turn = None  # this process's turn at merging this plan, taken after the first stale save
    try:
        for attempt in range(MERGE_ATTEMPTS):
            if attempt == 1:
                # Sessions are threads of one server process: a merge costs milliseconds of Python
                # under the GIL, and thirty sessions merging the same plan at once kept finding it
                # saved again meanwhile (seconds of retries). Merging one at a time converges.
                turn = _merge_turn(mine.id)
                turn.acquire()
            elif attempt > 1:  # other processes saving too: step out of their way, longer each time
                time.sleep(random.uniform(0, min(0.5, 0.01 * 2 ** attempt)))
            result = _attempt(store, mine, base, expected, author)
            if isinstance(result, SaveOutcome):
                return replace(result, conflicts=conflicts + result.conflicts, merged=merged or result.merged)
            base, mine, expected, found, stop = result
            conflicts += found
            merged = True
            if stop is not None:
                return replace(stop, conflicts=conflicts, merged=True)
    finally:
        if turn is not None:
            turn.release()
    raise StorageError("storage.locked", "other sessions kept saving this plan")


def _attempt(store: PlanStore, mine: Plan, base: Plan | None, expected: int, author: str) -> Any:
    """One compare-and-swap save: its outcome, or what the next attempt starts from (base, mine,
    expected version, the conflicts found, and an outcome when nothing of this session's is left)."""
    try:
        plan, version = store.save_if(mine, expected, author)
        return SaveOutcome(plan, version)
    except StaleVersion as stale:
        if stale.plan is None:  # deleted elsewhere meanwhile: this session's copy is stored anew
            return None, mine, 0, [], None
        theirs = stale.plan
        # A plan this session never read from the store (an id both created): theirs is the base,
        # so every value of this session's counts as its edit.
        result = merge_plans(base if base is not None else theirs, mine, theirs)
        if result.conflicts:
            store.save_revision_only(mine, author, note=CONFLICT_NOTE)
        stop = None if result.changed else SaveOutcome(theirs, stale.version)
        return theirs, result.plan, stale.version, result.conflicts, stop


_TURNS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


def _merge_turn(plan_id: str) -> threading.Lock:
    with _TURNS_GUARD:
        return _TURNS.setdefault(plan_id, threading.Lock())


def newer(store: PlanStore, seen: Seen) -> Seen | None:
    """The stored plan when it is newer than what the session saw (another session saved), else None.
    One small query when nothing changed: pages call it on every run and every few seconds."""
    try:
        if store.version(seen.plan.id) == seen.version:
            return None
        plan, version = store.get_versioned(seen.plan.id)
    except StorageError as exc:
        if exc.key == "storage.not_found":
            return None  # deleted elsewhere: the session keeps its copy (a save stores it anew)
        raise
    return Seen(plan, version) if version != seen.version else None
