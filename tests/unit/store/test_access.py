"""Every role × action pair through TeamStore, on SQLite and PostgreSQL: owner, editor, viewer and a
non-member, each trying each action on a plan of one team workspace. Allowed actions happen; a role
that does not allow one gets AccessDenied with its reason; someone outside the workspace gets
exactly what a missing plan gives (storage.not_found) or, for the workspace itself,
access.not_member. Whatever is refused changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from models import Plan
from planner.store import AccessDenied, PlanStore, Role, StorageError, TeamStore, open_store

ROLES = ["owner", "editor", "viewer", "outsider"]
OK = "ok"
NOT_FOUND = "storage.not_found"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "access.sqlite3")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def plain(url: str) -> Iterator[PlanStore]:
    store = open_store(url)
    yield store
    store.close()


@dataclass
class Team:
    plain: PlanStore
    workspace: str  # the team workspace
    plan_id: str  # a plan in it, saved twice (two revisions)
    comment_id: int  # the owner's comment on it
    as_: dict[str, TeamStore]


@pytest.fixture
def team(plain: PlanStore) -> Team:
    owner = TeamStore(plain, "Owner@Example.com", "欧娜")
    made = owner.create_workspace("运营组 Ops")
    owner.invite(made.id, "editor@example.com", Role.EDITOR)
    owner.invite(made.id, "viewer@example.com", Role.VIEWER)
    owner.invite(made.id, "extra@example.com", Role.VIEWER)  # a member to remove
    owner.workspace_id = made.id
    plan = Plan()
    plan.meta.name = "早起营"
    plan, _ = owner.save_if(plan, 0)
    plan.meta.name = "早起营 v2"
    owner.save(plan)
    comment = owner.add_comment(plan.id, "positioning", "目标人群再具体一点？")
    stores = {
        "owner": owner,
        "editor": TeamStore(plain, "editor@example.com"),
        "viewer": TeamStore(plain, "viewer@example.com"),
        "outsider": TeamStore(plain, "outsider@example.com"),
    }
    return Team(plain, made.id, plan.id, comment.id, stores)


def _edited(t: Team, who: TeamStore) -> None:
    plan, version = who.get_versioned(t.plan_id)
    plan.meta.name = "改过的名字"
    who.save_if(plan, version)


def _comment_then_resolve_others(t: Team, who: TeamStore) -> None:
    who.resolve_comment(t.comment_id)


def _restore(t: Team, who: TeamStore) -> None:
    oldest = t.plain.revisions(t.plan_id)[-1].id
    who.restore(t.plan_id, oldest)


def _duplicate_into_team(t: Team, who: TeamStore) -> None:
    who.duplicate(t.plan_id, "副本", into=t.workspace)


def _duplicate_into_own(t: Team, who: TeamStore) -> None:
    copy = who.duplicate(t.plan_id, "我的副本")  # into the user's personal workspace
    assert who.role_for_plan(copy.id) is Role.OWNER


def _read(t: Team, who: TeamStore) -> None:
    plan, version = who.get_versioned(t.plan_id)
    assert plan.meta.name == "早起营 v2" and version == 2 and who.version(t.plan_id) == 2
    assert who.exists(t.plan_id)
    assert [r.version for r in who.revisions(t.plan_id)] == [2, 1]
    assert who.get_revision(who.revisions(t.plan_id)[-1].id).meta.name == "早起营"
    assert who.comments(t.plan_id)[0].text == "目标人群再具体一点？"


def _list(t: Team, who: TeamStore) -> None:
    if t.plan_id not in {s.id for s in who.list()}:
        raise StorageError(NOT_FOUND, "not listed")
    [summary] = [s for s in who.list() if s.id == t.plan_id]
    assert summary.workspace_id == t.workspace and summary.updated_by == "owner@example.com"


def _move_to_own(t: Team, who: TeamStore) -> None:
    who.move(t.plan_id, who.personal_workspace_id)
    assert who.role_for_plan(t.plan_id) is Role.OWNER


ACTIONS: dict[str, tuple[Callable[[Team, TeamStore], object], dict[str, str]]] = {
    # action: (what the user does, outcome by role)
    "read": (_read, {"owner": OK, "editor": OK, "viewer": OK, "outsider": NOT_FOUND}),
    "list": (_list, {"owner": OK, "editor": OK, "viewer": OK, "outsider": NOT_FOUND}),
    "save": (_edited, {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND}),
    "rename": (
        lambda t, who: who.rename(t.plan_id, "新名字"),
        {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND},
    ),
    "duplicate_in_team": (
        _duplicate_into_team,
        {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND},
    ),
    "duplicate_to_own": (_duplicate_into_own, {"owner": OK, "editor": OK, "viewer": OK, "outsider": NOT_FOUND}),
    "move": (_move_to_own, {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND}),
    "delete": (
        lambda t, who: who.delete(t.plan_id),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": NOT_FOUND},
    ),
    "restore": (_restore, {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND}),
    "comment": (
        lambda t, who: who.add_comment(t.plan_id, "goal", "看过了"),
        {"owner": OK, "editor": OK, "viewer": OK, "outsider": NOT_FOUND},
    ),
    "resolve": (
        _comment_then_resolve_others,
        {"owner": OK, "editor": OK, "viewer": "access.viewer_cannot_edit", "outsider": NOT_FOUND},
    ),
    "invite": (
        lambda t, who: who.invite(t.workspace, "new@example.com", Role.EDITOR),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": "access.not_member"},
    ),
    "set_role": (
        lambda t, who: who.set_role(t.workspace, "extra@example.com", Role.EDITOR),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": "access.not_member"},
    ),
    "remove_member": (
        lambda t, who: who.remove_member(t.workspace, "extra@example.com"),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": "access.not_member"},
    ),
    "members": (
        lambda t, who: who.members(t.workspace),
        {"owner": OK, "editor": OK, "viewer": OK, "outsider": "access.not_member"},
    ),
    "delete_workspace": (
        lambda t, who: who.delete_workspace(t.workspace),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": "access.not_member"},
    ),
    "adopt_unassigned": (
        lambda t, who: who.adopt_unassigned(t.workspace),
        {"owner": OK, "editor": "access.owner_only", "viewer": "access.owner_only", "outsider": "access.not_member"},
    ),
}


def _state(t: Team) -> tuple[object, ...]:
    """Everything an action could change, read through the plain store and the owner."""
    stored = t.plain.get_versioned(t.plan_id) if t.plain.exists(t.plan_id) else None
    return (
        stored,
        [s.model_dump() for s in t.plain.list()],
        [r.id for r in t.plain.revisions(t.plan_id)],
        t.as_["owner"].members(t.workspace),
        t.as_["owner"].comments(t.plan_id, include_resolved=True),
        [w.id for w in t.as_["owner"].workspaces()],
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action(team: Team, action: str, role: str) -> None:
    do, outcomes = ACTIONS[action]
    expected = outcomes[role]
    who = team.as_[role]
    before = _state(team)
    if expected == OK:
        do(team, who)
        return
    with pytest.raises(StorageError) as info:
        do(team, who)
    if expected == NOT_FOUND:
        assert type(info.value) is StorageError and info.value.key == NOT_FOUND
        assert "早起营" not in str(info.value)  # never the plan
    else:
        assert isinstance(info.value, AccessDenied) and info.value.key == "storage.denied_action"
        assert info.value.reason == expected
    assert _state(team) == before  # a refused action changes nothing


def test_every_action_has_an_outcome_for_every_role() -> None:
    assert all(set(outcomes) == set(ROLES) for _, outcomes in ACTIONS.values())


def test_allowed_actions_do_what_they_say(team: Team) -> None:
    owner, editor, viewer = team.as_["owner"], team.as_["editor"], team.as_["viewer"]
    editor.rename(team.plan_id, "编辑改名")
    assert viewer.get(team.plan_id).meta.name == "编辑改名"
    assert team.plain.revisions(team.plan_id)[0].author == "editor@example.com"
    note = viewer.add_comment(team.plan_id, "goal", "  <b>评审</b>\x00 ")
    assert note.text == "<b>评审</b>" and note.author == "viewer@example.com"  # plain text, cleaned
    assert viewer.resolve_comment(note.id).resolved  # a viewer resolves their own comment
    assert [c.id for c in owner.comments(team.plan_id)] == [team.comment_id]
    assert [c.id for c in owner.comments(team.plan_id, "goal", include_resolved=True)] == [note.id]
    assert editor.resolve_comment(team.comment_id).resolved
    assert editor.resolve_comment(team.comment_id, resolved=False).resolved is False

    copy = editor.duplicate(team.plan_id, "团队副本", into=team.workspace)
    assert {s.id for s in viewer.list()} >= {team.plan_id, copy.id}
    owner.set_role(team.workspace, "viewer@example.com", Role.EDITOR)
    assert viewer.role_for_plan(team.plan_id) is Role.EDITOR
    owner.remove_member(team.workspace, "viewer@example.com")
    assert viewer.workspaces() == [w for w in viewer.workspaces() if w.personal]
    with pytest.raises(StorageError, match=r"storage.not_found"):
        viewer.get(team.plan_id)

    owner.delete_workspace(team.workspace)  # its plans, their history and comments go with it
    assert not team.plain.exists(team.plan_id) and not team.plain.exists(copy.id)
    assert team.plain.revisions(team.plan_id) == []
    assert owner.workspace_id == owner.personal_workspace_id  # new plans go home again
