"""A light Streamlit client for load tests: it speaks the app's own WebSocket protocol
(`/_stcore/stream`, BackMsg / ForwardMsg protobufs from `streamlit.proto`) as the browser's frontend
does, without drawing anything, so thirty of them share one core beside the server.

What it does like the frontend: a run is asked for with a `rerun_script` BackMsg carrying the query
string, the page (its url path) and the widgets' values; the server answers with ForwardMsgs (a
`new_session` per run, deltas, `page_info_changed` when the script sets query parameters) and ends
each run with `script_finished`. A fragment with `run_every` arrives as an `auto_rerun` message: the
client then asks for that fragment at that interval (the frontend's setInterval), until the next full
run forgets the timers and its own `auto_rerun` messages set them again.

A request's latency is the time from sending it to the end of the first run that started after it
was sent and covers it: a full run for a full rerun (one preempted by a newer request does not count),
a full or fragment run for a fragment's rerun (the server folds a pending fragment into a full run).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
FRAGMENT_FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

FULL = "full"
FRAGMENT = "fragment"

# The WidgetState field a widget's value travels in, by the element that draws it.
VALUE_FIELD = {"text_input": "string_value", "text_area": "string_value", "button": "trigger_value",
               "checkbox": "bool_value", "number_input": "double_value"}


# --- pure helpers ---------------------------------------------------------------------------------
def percentile(values: Iterable[float], q: float) -> float:
    """The `q` quantile (0..1) of `values` by the nearest rank; NaN without values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-q * len(ordered) // 1))  # ceil(q * n), at least the first
    return ordered[int(min(rank, len(ordered))) - 1]


def user_key(widget_id: str) -> str:
    """The key the script gave a widget, from the id Streamlit made of it (`$$ID-<hash>-<key>`);
    a widget without a key gives its id."""
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 else widget_id


def rerun_message(query_string: str, page: str, values: dict[str, tuple[str, Any]], *,
                  fragment_id: str = "", auto: bool = False) -> bytes:
    """A `rerun_script` BackMsg: the page's url path, its query string and the widgets' values
    (widget id -> (WidgetState field, value)), for the whole script or one fragment."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_name = page
    state.fragment_id = fragment_id
    state.is_auto_rerun = auto
    for widget_id, (kind, value) in values.items():
        widget = state.widget_states.widgets.add()
        widget.id = widget_id
        setattr(widget, kind, value)
    return msg.SerializeToString()


@dataclass
class Widget:
    kind: str  # the element's type: text_area, button, ...
    id: str
    label: str


def widget_of(msg: ForwardMsg) -> Widget | None:
    """The widget a delta draws (one with an id), else None."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    kind = msg.delta.new_element.WhichOneof("type")
    element = getattr(msg.delta.new_element, kind or "", None)
    widget_id = getattr(element, "id", "")
    return Widget(kind, widget_id, getattr(element, "label", "")) if kind and widget_id else None


def error_of(msg: ForwardMsg) -> str | None:
    """What a delta shows that a person would take for a failure: an exception (a traceback or
    Streamlit's own error box) or an error alert; else None."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception" and not element.exception.is_warning:
        return f"exception {element.exception.type}: {element.exception.message[:160]}"
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return f"error alert: {element.alert.body[:160]}"
    return None


@dataclass
class Runs:
    """Latency bookkeeping of one session's requests, from the messages' arrival times alone."""

    pending: list[tuple[str, float]] = field(default_factory=list)  # (FULL | FRAGMENT, sent at)
    run_started: float = float("-inf")

    def sent(self, kind: str, at: float) -> None:
        self.pending.append((kind, at))

    def started(self, at: float) -> None:
        self.run_started = at

    def finished(self, status: int, at: float) -> list[tuple[str, float]]:
        """The requests this run's end answers, each with its latency; the rest stay pending."""
        covers = {FULL, FRAGMENT} if status == FINISHED else {FRAGMENT} if status == FRAGMENT_FINISHED else set()
        done = [(kind, sent) for kind, sent in self.pending if kind in covers and sent <= self.run_started]
        self.pending = [request for request in self.pending if request not in done]
        return [(kind, at - sent) for kind, sent in done]


