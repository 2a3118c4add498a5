"""The load test's Streamlit protocol client (benchmarks/st_client.py): the messages it builds, what it
reads from the server's, and its latency bookkeeping."""

from __future__ import annotations

import math

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.st_client import (
    FINISHED,
    FRAGMENT,
    FRAGMENT_FINISHED,
    FULL,
    Runs,
    error_of,
    percentile,
    rerun_message,
    user_key,
    widget_of,
)

EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@pytest.mark.parametrize(("q", "expected"), [(0.5, 5), (0.95, 10), (0.0, 1), (1.0, 10), (0.1, 1), (0.11, 2)])
def test_percentile_is_the_nearest_rank(q: float, expected: float) -> None:
    assert percentile([10, 3, 1, 7, 2, 9, 4, 6, 8, 5], q) == expected


def test_percentile_of_nothing_is_not_a_number() -> None:
    assert math.isnan(percentile([], 0.5))
    assert percentile([0.25], 0.95) == 0.25


def test_a_rerun_message_carries_the_page_the_query_and_each_widget_value() -> None:
    raw = rerun_message("resume=abc&plan=p1", "positioning",
                        {"$$ID-1-why": ("string_value", "为什么"), "$$ID-2-go": ("trigger_value", True)})
    msg = BackMsg()
    msg.ParseFromString(raw)
    assert msg.WhichOneof("type") == "rerun_script"
    state = msg.rerun_script
    assert (state.query_string, state.page_name, state.fragment_id, state.is_auto_rerun) == \
        ("resume=abc&plan=p1", "positioning", "", False)
    widgets = {w.id: w for w in state.widget_states.widgets}
    assert widgets["$$ID-1-why"].string_value == "为什么"
    assert widgets["$$ID-2-go"].trigger_value is True


def test_a_fragment_tick_names_its_fragment_and_says_it_is_automatic() -> None:
    msg = BackMsg()
    msg.ParseFromString(rerun_message("room=K7MQ2D", "workshop", {}, fragment_id="f1", auto=True))
    assert (msg.rerun_script.fragment_id, msg.rerun_script.is_auto_rerun) == ("f1", True)
    assert not msg.rerun_script.widget_states.widgets


@pytest.mark.parametrize(("widget_id", "key"), [
    ("$$ID-b5e4e8b554ebbabbcc6dde46a37e03a1-positioning.positioning.why@1.zh",
     "positioning.positioning.why@1.zh"),
    ("$$ID-6ae3-FormSubmitter:workshop.join-加入", "FormSubmitter:workshop.join-加入"),
    ("$$ID-abc-None", "None"),
    ("plain-id", "plain-id"),
])
def test_user_key_is_what_follows_the_hash(widget_id: str, key: str) -> None:
    assert user_key(widget_id) == key


def _element(kind: str, **values: object) -> ForwardMsg:
    msg = ForwardMsg()
    element = getattr(msg.delta.new_element, kind)
    for name, value in values.items():
        setattr(element, name, value)
    return msg


def test_a_widget_is_read_from_its_delta_and_plain_text_is_not_a_widget() -> None:
    found = widget_of(_element("text_area", id="$$ID-1-k", label="WHY 为什么建群"))
    assert found is not None
    assert (found.kind, found.id, found.label) == ("text_area", "$$ID-1-k", "WHY 为什么建群")
    assert widget_of(_element("markdown", body="**hello**")) is None
    finished = ForwardMsg()
    finished.script_finished = FINISHED
    assert widget_of(finished) is None


def test_exceptions_and_error_boxes_count_as_errors_warnings_do_not() -> None:
    assert "ValueError" in (error_of(_element("exception", type="ValueError", message="bad")) or "")
    assert error_of(_element("exception", type="Deprecation", message="old", is_warning=True)) is None
    assert "未保存" in (error_of(_element("alert", body="未保存", format=1)) or "")
    assert error_of(_element("alert", body="请注意", format=2)) is None  # a warning box
    assert error_of(_element("markdown", body="error")) is None


def test_a_full_rerun_is_answered_by_the_first_full_run_that_began_after_it() -> None:
    runs = Runs()
    runs.started(0.0)  # a run already under way when the request leaves
    runs.sent(FULL, 1.0)
    assert runs.finished(FINISHED, 1.5) == []  # that older run's end does not answer it
    runs.started(1.6)
    assert runs.finished(EARLY, 1.7) == []  # stopped early for a newer request
    runs.started(1.8)
    assert runs.finished(FRAGMENT_FINISHED, 2.0) == []  # a fragment's run is not the page's
    runs.started(2.1)
    assert runs.finished(FINISHED, 2.5) == [(FULL, 1.5)]
    assert runs.pending == []


def test_a_fragment_tick_is_answered_by_its_own_run_or_a_full_one() -> None:
    runs = Runs()
    runs.sent(FRAGMENT, 0.0)
    runs.sent(FULL, 0.2)
    runs.started(0.3)  # the server folded both into one full run
    assert sorted(runs.finished(FINISHED, 0.5)) == [(FRAGMENT, 0.5), (FULL, pytest.approx(0.3))]
    runs.sent(FRAGMENT, 1.0)
    runs.started(1.1)
    assert runs.finished(FRAGMENT_FINISHED, 1.4) == [(FRAGMENT, pytest.approx(0.4))]
