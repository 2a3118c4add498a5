"""Workshops: a trainer runs a room of participants, each drafting their own copy of one starting plan.

`WorkshopStore(store)` is the trainer's side, over the plain store (same database, schema 4):

- `create` stores the workshop with a short code to read aloud and type (6 characters of
  `CODE_ALPHABET`, no 0/O/1/I) and a copy of the starting plan's JSON. A workshop without a trainer
  e-mail (no sign-in) gets a trainer key, returned once; only a salted SHA-256 of it is stored and
  `is_trainer` compares with `hmac.compare_digest`.
- `join` gives a participant their own copy of the starting plan (a fresh id, named after them,
  stored with no workspace) and a resume token (`secrets.token_urlsafe(24)`), returned once and
  stored as its SHA-256 (the token is random enough that a salt adds nothing, and the hash is what
  `resume` looks up). The participant row is written inside the plan's first save, so a refused
  join stores neither.
- `delete` erases the workshop, its participants and their plans with every revision.

`ParticipantStore(store, participant_or_token)` is a participant's whole view of the store, as
`TeamStore` is a team member's: their one plan, and any other plan id answers exactly as a missing
one (`storage.not_found`; `save_if` expecting a version: StaleVersion(None, 0)). They may rename
and restore their plan; delete and duplicate are refused (`workshop.keep_plan`,
`workshop.one_plan`): the workshop keeps one plan per participant. Once the workshop is archived
every write is refused with `AccessDenied("workshop.archived")`; after its end time the participant
may still finish (only joining is closed).

Refusals are localized keys: AccessDenied (key storage.denied_action) with `.reason`
workshop.archived / workshop.ended / workshop.keep_plan / workshop.one_plan, and InvalidInput
(a StorageError and ValueError) workshop.name_blank / workshop.name_too_long / workshop.title_blank.
An unknown code or token is StorageError("storage.not_found").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field

from models.base import Entity
from models.plan import Plan
from models.text import clean_text
from planner.plan_core.json_io import plan_to_json
from planner.store.access import AccessDenied, InvalidInput, TeamStore, normalise_email
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
    load_plan,
    now,
)

# Read aloud and typed from a projector: no 0/O, no 1/I. 32 characters, 6 of them: 2**30 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
MAX_NAME_CHARS = 40  # a participant's display name
MAX_TITLE_CHARS = 120  # a workshop's name
TOKEN_BYTES = 24  # resume token: secrets.token_urlsafe(24), 32 characters
KEY_BYTES = 18  # trainer key: 24 characters
# A participant's settings are stored under this prefix (next to TeamStore's "user:").
SETTING_PREFIX = "participant:"
_CODE_ATTEMPTS = 20
# `touch` writes at most this often while the participant stays on one step.
TOUCH_EVERY = timedelta(seconds=10)


class Workshop(Entity):
    code: str
    name: str
    start_slug: str | None = None  # the example it starts from, if any
    start_plan_id: str | None = None  # the id of the plan it was started from
    steps: list[str] = Field(default_factory=list)  # the steps in focus (planner.plan.progress step names)
    ends_at: datetime | None = None
    trainer_email: str | None = None
    created_at: datetime
    archived: bool = False

    def ended(self, at: datetime | None = None) -> bool:
        return self.ends_at is not None and (at or now()) >= _aware(self.ends_at)

    def open(self, at: datetime | None = None) -> bool:
        """Participants may join."""
        return not self.archived and not self.ended(at)


class Participant(Entity):
    id: str
    code: str
    name: str  # display name
    plan_id: str
    joined_at: datetime
    last_step: str = ""
    last_seen: datetime | None = None


def normalise_code(code: str) -> str:
    """A typed code as stored: upper case, spaces and dashes dropped ('' when it cannot be one)."""
    text = "".join(ch for ch in clean_text(str(code)).upper() if ch not in " -\t\n")
    return text if len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text) else ""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_key(key: str, salt: bytes | None = None) -> str:
    """`sha256$<salt>$<digest>` of a trainer key, with a fresh random salt unless given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.sha256(salt + key.encode("utf-8")).hexdigest()
    return f"sha256${salt.hex()}${digest}"


