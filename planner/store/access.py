"""Teams on one database: workspaces, roles, and every read and write authorised here.

`TeamStore(store, email)` is the plain store as ONE signed-in user sees it. It is a PlanStore (same
method names and results), so the pages and `store.sync` use it where solo mode uses the plain one.

- Everyone has a personal workspace (made on their first appearance, named after them, never
  shared); anyone creates team workspaces and invites people by e-mail as owner, editor or viewer.
  An invitation is a membership by e-mail, so one for someone who never signed in applies as soon as
  they do. A workspace always keeps an owner who has signed in.
- Owners manage members and delete; editors change plans; viewers read, export and comment.
- A plan in a workspace the user does not belong to is `StorageError("storage.not_found")`, exactly
  as an id that does not exist, from every method: never "forbidden", never the plan. A workspace
  the user does not belong to is `AccessDenied("access.not_member")` whether it exists or not.
- A permitted action that the role does not allow raises `AccessDenied` (key
  "storage.denied_action"; `.reason` a locale key saying why). Role checks of plan writes run inside
  the write's own transaction.
- Plans stored without a workspace (solo mode, or before workspaces existed) belong to no team and
  are invisible here until an owner adopts them (`adopt_unassigned`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from models.base import Entity
from models.plan import Plan
from models.text import clean_text
from planner.store.base import (
    Guard,
    PlanStore,
    PlanSummary,
    RevisionSummary,
    Sql,
    StaleVersion,
    StorageError,
    T,
    _stamped,
    now,
)

# Settings of one user are stored under this prefix, so two users' last plan or language never mix.
SETTING_PREFIX = "user:"
MAX_COMMENT_CHARS = 10_000


class Role(StrEnum):
    OWNER = "owner"  # members, delete
    EDITOR = "editor"
    VIEWER = "viewer"  # reads, exports, comments; cannot change the plan

    @property
    def can_edit(self) -> bool:
        return self in (Role.OWNER, Role.EDITOR)


class Workspace(Entity):
    id: str
    name: str
    personal: bool
    role: Role  # the acting user's role in it


class Member(Entity):
    email: str
    role: Role
    name: str = ""
    # Invited but never signed in yet: the membership applies on their first sign-in.
    pending: bool = False


class Comment(Entity):
    id: int
    plan_id: str
    step: str
    author: str
    created_at: datetime
    text: str
    resolved: bool


class AccessDenied(StorageError):
    """The acting user's role does not allow this. `reason` is a locale key: access.viewer_cannot_edit,
    access.owner_only, access.last_owner, access.personal_workspace, access.not_member,
    access.no_such_member, access.comment_author_only."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__("storage.denied_action", f"{reason} {detail}".strip())
        self.reason = reason


class InvalidInput(StorageError, ValueError):
    """What was typed cannot be stored: `key` access.bad_email, access.empty_name or
    access.empty_comment. A StorageError (pages show its key like any refusal) and a ValueError."""


def normalise_email(email: str) -> str:
    """The one spelling of an address (stripped, lower case); InvalidInput for what is no address."""
    text = clean_text(email).strip().lower()
    local, at, domain = text.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in text) or len(text) > 320:
        raise InvalidInput("access.bad_email", repr(email))
    return text


def _not_found(what: str) -> StorageError:
    return StorageError("storage.not_found", what)