# --- the client -----------------------------------------------------------------------------------
class Client:
    """One browser tab's worth of Streamlit session, without the browser."""

    def __init__(self, url: str, name: str = "") -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.name = name
        self.query_string = ""
        self.page = ""
        self.widgets: dict[str, Widget] = {}  # user key -> widget, as the last full run drew them
        self.values: dict[str, tuple[str, Any]] = {}  # widget id -> value this client set
        self.errors: list[str] = []
        self.latencies: dict[str, list[float]] = {FULL: [], FRAGMENT: []}
        self._runs = Runs()
        self._drawing: dict[str, Widget] = {}
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._answered = asyncio.Event()
        self._ws: Any = None
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> Client:
        import websockets

        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=60, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # what a person does
    async def open(self, page: str = "", query_string: str | None = None, timeout: float = 60) -> float:
        """Open a page (its url path; "" the default one), as typing its address does."""
        if query_string is not None:
            self.query_string = query_string
        self.page = page
        self.values.clear()  # a page opened anew: its widgets start from what the script gives them
        return await self.rerun(timeout=timeout)

    async def set_value(self, key_prefix: str, value: Any, timeout: float = 60) -> float:
        """Change the widget whose key starts with `key_prefix` (a text box left after typing)."""
        widget = self.widget(key_prefix)
        self.values[widget.id] = (VALUE_FIELD[widget.kind], value)
        return await self.rerun(timeout=timeout)

    async def submit(self, form_values: dict[str, Any], button_prefix: str, timeout: float = 60) -> float:
        """Fill a form's widgets (key prefix -> value) and press its submit button."""
        for prefix, value in form_values.items():
            widget = self.widget(prefix)
            self.values[widget.id] = (VALUE_FIELD[widget.kind], value)
        button = self.widget(button_prefix)
        # a trigger is true in the one run the press starts, as the frontend sends it
        return await self.rerun({button.id: ("trigger_value", True)}, timeout=timeout)

    def widget(self, key_prefix: str) -> Widget:
        found = [w for key, w in self.widgets.items() if key.startswith(key_prefix)]
        if len(found) != 1:
            raise LookupError(f"{self.name}: {len(found)} widgets whose key starts with {key_prefix!r}")
        return found[0]

    async def rerun(self, once: dict[str, tuple[str, Any]] | None = None, timeout: float = 60) -> float:
        """A full rerun with the widgets' values; its latency once a full run that began after it ended."""
        count = len(self.latencies[FULL])
        self._runs.sent(FULL, time.perf_counter())
        await self._ws.send(rerun_message(self.query_string, self.page, {**self.values, **(once or {})}))
        async with asyncio.timeout(timeout):
            while len(self.latencies[FULL]) == count:
                self._answered.clear()
                await self._answered.wait()
        return self.latencies[FULL][-1]

    # what the frontend does by itself
    def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self._timers and self._timers[fragment_id][0] == interval:
            return  # the same timer again: its countdown goes on
        if fragment_id in self._timers:
            self._timers[fragment_id][1].cancel()
        self._timers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        while True:  # like setInterval: a tick does not wait for the previous one's run
            await asyncio.sleep(interval)
            self._runs.sent(FRAGMENT if fragment_id else FULL, time.perf_counter())
            try:
                await self._ws.send(rerun_message(self.query_string, self.page, self.values,
                                                  fragment_id=fragment_id, auto=True))
            except Exception:  # the connection is closing: the tab is gone
                return

    async def _read(self) -> None:
        async for raw in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._handle(msg, time.perf_counter())

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._runs.started(now)
            if msg.metadata.run.fragment_ids:  # a fragment run redraws its part of the page
                self._drawing = dict(self.widgets)
            else:  # a full run: the frontend forgets its timers, the page is drawn anew
                for _, task in self._timers.values():
                    task.cancel()
                self._timers.clear()
                self._drawing = {}
        elif kind == "delta":
            widget = widget_of(msg)
            if widget is not None:
                self._drawing[user_key(widget.id)] = widget
            error = error_of(msg)
            if error is not None:
                self.errors.append(f"{self.name} {self.page}: {error}")
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self._auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "script_finished":
            status = msg.script_finished
            if status == COMPILE_ERROR:
                self.errors.append(f"{self.name} {self.page}: the script did not compile")
            if status in (FINISHED, FRAGMENT_FINISHED):
                self.widgets = self._drawing
            if status == FINISHED:
                live = {w.id for w in self.widgets.values()}
                self.values = {k: v for k, v in self.values.items() if k in live}
            for request, latency in self._runs.finished(status, now):
                self.latencies[request].append(latency)
            self._answered.set()
