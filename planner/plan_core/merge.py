"""Three-way merge of plans: this session's edits applied onto the newest stored plan (issue 14).

A session keeps the version it last loaded (`base`) and its edited copy (`mine`). If the stored plan
has moved on meanwhile (`theirs`), saving `mine` as it is would undo the other session's edits, so
`merge_plans` applies this session's changes (base → mine) onto `theirs` instead:

- dicts merge key by key; lists of dicts that all carry a distinct string "id" (roles, SOP rules,
  KPIs) merge item by item, field by field; any other list (of strings, goals, stages…) and every
  scalar is one value;
- a value changed on one side only takes that side's value;
- a value both sides changed differently: the first writer wins, `theirs` keeps it and the
  conflict is reported so the caller can tell the user what was not applied;
- an item deleted on one side is gone, unless the other side edited it: then it stays (with that
  side's edits) and a conflict is reported;
- item order follows `theirs` (or `mine`, if only this session reordered), and items only one side
  has are placed after their predecessor on that side; `theirs`' new items come before `mine`'s.

Generic over the JSON form of the plan (`model_dump(mode="json")`), so a new field needs no code
here. Imports only `models` and pydantic: the module must not depend on where `planner` code lives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from models.plan import Plan


class _Missing:
    """A key or item one side does not have (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# Written by storage and migrations, not by a person: always the stored plan's, never a conflict.
BOOKKEEPING: frozenset[str] = frozenset({"schema_version", "id", "meta.updated_at", "meta.created_on"})


class ConflictKind(StrEnum):
    BOTH_CHANGED = "both_changed"  # both changed the value differently: theirs kept
    DELETED_BY_THEM = "deleted_by_them"  # they deleted an item this session edited: kept, as mine
    DELETED_BY_ME = "deleted_by_me"  # this session deleted an item they edited: kept, as theirs
    ORDER = "order"  # both reordered a list differently: their order kept (values are id lists)
    INVALID = "invalid"  # the merged plan would not validate: none of this session's edits applied


@dataclass(frozen=True)
class Conflict:
    """One of this session's edits that did not (fully) make it into the merged plan.

    `path` is dotted with 0-based list positions in the merged plan, as `planner.plan_core.edit.get_at`
    and `with_value` take it (so a "use mine" button can write `mine` there); an item that is not in
    the merged plan (kind INVALID) is named by its position in `mine`. `mine` and `theirs` are JSON
    values; None where that side has nothing (a deleted item). The caller keeps `mine` in the
    revision history."""

    path: str
    kind: ConflictKind
    mine: Any
    theirs: Any

    @property
    def shown_path(self) -> str:
        """`path` with 1-based positions, as `i18n.humanize_path` shows them ("roles.3.name")."""
        return ".".join(str(int(p) + 1) if p.isdigit() else p for p in self.path.split("."))


@dataclass(frozen=True)
class MergeResult:
    plan: Plan  # validated
    conflicts: list[Conflict]
    # Where this session's edits landed in `plan` (0-based, like Conflict.path); a deletion or a
    # reordering names the list. An edit is either applied or a conflict, never both.
    applied_paths: list[str]
    changed: bool  # `plan` differs from `theirs`: there is something to save


def merge_plans(base: Plan, mine: Plan, theirs: Plan) -> MergeResult:
    """`theirs` with this session's changes (`base` → `mine`) applied. Never raises."""
    b, m, t = (p.model_dump(mode="json") for p in (base, mine, theirs))
    if m == b:
        return MergeResult(plan=theirs, conflicts=[], applied_paths=[], changed=False)
    if t == b:
        applied = _unique(path for path, _, _ in _diff(b, m, m, ""))
        return MergeResult(plan=mine, conflicts=[], applied_paths=applied, changed=True)
    merge = _Merge()
    merged = merge.value(b, m, t, "")
    try:
        plan = Plan.model_validate(merged)
    except ValidationError:
        # A rule across fields (e.g. a trigger's kind and the fields it needs) can fail although
        # each side was valid. Keep theirs whole and say what of this session's was not applied.
        lost = [Conflict(path, ConflictKind.INVALID, mv, tv) for path, mv, tv in _diff(b, m, t, "") if mv != tv]
        return MergeResult(plan=theirs, conflicts=lost, applied_paths=[], changed=False)
    return MergeResult(plan=plan, conflicts=merge.conflicts, applied_paths=_unique(merge.applied),
                       changed=merged != t)


class _Merge:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self.applied: list[str] = []

    def value(self, b: Any, m: Any, t: Any, path: str) -> Any:
        if m == b or path in BOOKKEEPING:
            return t
        if t == b:
            self.applied.extend(p for p, _, _ in _diff(b, m, m, path))
            return m
        if m == t:  # the same edit on both sides
            return t
        if isinstance(b, dict) and isinstance(m, dict) and isinstance(t, dict):
            return self.keys(b, m, t, path)
        if _ids(b) is not None and _ids(m) is not None and _ids(t) is not None:
            return self.items(b, m, t, path)
        self.conflict(path, ConflictKind.BOTH_CHANGED, m, t)
        return t

    def conflict(self, path: str, kind: ConflictKind, m: Any, t: Any) -> None:
        self.conflicts.append(Conflict(path, kind, _public(m), _public(t)))

    def keys(self, b: dict[str, Any], m: dict[str, Any], t: dict[str, Any], path: str) -> dict[str, Any]:
        out = {}
        for key in [*t, *(k for k in m if k not in t)]:
            merged = self.value(b.get(key, MISSING), m.get(key, MISSING), t.get(key, MISSING), _join(path, key))
            if merged is not MISSING:
                out[key] = merged
        return out

    def items(self, b: list[Any], m: list[Any], t: list[Any], path: str) -> list[Any]:
        bs, ms, ts = _by_id(b), _by_id(m), _by_id(t)
        # An item deleted on one side survives if the other side edited it (a conflict, below).
        kept_theirs = {i for i in ts if i in ms or i not in bs or ts[i] != bs[i]}
        kept_mine = {i for i in ms if i not in ts and (i not in bs or ms[i] != bs[i])}
        if any(i not in kept_theirs for i in ts):
            self.applied.append(path)  # this session deleted an item they left alone
        order = self.order(bs, ms, ts, kept_theirs | kept_mine, path)
        out = []
        for n, i in enumerate(order):
            here = f"{path}.{n}"
            if i in ts and i in ms:
                out.append(self.value(bs.get(i, MISSING), ms[i], ts[i], here))
            elif i in ts:
                if i in bs:
                    self.conflict(here, ConflictKind.DELETED_BY_ME, None, ts[i])
                out.append(ts[i])
            else:
                if i in bs:
                    self.conflict(here, ConflictKind.DELETED_BY_THEM, ms[i], None)
                else:
                    self.applied.append(here)
                out.append(ms[i])
        return out

    def order(self, bs: dict[str, Any], ms: dict[str, Any], ts: dict[str, Any], survivors: set[str],
              path: str) -> list[str]:
        # The order of the items all three have tells who reordered.
        common = [i for i in bs if i in ms and i in ts]
        in_mine, in_theirs = [i for i in ms if i in bs and i in ts], [i for i in ts if i in bs and i in ms]
        mine_moved, theirs_moved = in_mine != common, in_theirs != common
        if mine_moved and theirs_moved and in_mine != in_theirs:
            self.conflict(path, ConflictKind.ORDER, in_mine, in_theirs)
        mine_leads = mine_moved and not theirs_moved
        if mine_leads:
            self.applied.append(path)
        lead, other = (ms, ts) if mine_leads else (ts, ms)
        order = [i for i in lead if i in survivors]
        # Items only the other side has: those past its last item that both have stay at the end
        # (appended stays appended); the others go right after their nearest placed predecessor
        # there. Where both sides' new items land on one spot, theirs come first: saved first.
        theirs_new = {i for i in ts if i not in bs and i not in ms}
        mine_new = {i for i in ms if i not in bs and i not in ts}
        last_shared = max((k for k, i in enumerate(other) if i in order), default=-1)
        pos, tail = 0, False
        for k, i in enumerate(other):
            if i in order:
                pos = order.index(i) + 1
            elif i in survivors:
                if k > last_shared and not tail:
                    tail, pos = True, len(order)
                    while mine_leads and pos and order[pos - 1] in mine_new:
                        pos -= 1
                elif not mine_leads:
                    while pos < len(order) and order[pos] in theirs_new:
                        pos += 1
                order.insert(pos, i)
                pos += 1
        return order


def _diff(b: Any, m: Any, r: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """This session's changes (base → mine) as (path, mine's value, ref's value there), where list
    positions are those in `r` (the plan the paths will name) or else in `mine`."""
    if m == b or path in BOOKKEEPING:
        return
    if isinstance(b, dict) and isinstance(m, dict):
        rd = r if isinstance(r, dict) else {}
        for key in [*m, *(k for k in b if k not in m)]:
            yield from _diff(b.get(key, MISSING), m.get(key, MISSING), rd.get(key, MISSING), _join(path, key))
        return
    if _ids(b) is not None and _ids(m) is not None:
        bs, ms = _by_id(b), _by_id(m)
        r_ids = _ids(r) or []
        rs = _by_id(r) if r_ids else {}
        for n, i in enumerate(ms):
            at = r_ids.index(i) if i in rs else n
            yield from _diff(bs.get(i, MISSING), ms[i], rs.get(i, MISSING), f"{path}.{at}")
        for i in bs:
            if i not in ms:
                yield (f"{path}.{r_ids.index(i)}", None, rs[i]) if i in rs else (path, None, None)
        moved = [i for i in ms if i in bs]
        if moved != [i for i in bs if i in ms]:
            yield path, moved, [i for i in r_ids if i in bs and i in ms]
        return
    yield path, _public(m), _public(r)


def _ids(value: Any) -> list[str] | None:
    """The ids of a list whose items are all dicts with distinct string ids; None for other values."""
    if not isinstance(value, list):
        return None
    ids = [item.get("id") if isinstance(item, dict) else None for item in value]
    if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids):
        return ids
    return None


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _public(value: Any) -> Any:
    return None if value is MISSING else value


def _unique(paths: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(paths))
