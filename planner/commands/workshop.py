"""`workshop create|show|export|archive|delete`: workshops in the configured database
(planner.store.workshops; the same choice of database as the app's).

`create` prints the code, the join link (`?workshop=CODE` on `--base-url`) and, without
`--trainer EMAIL`, the trainer key, shown this once. The command line holds the database address,
so it acts as the trainer of every workshop (as `workspace adopt` acts for whoever set the server
up). A refused action or an unknown code is one localized line and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from models.text import clean_text
from planner import i18n
from planner.commands import fail
from planner.commands.plans import storage_failure
from planner.plan.examples import example_slugs, load_example, new_blank_plan
from planner.plan.progress import STEPS
from planner.store import AccessDenied, InvalidInput, StorageError, WorkshopStore, configured_url, open_store
from planner.store.config import secrets_files
from planner.workshop import workshop_report, workshop_zip

BASE_URL = "http://localhost:8501"


def register(subparsers: argparse._SubParsersAction) -> None:
    workshop = subparsers.add_parser("workshop", help="workshops: create, show, export, archive, delete")
    actions = workshop.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages and documents")

    create = actions.add_parser("create", parents=[common], help="a new workshop: code, join link, trainer key")
    create.add_argument("--name", required=True, help="the workshop's name")
    start = create.add_mutually_exclusive_group()
    start.add_argument("--from-example", metavar="SLUG", help="everyone starts from this example (list-examples)")
    start.add_argument("--from-plan", metavar="ID", help="everyone starts from this stored plan")
    create.add_argument("--steps", default="", help=f"steps in focus, comma-separated: {', '.join(STEPS)}")
    create.add_argument("--ends", metavar="TIME", help="end time, e.g. 2027-03-01T18:00 (local time unless a zone)")
    create.add_argument("--trainer", metavar="EMAIL", help="the signed-in trainer (server mode); no key then")
    create.add_argument("--base-url", default=BASE_URL, help=f"the app's address for the link (default {BASE_URL})")
    create.add_argument("--json", action="store_true", help="code, link and trainer_key as JSON")
    create.set_defaults(func=_guarded(run_create))

    show = actions.add_parser("show", parents=[common], help="a workshop and each participant's progress")
    show.add_argument("code")
    show.add_argument("--json", action="store_true", help="JSON with `participants`")
    show.set_defaults(func=_guarded(run_show))

    export = actions.add_parser("export", parents=[common], help="one ZIP: every plan as PDF and DOCX, a summary")
    export.add_argument("code")
    export.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder the ZIP is written into")
    export.add_argument("--workers", type=int, default=None, help="processes rendering plans (default: one per core)")
    export.set_defaults(func=_guarded(run_export))

    archive = actions.add_parser("archive", parents=[common], help="close it: no joining, plans read only")
    archive.add_argument("code")
    archive.set_defaults(func=_guarded(run_archive))

    delete = actions.add_parser("delete", parents=[common], help="erase it with every participant's plan")
    delete.add_argument("code")
    delete.set_defaults(func=_guarded(run_delete))


def _guarded(run: Callable[[WorkshopStore, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def guarded(args: argparse.Namespace) -> int:
        try:
            store = open_store(configured_url(secrets_files()))
        except StorageError as exc:
            return storage_failure(exc, args)
        try:
            return int(run(WorkshopStore(store), args))
        except AccessDenied as exc:
            return fail(i18n.t("workshop.cli.refused", args.lang, reason=i18n.t(exc.reason, args.lang)))
        except InvalidInput as exc:
            return fail(i18n.t(exc.key, args.lang))
        except StorageError as exc:
            if exc.key == "storage.not_found" and getattr(args, "code", None):
                return fail(i18n.t("workshop.cli.not_found", args.lang, code=args.code))
            return storage_failure(exc, args)
        finally:
            store.close()

    guarded.__name__ = run.__name__
    return guarded


def link(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/?workshop={code}"


def run_create(workshops: WorkshopStore, args: argparse.Namespace) -> int:
    slug = args.from_example
    if slug is not None and slug not in example_slugs():
        choices = ", ".join(example_slugs())
        return fail(i18n.t("workshop.cli.unknown_example", args.lang, slug=slug, choices=choices))
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        return fail(i18n.t("workshop.cli.unknown_step", args.lang, steps=", ".join(unknown), choices=", ".join(STEPS)))
    ends = None
    if args.ends:
        try:
            ends = datetime.fromisoformat(args.ends)
        except ValueError:
            return fail(i18n.t("workshop.cli.bad_time", args.lang, value=args.ends))
        ends = ends if ends.tzinfo is not None else ends.astimezone()  # a bare time is local time
    if slug is not None:
        start = load_example(slug)
    elif args.from_plan:
        try:
            start = workshops.store.get(args.from_plan)
        except StorageError as exc:
            if exc.key != "storage.not_found":
                raise
            return fail(i18n.t("plans.cli.not_found", args.lang, id=args.from_plan))
    else:
        start = new_blank_plan(args.name, args.lang)
    made, key = workshops.create(
        args.name, start, start_slug=slug, steps=steps, ends_at=ends, trainer_email=args.trainer
    )
    url = link(args.base_url, made.code)
    if args.json:
        print(json.dumps({"code": made.code, "link": url, "trainer_key": key}, ensure_ascii=False, indent=1))
        return 0
    print(clean_text(i18n.t("workshop.cli.created", args.lang, name=made.name, code=made.code)))
    print(clean_text(i18n.t("workshop.cli.link", args.lang, link=url)))
    if key:
        print(i18n.t("workshop.cli.key", args.lang, trainer_key=key))
    return 0


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def run_show(workshops: WorkshopStore, args: argparse.Namespace) -> int:
    workshop = workshops.get(args.code)
    rows = workshop_report(workshops, workshop.code, args.lang)
    if args.json:
        out = {
            "code": workshop.code,
            "name": workshop.name,
            "start_slug": workshop.start_slug,
            "steps": workshop.steps,
            "ends_at": _time(workshop.ends_at),
            "trainer_email": workshop.trainer_email,
            "created_at": _time(workshop.created_at),
            "archived": workshop.archived,
            "ended": workshop.ended(),
            "participants": [
                {
                    "name": r["name"],
                    "plan_id": r["plan_id"],
                    "completeness": r["completeness"],
                    "steps": r["steps"],
                    "errors": r["errors"],
                    "warnings": r["warnings"],
                    "last_step": r["last_step"],
                    "last_seen": _time(r["last_seen"]),
                    "joined_at": _time(r["joined_at"]),
                    "missing": r["missing"],
                }
                for r in rows
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    state = (
        i18n.t("workshop.cli.state_archived", args.lang)
        if workshop.archived
        else i18n.t("workshop.cli.state_ended", args.lang)
        if workshop.ended()
        else ""
    )
    header = i18n.t(
        "workshop.cli.header", args.lang, name=workshop.name, code=workshop.code, count=len(rows), state=state
    )
    print(clean_text(header))
    for r in rows:
        seen = r["last_seen"].isoformat() if r["last_seen"] else "-"
        line = f"{r['name']}\t{r['completeness']}%\tE{r['errors']}\tW{r['warnings']}\t{r['last_step'] or '-'}\t{seen}"
        print(clean_text(line))
    return 0


def run_export(workshops: WorkshopStore, args: argparse.Namespace) -> int:
    workshop = workshops.get(args.code)
    started = time.perf_counter()
    data = workshop_zip(workshops, workshop.code, args.lang, workers=args.workers)
    path = args.out / f"workshop-{workshop.code}.zip"
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        return fail(i18n.t("workshop.cli.cannot_write", args.lang, path=str(path), reason=exc.strerror or str(exc)))
    count = len(workshops.participants(workshop.code))
    seconds = f"{time.perf_counter() - started:.1f}"
    print(clean_text(i18n.t("workshop.cli.exported", args.lang, path=str(path), count=count, seconds=seconds)))
    return 0


def run_archive(workshops: WorkshopStore, args: argparse.Namespace) -> int:
    workshop = workshops.archive(args.code)
    print(i18n.t("workshop.cli.archived_now", args.lang, code=workshop.code))
    return 0


def run_delete(workshops: WorkshopStore, args: argparse.Namespace) -> int:
    workshop = workshops.get(args.code)
    count = workshops.delete(workshop.code)
    print(i18n.t("workshop.cli.deleted", args.lang, code=workshop.code, count=count))
    return 0
