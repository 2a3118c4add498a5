"""Chat-export extras for the data page: what was recognised (planner.data.chat_formats.describe), a chat
picker for exports holding several chats (Telegram full export), and whether the exporting account
counts. The choices live in scratch values and reach `chat_formats.detect` through the load options."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.ui import state
from planner.data import chat_formats
from planner.data.chat_formats import telegram
from planner.data.frames import LoadResult


def load_options() -> dict[str, Any]:
    """The chat choices to merge into the page's load options (they change the cache digest too)."""
    options: dict[str, Any] = {}
    if state.scratch("data.chat"):
        options["chat"] = state.scratch("data.chat")
    if state.scratch("data.keep_self") is False:
        options["keep_self"] = False
    return options


def is_chat_export(result: LoadResult) -> bool:
    return any(slug in chat_formats.FORMATS for slug in result.format.split("+"))


def render(result: LoadResult) -> None:
    """The summary line, the chat picker and the exporting-account toggle (chat exports only)."""
    if not is_chat_export(result):
        return
    st.info(chat_formats.describe(result, state.lang(), escape=state.md), icon=":material/chat:")
    chats = getattr(result, "chats", [])
    if chats:
        ids = [chat.id for chat in chats]
        labels = {c.id: state.t_plain("chat.picker.option", name=c.name, messages=f"{c.messages:,}") for c in chats}
        compared = telegram.compared_chats(chats)
        if len(compared) > 1:  # every group chat side by side, each its own group
            ids.insert(0, telegram.ALL_CHATS)
            labels[telegram.ALL_CHATS] = state.t_plain("chat.picker.all", count=len(compared))
        current = getattr(result, "chat_id", None) if getattr(result, "chat_id", None) in ids else ids[0]
        picked = st.selectbox(state.t("chat.picker.label"), ids, index=ids.index(current), format_func=labels.get,
                              key="data.chat_pick", help=state.t("chat.picker.help"))
        if picked != current:
            state.set_scratch("data.chat", picked)
            st.rerun()
    keep = state.scratch("data.keep_self") is not False
    wanted = st.toggle(state.t("chat.keep_self.label"), value=keep, key="data.keep_self_toggle",
                       help=state.t("chat.keep_self.help"))
    if wanted != keep:
        state.set_scratch("data.keep_self", wanted)
        st.rerun()