def key_matches(key: str, stored: str) -> bool:
    try:
        kind, salt, _ = stored.split("$")
        expected = hash_key(key, bytes.fromhex(salt))
    except ValueError:
        return False
    return kind == "sha256" and hmac.compare_digest(expected.encode(), stored.encode())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def display_name(name: str) -> str:
    """A participant's name as stored; InvalidInput when blank or longer than MAX_NAME_CHARS."""
    text = " ".join(clean_text(str(name)).split())
    if not text:
        raise InvalidInput("workshop.name_blank")
    if len(text) > MAX_NAME_CHARS:
        raise InvalidInput("workshop.name_too_long", str(MAX_NAME_CHARS))
    return text


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _when(value: Any) -> datetime | None:
    """A timestamp as the back-end returns it (SQLite: ISO text; PostgreSQL: datetime)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _aware(value)


def _not_found(what: str) -> StorageError:
    return StorageError("storage.not_found", what)


def _refuse_closed(archived: Any, ends_at: Any, code: str, *, joining: bool) -> None:
    if archived:
        raise AccessDenied("workshop.archived", code)
    end = _when(ends_at)
    if joining and end is not None and now() >= end:
        raise AccessDenied("workshop.ended", code)


def plain_store(store: PlanStore) -> PlanStore:
    """The store under a TeamStore: workshop plans live outside every workspace."""
    while isinstance(store, TeamStore | ParticipantStore):
        store = store.store
    return store


_WORKSHOP_COLUMNS = "code, name, start_slug, start_plan_id, steps, ends_at, trainer_email, created_at, archived"
_PARTICIPANT_COLUMNS = "id, code, name, plan_id, joined_at, last_step, last_seen"


def _workshop(row: Sequence[Any]) -> Workshop:
    return Workshop(
        code=row[0],
        name=row[1],
        start_slug=row[2],
        start_plan_id=row[3],
        steps=json.loads(row[4] or "[]"),
        ends_at=_when(row[5]),
        trainer_email=row[6],
        created_at=_when(row[7]),
        archived=bool(row[8]),
    )


def _participant(row: Sequence[Any]) -> Participant:
    return Participant(
        id=row[0],
        code=row[1],
        name=row[2],
        plan_id=row[3],
        joined_at=_when(row[4]),
        last_step=row[5] or "",
        last_seen=_when(row[6]),
    )


class WorkshopStore:
    """Workshops on the database of `store` (a plain store; a TeamStore's own store is used)."""

    def __init__(self, store: PlanStore) -> None:
        self.store = plain_store(store)

    # --- the trainer -----------------------------------------------------------------------------
    def create(
        self,
        name: str,
        start: Plan,
        *,
        start_slug: str | None = None,
        steps: Sequence[str] = (),
        ends_at: datetime | None = None,
        trainer_email: str | None = None,
    ) -> tuple[Workshop, str | None]:
        """A new workshop starting from `start` (its JSON is kept; later edits of that plan do not
        reach the workshop). Returns it and, when there is no trainer e-mail, the trainer key (shown
        once: only its hash is stored)."""
        title = " ".join(clean_text(str(name)).split())
        if not title:
            raise InvalidInput("workshop.title_blank")
        title = title[:MAX_TITLE_CHARS]
        email = normalise_email(trainer_email) if trainer_email else None
        key = None if email else secrets.token_urlsafe(KEY_BYTES)
        body = plan_to_json(start)
        focus = json.dumps([clean_text(str(s)).strip() for s in steps if str(s).strip()])
        when = now()
        end = _aware(ends_at) if ends_at is not None else None

        def insert(sql: Sql) -> str:
            for _ in range(_CODE_ATTEMPTS):
                code = new_code()
                made = sql(
                    "INSERT INTO workshops (code, name, start_slug, start_plan_id, start_body, steps, ends_at, "
                    "trainer_email, trainer_key_hash, created_at, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (code) DO NOTHING RETURNING code",
                    (
                        code,
                        title,
                        start_slug,
                        start.id,
                        body,
                        focus,
                        end,
                        email,
                        hash_key(key) if key else None,
                        when,
                        False,
                    ),
                )
                if made:
                    return code
            raise StorageError("storage.failed", "no free workshop code")  # pragma: no cover

        code = self.store._transact(insert, write=True)
        return self.get(code), key

    def get(self, code: str) -> Workshop:
        """The workshop with this code, however it was typed; StorageError("storage.not_found")."""
        wanted = normalise_code(code)
        rows = (
            self.store._transact(
                lambda sql: sql(f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE code = ?", (wanted,))
            )
            if wanted
            else []
        )
        if not rows:
            raise _not_found(f"workshop {code}")
        return _workshop(rows[0])

    def workshops(self, trainer_email: str | None = None) -> list[Workshop]:
        """Every workshop (or those of one signed-in trainer), newest first."""
        if trainer_email:
            email = normalise_email(trainer_email)
            query, params = f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE trainer_email = ?", (email,)
        else:
            query, params = f"SELECT {_WORKSHOP_COLUMNS} FROM workshops", ()
        rows = self.store._transact(lambda sql: sql(query + " ORDER BY created_at DESC, code", params))
        return [_workshop(r) for r in rows]

    def start_plan(self, code: str) -> Plan:
        """The plan everyone started from, as it was when the workshop was created."""
        wanted = normalise_code(code)
        rows = (
            self.store._transact(lambda sql: sql("SELECT start_body FROM workshops WHERE code = ?", (wanted,)))
            if wanted
            else []
        )
        if not rows:
            raise _not_found(f"workshop {code}")
        return load_plan(rows[0][0])

    def is_trainer(self, code: str, *, email: str | None = None, key: str | None = None) -> bool:
        """The signed-in `email` is the workshop's trainer, or `key` is its trainer key. False for an
        unknown code, a wrong or missing key, an e-mail that is no address."""
        wanted = normalise_code(code)
        if not wanted:
            return False
        rows = self.store._transact(
            lambda sql: sql("SELECT trainer_email, trainer_key_hash FROM workshops WHERE code = ?", (wanted,))
        )
        if not rows:
            return False
        stored_email, stored_hash = rows[0]
        if email and stored_email:
            try:
                if hmac.compare_digest(normalise_email(email).encode(), str(stored_email).encode()):
                    return True
            except InvalidInput:
                pass
        return bool(key and stored_hash and key_matches(key.strip(), str(stored_hash)))

    def archive(self, code: str, archived: bool = True) -> Workshop:
        """Nobody joins any more and participants' plans become read only (False: open it again)."""
        wanted = normalise_code(code)
        done = (
            self.store._transact(
                lambda sql: sql("UPDATE workshops SET archived = ? WHERE code = ? RETURNING code", (archived, wanted)),
                write=True,
            )
            if wanted
            else []
        )
        if not done:
            raise _not_found(f"workshop {code}")
        return self.get(wanted)

    def delete(self, code: str) -> int:
        """The workshop, its participants and their plans (with every revision) erased, in one
        transaction. Returns how many participants were erased. The plan it started from stays."""
        wanted = normalise_code(code)

        def erase(sql: Sql) -> int:
            if not wanted or not sql("SELECT 1 FROM workshops WHERE code = ?", (wanted,)):
                raise _not_found(f"workshop {code}")
            plans = sql("SELECT id FROM participants WHERE code = ?", (wanted,))
            for (participant_id,) in plans:  # their settings (language, last step) too
                sql("DELETE FROM settings WHERE key LIKE ?", (f"{SETTING_PREFIX}{participant_id}:%",))
            sql("DELETE FROM plans WHERE id IN (SELECT plan_id FROM participants WHERE code = ?)", (wanted,))
            sql("DELETE FROM participants WHERE code = ?", (wanted,))
            sql("DELETE FROM workshops WHERE code = ?", (wanted,))
            return len(plans)

        return self.store._transact(erase, write=True)

    def participants(self, code: str) -> list[Participant]:
        """The trainer's view: everyone who joined, in order of joining."""
        workshop = self.get(code)
        rows = self.store._transact(
            lambda sql: sql(
                f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE code = ? ORDER BY joined_at, name, id",
                (workshop.code,),
            )
        )
        return [_participant(r) for r in rows]

    def plan_versions(self, code: str) -> dict[str, int]:
        """Each participant's plan id -> its stored version, in one query: the dashboard reads a plan
        again only when its version moved."""
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT x.plan_id, p.version FROM participants x JOIN plans p ON p.id = x.plan_id WHERE x.code = ?",
                (normalise_code(code),),
            )
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def participant_plan_ids(self) -> set[str]:
        """The ids of every workshop participant's plan: they have no workspace, so solo mode's plain
        store lists them with the user's own plans; a page may leave them out."""
        return {str(r[0]) for r in self.store._transact(lambda sql: sql("SELECT plan_id FROM participants", ()))}

    # --- participants ----------------------------------------------------------------------------
    def join(self, code: str, name: str) -> tuple[Participant, str]:
        """A new participant with their own copy of the starting plan. Returns them and their resume
        token (shown once: only its hash is stored). Refused (nothing stored) for a blank or overlong
        name (InvalidInput), an archived or ended workshop (AccessDenied), an unknown code
        (storage.not_found)."""
        label = display_name(name)
        workshop = self.get(code)
        _refuse_closed(workshop.archived, workshop.ends_at, workshop.code, joining=True)
        plan = self.start_plan(workshop.code).model_copy(deep=True)
        plan.id = Plan().id
        start_name = plan.meta.name.strip()
        plan.meta.name = f"{label} · {start_name}" if start_name else label
        plan.meta.created_on = None
        plan.meta.updated_at = None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        participant = Participant(
            id=uuid.uuid4().hex, code=workshop.code, name=label, plan_id=plan.id, joined_at=datetime.now(UTC)
        )

        def register(sql: Sql) -> None:  # inside the plan's first save: both or neither
            rows = sql("SELECT archived, ends_at FROM workshops WHERE code = ?", (workshop.code,))
            if not rows:
                raise _not_found(f"workshop {code}")
            _refuse_closed(rows[0][0], rows[0][1], workshop.code, joining=True)
            sql(
                "INSERT INTO participants (id, code, name, plan_id, token_hash, joined_at, last_step, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (participant.id, participant.code, label, plan.id, hash_token(token), participant.joined_at, "", None),
            )

        stamped, body = _stamped(plan)
        self.store._write(stamped, body, label, 0, workspace=None, guard=register)
        return participant, token

    def resume(self, token: str) -> Participant:
        """The participant whose resume token this is; storage.not_found otherwise (also once their
        workshop was deleted)."""
        text = clean_text(str(token or "")).strip()
        rows = (
            self.store._transact(
                lambda sql: sql(
                    f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE token_hash = ?", (hash_token(text),)
                )
            )
            if text
            else []
        )
        if not rows:
            raise _not_found("participant")
        return _participant(rows[0])

    def participant(self, participant_id: str) -> Participant:
        rows = self.store._transact(
            lambda sql: sql(f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE id = ?", (participant_id,))
        )
        if not rows:
            raise _not_found("participant")
        return _participant(rows[0])

    def touch(self, participant_id: str, step: str) -> None:
        """Where the participant is and that they are there now. Cheap enough for every rerun of a
        page: one small read, and a write only when the step changed or the last one is older than
        TOUCH_EVERY. StorageError("storage.not_found") once the participant is gone."""
        where = clean_text(str(step)).strip()[:60]
        rows = self.store._transact(
            lambda sql: sql("SELECT last_step, last_seen FROM participants WHERE id = ?", (participant_id,))
        )
        if not rows:
            raise _not_found("participant")
        seen = _when(rows[0][1])
        when = now()
        if rows[0][0] == where and seen is not None and when - seen < TOUCH_EVERY:
            return
        self.store._transact(
            lambda sql: sql(
                "UPDATE participants SET last_step = ?, last_seen = ? WHERE id = ?", (where, when, participant_id)
            ),
            write=True,
        )


class ParticipantStore(PlanStore):
    """The store as one workshop participant sees it: their own plan only. `participant` is the
    Participant (from `join` or `resume`) or their resume token. `close()` leaves `store` open."""

    def __init__(self, store: PlanStore, participant: Participant | str) -> None:
        self.store = plain_store(store)
        self.workshops = WorkshopStore(self.store)
        self.participant = participant if isinstance(participant, Participant) else self.workshops.resume(participant)
        self.plan_id = self.participant.plan_id

    # --- what the participant may see besides their plan -----------------------------------------
    def workshop(self) -> Workshop:
        return self.workshops.get(self.participant.code)

    def start_plan(self) -> Plan:
        """The plan the workshop started from (read only)."""
        return self.workshops.start_plan(self.participant.code)

    def touch(self, step: str) -> None:
        self.workshops.touch(self.participant.id, step)

    # --- checks ----------------------------------------------------------------------------------
    def _own(self, plan_id: str) -> None:
        if plan_id != self.plan_id:
            raise _not_found(plan_id)

    def _open_guard(self, sql: Sql) -> None:
        """Inside a write's transaction: the participant still exists and the workshop is not archived."""
        rows = sql(
            "SELECT w.archived FROM participants p JOIN workshops w ON w.code = p.code WHERE p.id = ?",
            (self.participant.id,),
        )
        if not rows:
            raise _not_found(self.plan_id)
        _refuse_closed(rows[0][0], None, self.participant.code, joining=False)

    # --- the PlanStore primitives, on one plan ---------------------------------------------------
    def close(self) -> None:
        """Nothing to close: the wrapped store belongs to whoever opened it."""

    def _transact(self, work: Callable[[Sql], T], write: bool = False) -> T:
        raise StorageError("storage.failed", "a participant's store runs no queries of its own")

    def list(self) -> list[PlanSummary]:
        rows = self.store._transact(
            lambda sql: sql(
                "SELECT p.id, p.name, p.updated_at, p.version, p.updated_by FROM plans p "
                "JOIN participants x ON x.plan_id = p.id WHERE x.id = ?",
                (self.participant.id,),
            )
        )
        return [PlanSummary(id=r[0], name=r[1], updated_at=r[2], version=r[3], updated_by=r[4]) for r in rows]

    def _get_body(self, plan_id: str) -> tuple[str, int]:
        self._own(plan_id)
        return self.store._get_body(plan_id)

    def version(self, plan_id: str) -> int:
        self._own(plan_id)
        return self.store.version(plan_id)

    def exists(self, plan_id: str) -> bool:
        return plan_id == self.plan_id and self.store.exists(plan_id)

    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        self._own(plan_id)
        if not self.store.exists(plan_id):
            raise _not_found(plan_id)
        return self.store.revisions(plan_id)

    def _get_revision_body(self, revision_id: int) -> str:
        rows = self.store._transact(
            lambda sql: sql("SELECT body FROM revisions WHERE id = ? AND plan_id = ?", (revision_id, self.plan_id))
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
        if plan.id != self.plan_id:  # as TeamStore answers for a plan of another workspace
            if expected not in (None, 0):
                raise StaleVersion(None, 0, f"{plan.id}: 0 != {expected}")
            raise _not_found(plan.id)

        def both(sql: Sql) -> None:
            self._open_guard(sql)
            if guard is not None:
                guard(sql)

        return self.store._write(plan, body, author or self.participant.name, expected, workspace=None, guard=both)

    def _add_revision(self, plan_id: str, body: str, author: str, note: str) -> RevisionSummary:
        self._own(plan_id)
        self.store._transact(self._open_guard)
        return self.store._add_revision(plan_id, body, author or self.participant.name, note)

    def save_revision_only(self, plan: Plan, author: str = "", note: str = "") -> RevisionSummary:
        return super().save_revision_only(plan, author or self.participant.name, note)

    def delete(self, plan_id: str) -> None:
        """Refused for their own plan (the workshop keeps it; the trainer deletes the workshop)."""
        self._own(plan_id)
        raise AccessDenied("workshop.keep_plan", plan_id)

    def duplicate(self, plan_id: str, new_name: str, author: str = "") -> Plan:
        """Refused: one plan per participant."""
        self._own(plan_id)
        raise AccessDenied("workshop.one_plan", plan_id)

    # --- settings of this participant ------------------------------------------------------------
    def _setting_key(self, key: str) -> str:
        return f"{SETTING_PREFIX}{self.participant.id}:{key}"

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.store.get_setting(self._setting_key(key), default)

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(self._setting_key(key), value)
