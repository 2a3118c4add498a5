"""pages.ui.per_run: an answer is worked out once per script run and again in the next run."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from pages.ui import per_run


@pytest.fixture
def run_context(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    ctx = SimpleNamespace(cursors={})
    monkeypatch.setattr(per_run, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    return ctx


def counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def make() -> int:
        calls.append(1)
        return len(calls)
    return calls, make


def test_once_per_run(run_context: SimpleNamespace) -> None:
    calls, make = counter()
    assert [per_run.once("k", make) for _ in range(5)] == [1, 1, 1, 1, 1]
    assert len(calls) == 1
    run_context.cursors = {}  # Streamlit starts the next run (or a fragment's run)
    assert per_run.once("k", make) == 2
    assert per_run.once("k", make) == 2


def test_keys_apart_and_forget(run_context: SimpleNamespace) -> None:
    _, make_a = counter()
    _, make_b = counter()
    assert per_run.once("a", make_a) == 1
    assert per_run.once("b", make_b) == 1
    per_run.forget("a")
    assert per_run.once("a", make_a) == 2
    assert per_run.once("b", make_b) == 1


def test_outside_a_run_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(per_run, "get_script_run_ctx", lambda suppress_warning=False: None)
    _, make = counter()
    assert [per_run.once("k", make) for _ in range(3)] == [1, 2, 3]
    per_run.forget("k")  # nothing to forget: no error
