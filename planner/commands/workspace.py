"""`workspace create|invite|list|adopt --as EMAIL`: a team member's workspaces in the configured
database (planner.store.access). Every action is that member's, checked by the store; a refused one
is one localized line and exit 2."""

from __future__ import annotations

import argparse
import json
import sys

from models.text import clean_text
from planner import i18n
from planner.commands import fail
from planner.commands.plans import guarded
from planner.store import PlanStore, Role, StorageError, TeamStore, Workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    workspace = subparsers.add_parser("workspace", help="a team member's workspaces: create, invite, list, adopt")
    actions = workspace.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")
    common.add_argument("--as", dest="acting", metavar="EMAIL", required=True, help="the team member acting")

    create = actions.add_parser("create", parents=[common], help="a new team workspace (you are its owner)")
    create.add_argument("name")
    create.set_defaults(func=run_create)

    invite = actions.add_parser("invite", parents=[common], help="invite someone, or change a member's role")
    invite.add_argument("name", metavar="WORKSPACE", help="name or id of one of your workspaces")
    invite.add_argument("email")
    invite.add_argument("--role", choices=[r.value for r in Role], required=True)
    invite.set_defaults(func=run_invite)

    listing = actions.add_parser("list", parents=[common], help="your workspaces and your role in each")
    listing.add_argument("--json", action="store_true", help="a JSON list instead of lines")
    listing.set_defaults(func=run_list)

    adopt = actions.add_parser("adopt", parents=[common], help="move every plan without a workspace into one")
    adopt.add_argument("name", metavar="WORKSPACE", help="name or id of a workspace you own")
    adopt.set_defaults(func=run_adopt)


def _named(team: TeamStore, args: argparse.Namespace) -> Workspace | int:
    """The member's workspace named on the command line, or the exit status after saying there is none."""
    try:
        return team.workspace_by_name(args.name)
    except StorageError as exc:
        if exc.key != "storage.not_found":
            raise
        return fail(i18n.t("access.cli.no_workspace", args.lang, name=args.name))


@guarded
def run_create(team: PlanStore, args: argparse.Namespace) -> int:
    assert isinstance(team, TeamStore)
    try:
        made = team.create_workspace(args.name)
    except ValueError:
        return fail(i18n.t("access.cli.name_needed", args.lang))
    print(clean_text(i18n.t("access.cli.created", args.lang, name=made.name, id=made.id)))
    return 0


@guarded
def run_invite(team: PlanStore, args: argparse.Namespace) -> int:
    assert isinstance(team, TeamStore)
    found = _named(team, args)
    if isinstance(found, int):
        return found
    try:
        member = team.invite(found.id, args.email, Role(args.role))
    except ValueError:
        return fail(i18n.t("access.cli.bad_email", args.lang, email=args.email))
    print(clean_text(i18n.t("access.cli.invited", args.lang, email=member.email, name=found.name, role=member.role)))
    if member.pending:
        print(clean_text(i18n.t("access.cli.pending", args.lang, email=member.email)), file=sys.stderr)
    return 0


@guarded
def run_list(team: PlanStore, args: argparse.Namespace) -> int:
    assert isinstance(team, TeamStore)
    found = team.workspaces()
    if args.json:
        rows = [{"id": w.id, "name": w.name, "personal": w.personal, "role": w.role.value} for w in found]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for w in found:
        kind = "personal" if w.personal else "team"
        print(clean_text(f"{w.id}\t{w.role.value}\t{kind}\t{w.name}"))
    return 0


@guarded
def run_adopt(team: PlanStore, args: argparse.Namespace) -> int:
    assert isinstance(team, TeamStore)
    found = _named(team, args)
    if isinstance(found, int):
        return found
    count = team.adopt_unassigned(found.id)
    print(clean_text(i18n.t("access.cli.adopted", args.lang, count=count, name=found.name)))
    return 0
