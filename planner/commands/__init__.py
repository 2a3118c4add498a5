"""Sub-commands of `python -m planner`, one module each (see planner/commands/cli.py).

The helpers below are what several commands share: every module here is imported as a command, so
they live in the package itself rather than in a module of their own. Text for the terminal goes
through `models.text.clean_text`: an ESC or BEL in a plan's or a file's name would
otherwise drive the user's terminal, and a lone surrogate would stop the print with an error."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from models.problems import Problem
from models.text import clean_text
from planner import i18n


def report(problems: Iterable[Problem], lang: str) -> None:
    """Each problem as a localized line on standard error."""
    for problem in problems:
        print(clean_text(i18n.render_problem(problem, lang)), file=sys.stderr)


def fail(message: str) -> int:
    """`message` on standard error; the exit status of a command that could not do its work."""
    print(clean_text(message), file=sys.stderr)
    return 2


def read_files(paths: Sequence[Path]) -> tuple[list[tuple[str, bytes]], tuple[Path, str] | None]:
    """(file name, bytes) of every path, for `ingest.load_files`; on the first file that cannot be read,
    also (that path, the reason) so the command can say so in its own words."""
    files = []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            return files, (path, exc.strerror or str(exc))
    return files, None