class TeamStore(PlanStore):
    """The store `store` as the user `email` may see and change it. `workspace_id` is where new plans
    go (default: the personal workspace). `close()` leaves `store` open: it belongs to its opener."""

    def __init__(self, store: PlanStore, email: str, name: str = "", workspace_id: str | None = None) -> None:
        self.store = store
        self.email = normalise_email(email)
        self.name = clean_text(name).strip()
        self.personal_workspace_id = self._ensure_user()
        self.workspace_id = workspace_id or self.personal_workspace_id

    # --- the user --------------------------------------------------------------------------------
    def _ensure_user(self) -> str:
        """The user's personal workspace, creating user and workspace on the first appearance. Reads
        only when both exist (a read-only server still opens)."""

        def look(sql: Sql) -> tuple[str | None, str | None]:
            user = sql("SELECT name FROM users WHERE email = ?", (self.email,))
            own = sql("SELECT id FROM workspaces WHERE personal_of = ?", (self.email,))
            return (user[0][0] if user else None), (own[0][0] if own else None)

        name, personal = self.store._transact(look)
        if name is not None and personal is not None and (not self.name or name == self.name):
            return personal

        def create(sql: Sql) -> str:
            when = now()
            sql(
                "INSERT INTO users (email, name, created_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING",
                (self.email, self.name, when),
            )
            sql(
                "INSERT INTO workspaces (id, name, personal_of, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (personal_of) DO NOTHING",
                (_new_id(), self.name or self.email, self.email, when),
            )
            if self.name:  # signed in with a (new) name: the personal workspace is called after it
                sql("UPDATE users SET name = ? WHERE email = ?", (self.name, self.email))
                sql("UPDATE workspaces SET name = ? WHERE personal_of = ?", (self.name, self.email))
            # Another process may have made it first: whichever exists is the one.
            [(personal_id,)] = sql("SELECT id FROM workspaces WHERE personal_of = ?", (self.email,))
            sql(
                "INSERT INTO memberships (workspace_id, email, role) VALUES (?, ?, 'owner') "
                "ON CONFLICT (workspace_id, email) DO UPDATE SET role = 'owner'",
                (personal_id, self.email),
            )
            return str(personal_id)

        return self.store._transact(create, write=True)

    # --- roles -----------------------------------------------------------------------------------
    def _role_in(self, sql: Sql, workspace_id: str) -> Role | None:
        rows = sql("SELECT role FROM memberships WHERE workspace_id = ? AND email = ?", (workspace_id, self.email))
        return Role(rows[0][0]) if rows else None

    def _plan_access(self, sql: Sql, plan_id: str) -> tuple[str, Role]:
        """(workspace, the user's role) of a plan the user can see; not_found otherwise."""
        rows = sql(
            "SELECT p.workspace_id, m.role FROM plans p JOIN memberships m "
            "ON m.workspace_id = p.workspace_id AND m.email = ? WHERE p.id = ?",
            (self.email, plan_id),
        )
        if not rows:
            raise _not_found(plan_id)
        return str(rows[0][0]), Role(rows[0][1])

    def _member_role(self, sql: Sql, workspace_id: str) -> Role:
        role = self._role_in(sql, workspace_id)
        if role is None:
            raise AccessDenied("access.not_member", workspace_id)
        return role

    def _owner(self, sql: Sql, workspace_id: str) -> None:
        if self._member_role(sql, workspace_id) is not Role.OWNER:
            raise AccessDenied("access.owner_only", workspace_id)

    def _editor(self, sql: Sql, workspace_id: str) -> None:
        if not self._member_role(sql, workspace_id).can_edit:
            raise AccessDenied("access.viewer_cannot_edit", workspace_id)

    def _plan_editor(self, sql: Sql, plan_id: str) -> str:
        workspace, role = self._plan_access(sql, plan_id)
        if not role.can_edit:
            raise AccessDenied("access.viewer_cannot_edit", plan_id)
        return workspace

    def role_for_plan(self, plan_id: str) -> Role:
        return self.store._transact(lambda sql: self._plan_access(sql, plan_id))[1]

    def _write_guard(self, plan_id: str, target: str, expected: int | None) -> Guard:
        """A save of `plan_id`: editor+ where it is stored; a plan not stored yet, editor+ in `target`.
        An id stored in a workspace of others answers as a missing plan would (its version and its
        plan stay unseen): StaleVersion(None, 0) when a stored version was expected, else not found;
        only creating a plan under that id cannot succeed."""

        def guard(sql: Sql) -> None:
            stored = sql("SELECT workspace_id FROM plans WHERE id = ?", (plan_id,))
            if not stored:
                self._editor(sql, target)
                return
            try:
                self._plan_editor(sql, plan_id)
            except AccessDenied:
                raise
            except StorageError:
                if expected not in (None, 0):
                    raise StaleVersion(None, 0, f"{plan_id}: 0 != {expected}") from None
                raise

        return guard

    # --- workspaces ------------------------------------------------------------------------------
    def workspaces(self) -> list[Workspace]:
        """The user's workspaces, personal first, then by creation."""
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT w.id, w.name, w.personal_of, m.role FROM memberships m "
                "JOIN workspaces w ON w.id = m.workspace_id WHERE m.email = ? "
                "ORDER BY CASE WHEN w.personal_of IS NULL THEN 1 ELSE 0 END, w.created_at, w.name, w.id",
                (self.email,),
            )
        )
        return [Workspace(id=r[0], name=r[1], personal=r[2] is not None, role=Role(r[3])) for r in rows]

    def workspace(self, workspace_id: str) -> Workspace:
        """One of the user's workspaces; AccessDenied("access.not_member") otherwise."""
        for one in self.workspaces():
            if one.id == workspace_id:
                return one
        raise AccessDenied("access.not_member", workspace_id)

    def workspace_by_name(self, name: str) -> Workspace:
        """The user's workspace with this id, else this name (the command line names them);
        StorageError("storage.not_found") when none, "storage.ambiguous_workspace" when several."""
        mine = self.workspaces()
        by_id = [w for w in mine if w.id == name]
        if by_id:
            return by_id[0]
        wanted = clean_text(name).strip()
        by_name = [w for w in mine if w.name == wanted]
        if not by_name:
            raise _not_found(name)
        if len(by_name) > 1:
            raise StorageError("storage.ambiguous_workspace", name)
        return by_name[0]

    def create_workspace(self, name: str) -> Workspace:
        label = clean_text(name).strip()
        if not label:
            raise InvalidInput("access.empty_name")
        workspace_id = _new_id()

        def create(sql: Sql) -> None:
            sql(
                "INSERT INTO workspaces (id, name, personal_of, created_at) VALUES (?, ?, NULL, ?)",
                (workspace_id, label, datetime.now(UTC)),  # to the microsecond: the listing's order
            )
            sql(
                "INSERT INTO memberships (workspace_id, email, role, invited_by) VALUES (?, ?, 'owner', ?)",
                (workspace_id, self.email, self.email),
            )

        self.store._transact(create, write=True)
        return Workspace(id=workspace_id, name=label, personal=False, role=Role.OWNER)

    def _team_owner(self, sql: Sql, workspace_id: str) -> None:
        self._owner(sql, workspace_id)
        if sql("SELECT 1 FROM workspaces WHERE id = ? AND personal_of IS NOT NULL", (workspace_id,)):
            raise AccessDenied("access.personal_workspace", workspace_id)

    def invite(self, workspace_id: str, email: str, role: Role | str) -> Member:
        """Owner only. An existing member gets the new role; an e-mail that never signed in is a
        pending membership that applies on its first sign-in. Personal workspaces are not shared."""
        role, who = Role(role), normalise_email(email)

        def invite(sql: Sql) -> Member:
            self._team_owner(sql, workspace_id)
            if role is not Role.OWNER:
                self._keeps_an_owner(sql, workspace_id, who)
            sql(
                "INSERT INTO memberships (workspace_id, email, role, invited_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (workspace_id, email) DO UPDATE SET role = excluded.role",
                (workspace_id, who, role.value, self.email),
            )
            return self._member(sql, workspace_id, who)

        return self.store._transact(invite, write=True)

    def members(self, workspace_id: str) -> list[Member]:
        """Any member may see who else is in; owners first, then by e-mail."""

        def read(sql: Sql) -> list[Member]:
            self._member_role(sql, workspace_id)
            rows = sql(
                "SELECT m.email, m.role, u.name, u.email IS NULL FROM memberships m "
                "LEFT JOIN users u ON u.email = m.email WHERE m.workspace_id = ? ORDER BY m.email",
                (workspace_id,),
            )
            order = {Role.OWNER: 0, Role.EDITOR: 1, Role.VIEWER: 2}
            found = [Member(email=r[0], role=Role(r[1]), name=r[2] or "", pending=bool(r[3])) for r in rows]
            return sorted(found, key=lambda m: (order[m.role], m.email))

        return self.store._transact(read)

    def _member(self, sql: Sql, workspace_id: str, email: str) -> Member:
        rows = sql(
            "SELECT m.email, m.role, u.name, u.email IS NULL FROM memberships m "
            "LEFT JOIN users u ON u.email = m.email WHERE m.workspace_id = ? AND m.email = ?",
            (workspace_id, email),
        )
        if not rows:
            raise AccessDenied("access.no_such_member", email)
        r = rows[0]
        return Member(email=r[0], role=Role(r[1]), name=r[2] or "", pending=bool(r[3]))

    def _keeps_an_owner(self, sql: Sql, workspace_id: str, leaving: str) -> None:
        """Refuse when `leaving` stops being an owner and no other signed-in owner would be left."""
        others = sql(
            "SELECT count(*) FROM memberships m JOIN users u ON u.email = m.email "
            "WHERE m.workspace_id = ? AND m.role = 'owner' AND m.email <> ?",
            (workspace_id, leaving),
        )[0][0]
        if not others and self._is_owner(sql, workspace_id, leaving):
            raise AccessDenied("access.last_owner", workspace_id)

    @staticmethod
    def _is_owner(sql: Sql, workspace_id: str, email: str) -> bool:
        return bool(
            sql(
                "SELECT 1 FROM memberships WHERE workspace_id = ? AND email = ? AND role = 'owner'",
                (workspace_id, email),
            )
        )

    def set_role(self, workspace_id: str, email: str, role: Role | str) -> Member:
        """Owner only; never leaves the workspace without an owner."""
        role, who = Role(role), normalise_email(email)

        def change(sql: Sql) -> Member:
            self._team_owner(sql, workspace_id)
            self._member(sql, workspace_id, who)
            if role is not Role.OWNER:
                self._keeps_an_owner(sql, workspace_id, who)
            sql("UPDATE memberships SET role = ? WHERE workspace_id = ? AND email = ?", (role.value, workspace_id, who))
            return self._member(sql, workspace_id, who)

        return self.store._transact(change, write=True)

    def remove_member(self, workspace_id: str, email: str) -> None:
        """Owner only, or a member leaving by themself; never the last owner. A pending invitation is
        withdrawn the same way."""
        who = normalise_email(email)

        def remove(sql: Sql) -> None:
            if who == self.email:
                self._member_role(sql, workspace_id)
                if sql("SELECT 1 FROM workspaces WHERE id = ? AND personal_of IS NOT NULL", (workspace_id,)):
                    raise AccessDenied("access.personal_workspace", workspace_id)
            else:
                self._team_owner(sql, workspace_id)
            self._member(sql, workspace_id, who)
            self._keeps_an_owner(sql, workspace_id, who)
            sql("DELETE FROM memberships WHERE workspace_id = ? AND email = ?", (workspace_id, who))

        self.store._transact(remove, write=True)
        if who == self.email and self.workspace_id == workspace_id:
            self.workspace_id = self.personal_workspace_id

    def delete_workspace(self, workspace_id: str) -> None:
        """Owner only, not the personal workspace; its plans (their history and comments) go too."""

        def delete(sql: Sql) -> None:
            self._team_owner(sql, workspace_id)
            sql("DELETE FROM workspaces WHERE id = ?", (workspace_id,))

        self.store._transact(delete, write=True)
        if self.workspace_id == workspace_id:
            self.workspace_id = self.personal_workspace_id

    def adopt_unassigned(self, workspace_id: str) -> int:
        """Owner of `workspace_id`: every plan stored without a workspace (solo mode, or before
        workspaces existed) moves in. Returns how many. Every user owns their personal workspace, so
        whoever calls this first takes them all: it is for whoever sets the server up (the command
        line, which holds the database address anyway), not a button for every user."""

        def adopt(sql: Sql) -> int:
            self._owner(sql, workspace_id)
            # Workshop participants' plans have no workspace either, but are not from before teams.
            return len(
                sql(
                    "UPDATE plans SET workspace_id = ? WHERE workspace_id IS NULL "
                    "AND id NOT IN (SELECT plan_id FROM participants) RETURNING id",
                    (workspace_id,),
                )
            )

        return self.store._transact(adopt, write=True)

    # --- plans: the PlanStore primitives, authorised ---------------------------------------------
    def close(self) -> None:
        """Nothing to close: the wrapped store belongs to whoever opened it."""

    def _transact(self, work: Callable[[Sql], T], write: bool = False) -> T:
        return self.store._transact(work, write)

    def list(self) -> list[PlanSummary]:
        """The plans of every workspace the user belongs to, newest change first."""
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT p.id, p.name, p.updated_at, p.version, p.updated_by, p.workspace_id FROM plans p "
                "JOIN memberships m ON m.workspace_id = p.workspace_id AND m.email = ? "
                "ORDER BY p.updated_at DESC, p.name",
                (self.email,),
            )
        )
        return [
            PlanSummary(id=r[0], name=r[1], updated_at=r[2], version=r[3], updated_by=r[4], workspace_id=r[5])
            for r in rows
        ]

    def _get_body(self, plan_id: str) -> tuple[str, int]:
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT p.body, p.version FROM plans p JOIN memberships m "
                "ON m.workspace_id = p.workspace_id AND m.email = ? WHERE p.id = ?",
                (self.email, plan_id),
            )
        )
        if not rows:
            raise _not_found(plan_id)
        return rows[0][0], int(rows[0][1])

    def version(self, plan_id: str) -> int:
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT p.version FROM plans p JOIN memberships m "
                "ON m.workspace_id = p.workspace_id AND m.email = ? WHERE p.id = ?",
                (self.email, plan_id),
            )
        )
        if not rows:
            raise _not_found(plan_id)
        return int(rows[0][0])

    def exists(self, plan_id: str) -> bool:
        try:
            self.version(plan_id)
        except StorageError as exc:
            if exc.key == "storage.not_found":
                return False
            raise
        return True

    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        self.role_for_plan(plan_id)
        return self.store.revisions(plan_id)

    def _get_revision_body(self, revision_id: int) -> str:
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT r.body FROM revisions r JOIN plans p ON p.id = r.plan_id JOIN memberships m "
                "ON m.workspace_id = p.workspace_id AND m.email = ? WHERE r.id = ?",
                (self.email, revision_id),
            )
        )
        if not rows:
            raise _not_found(str(revision_id))
        return str(rows[0][0])

    def _write(
        self,
        plan: Plan,
        body: str,
        author: str,
        expected: int | None,
        *,
        workspace: str | None = None,
        guard: Guard | None = None,
    ) -> tuple[Plan, int]:
        target = workspace or self.workspace_id
        own = self._write_guard(plan.id, target, expected)

        def both(sql: Sql) -> None:
            own(sql)
            if guard is not None:
                guard(sql)

        return self.store._write(plan, body, author or self.email, expected, workspace=target, guard=both)

    def _add_revision(self, plan_id: str, body: str, author: str, note: str) -> RevisionSummary:
        self.store._transact(lambda sql: self._plan_editor(sql, plan_id))
        return self.store._add_revision(plan_id, body, author or self.email, note)

    def save_revision_only(self, plan: Plan, author: str = "", note: str = "") -> RevisionSummary:
        return super().save_revision_only(plan, author or self.email, note)

    def delete(self, plan_id: str) -> None:
        """Owner of the plan's workspace."""

        def delete(sql: Sql) -> None:
            _, role = self._plan_access(sql, plan_id)
            if role is not Role.OWNER:
                raise AccessDenied("access.owner_only", plan_id)
            sql("DELETE FROM plans WHERE id = ?", (plan_id,))

        self.store._transact(delete, write=True)

    def duplicate(self, plan_id: str, new_name: str, author: str = "", into: str | None = None) -> Plan:
        """A copy under a new id in `into` (default: `self.workspace_id`): read access to the source,
        editor+ in the target."""
        copy = self.get(plan_id).model_copy(deep=True)
        copy.id = Plan().id
        copy.meta.name = new_name
        copy.meta.created_on = None
        stamped, body = _stamped(copy)
        return self._write(stamped, body, author, 0, workspace=into or self.workspace_id)[0]

    def move(self, plan_id: str, workspace_id: str) -> None:
        """Into another workspace of the user's: editor+ in both, or owner of the plan's workspace
        (and a member of the target). The plan keeps its id, version, history and comments."""

        def move(sql: Sql) -> None:
            source, role = self._plan_access(sql, plan_id)
            target = self._member_role(sql, workspace_id)
            if not (role is Role.OWNER or (role.can_edit and target.can_edit)):
                raise AccessDenied("access.viewer_cannot_edit", plan_id)
            if source != workspace_id:
                sql("UPDATE plans SET workspace_id = ? WHERE id = ?", (workspace_id, plan_id))

        self.store._transact(move, write=True)

    # --- settings of this user -------------------------------------------------------------------
    def _setting_key(self, key: str) -> str:
        return f"{SETTING_PREFIX}{self.email}:{key}"

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.store.get_setting(self._setting_key(key), default)

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(self._setting_key(key), value)

    # --- comments --------------------------------------------------------------------------------
    def comments(self, plan_id: str, step: str | None = None, include_resolved: bool = False) -> list[Comment]:
        """A plan's comments, oldest first; any member may read them."""

        def read(sql: Sql) -> list[tuple[Any, ...]]:
            self._plan_access(sql, plan_id)
            query = "SELECT id, plan_id, step, author, created_at, body, resolved FROM comments WHERE plan_id = ?"
            params: list[Any] = [plan_id]
            if step is not None:
                query += " AND step = ?"
                params.append(step)
            if not include_resolved:
                query += " AND NOT resolved"
            return sql(query + " ORDER BY id", params)

        return [_comment(r) for r in self.store._transact(read)]

    def add_comment(self, plan_id: str, step: str, text: str) -> Comment:
        """Any member, viewers included (reviewers comment). `text` is plain text; the page escapes it."""
        body = clean_text(text).strip()
        if not body:
            raise InvalidInput("access.empty_comment")
        body = body[:MAX_COMMENT_CHARS]
        when = now()

        def add(sql: Sql) -> list[tuple[Any, ...]]:
            self._plan_access(sql, plan_id)
            return sql(
                "INSERT INTO comments (plan_id, step, author, created_at, body, resolved) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (plan_id, clean_text(step).strip(), self.email, when, body, False),
            )

        [(comment_id,)] = self.store._transact(add, write=True)
        return Comment(
            id=int(comment_id),
            plan_id=plan_id,
            step=step,
            author=self.email,
            created_at=when,
            text=body,
            resolved=False,
        )

    def resolve_comment(self, comment_id: int, resolved: bool = True) -> Comment:
        """Editor+ in the plan's workspace, or the comment's author. A comment on a plan the user
        cannot see is not found."""

        def resolve(sql: Sql) -> list[tuple[Any, ...]]:
            rows = sql("SELECT plan_id, author FROM comments WHERE id = ?", (comment_id,))
            if not rows:
                raise _not_found(f"comment {comment_id}")
            plan_id, author = rows[0]
            try:
                _, role = self._plan_access(sql, plan_id)
            except StorageError as exc:
                raise _not_found(f"comment {comment_id}") from exc
            if not role.can_edit and author != self.email:
                raise AccessDenied("access.viewer_cannot_edit", f"comment {comment_id}")
            sql("UPDATE comments SET resolved = ? WHERE id = ?", (resolved, comment_id))
            return sql(
                "SELECT id, plan_id, step, author, created_at, body, resolved FROM comments WHERE id = ?",
                (comment_id,),
            )

        return _comment(self.store._transact(resolve, write=True)[0])


def _comment(row: Sequence[Any]) -> Comment:
    return Comment(
        id=int(row[0]),
        plan_id=row[1],
        step=row[2],
        author=row[3],
        created_at=row[4],
        text=row[5],
        resolved=bool(row[6]),
    )


def _new_id() -> str:
    return uuid.uuid4().hex
