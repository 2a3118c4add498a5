"""Workshop room (issue 16), for the trainer: create a workshop (code, link, QR code, trainer key),
then a dashboard that refreshes by itself: one row per participant, how far the room is per step,
a participant's plan read-only or side by side with another's, and at the end one ZIP of every plan
plus a summary, then archive or delete (participants' data erased)."""

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from pages.ui import account, layout, state
from planner.labels import distinct_labels
from planner.links import qr_png, workshop_link
from planner.plan.examples import example_slugs_for, load_example
from planner.plan.summary import one_page

NS = "room"
STEPS = ("research", "elements", "positioning", "lifecycle", "roles", "sop", "replication")
REFRESH_S = 3

layout.header("workshop")
code = str(st.query_params.get("room", "")).strip().upper()


def _create() -> None:
    with st.form(f"{NS}.create", border=True):
        st.subheader(state.t("room.create.title"))
        name = st.text_input(state.t("room.create.name"), key=f"{NS}.name", max_chars=80)
        slugs = ["", *example_slugs_for(state.lang())]
        start = st.selectbox(state.t("room.create.start"), slugs, key=f"{NS}.start",
                             format_func=lambda s: load_example(s, fresh_id=False).meta.name if s
                             else state.t_plain("room.create.blank"))
        steps = st.multiselect(state.t("room.create.steps"), list(STEPS), default=list(STEPS), key=f"{NS}.steps",
                               format_func=lambda s: state.t_plain(f"page.{s}"),
                               placeholder=state.t_plain("widget.pick_some"), select_all=False)
        hours = st.number_input(state.t("room.create.hours"), min_value=0.5, max_value=24.0, value=3.0, step=0.5,
                                key=f"{NS}.hours")
        if st.form_submit_button(state.t("room.create.go"), type="primary") and name.strip():
            start_plan = load_example(start) if start else None
            person = account.signed_in()
            made = state.create_workshop(name.strip(), start_plan, start_slug=start or None, steps=steps,
                                         ends_at=datetime.now().astimezone() + timedelta(hours=hours),
                                         trainer_email=person.email if person else None)
            if made is not None:
                st.query_params["room"] = made
                st.rerun()


def _unlock() -> None:
    with st.form(f"{NS}.unlock", border=True):
        st.subheader(state.t("room.unlock.title"))
        room = st.text_input(state.t("room.unlock.code"), value=code, key=f"{NS}.unlock.code", max_chars=12)
        key = st.text_input(state.t("room.unlock.key"), type="password", key=f"{NS}.unlock.key")
        if st.form_submit_button(state.t("room.unlock.go")):
            if state.unlock_room(room.strip(), key.strip()):
                st.query_params["room"] = room.strip().upper()
                st.rerun()
            st.error(state.t("room.unlock.wrong"), icon=":material/lock:")


if not code or not state.runs_room(code):
    if code:
        st.info(state.t("room.need_key"), icon=":material/lock:")
    left, right = st.columns(2)
    with left:
        _create()
    with right:
        _unlock()
    st.stop()

workshop = state.safe(lambda: state.workshops().get(code))
if workshop is None:
    st.error(state.t("room.gone", code=code))
    st.stop()

# --- the room's header: what to project -----------------------------------------------------------
key_shown = state.scratch(f"room.key.{code}")
head, qr = st.columns([3, 2])
with head:
    st.subheader(state.md(workshop.name))
    st.markdown(state.t("room.code", code=code))
    link = workshop_link(state.page_address(), code)
    st.code(link, language=None)
    if workshop.ends_at:
        st.caption(state.t("room.ends", time=workshop.ends_at.astimezone().strftime("%H:%M")))
    if key_shown:
        st.warning(state.t("room.key_once", trainer_key=key_shown), icon=":material/key:")
with qr:
    st.image(qr_png(link), caption=state.t("room.qr_caption"), width=300)


@st.fragment(run_every=REFRESH_S)
def _dashboard() -> None:
    report = state.safe(lambda: state.room_report(code)) or []
    if not report:
        st.info(state.t("room.empty"), icon=":material/waving_hand:")
        return
    st.markdown(f"**{state.t('room.progress_title', count=len(report))}**")
    # how far the room is per step: the mean of every participant's percent for that step
    strip = pd.DataFrame([{state.t_plain(f"page.{s}"): sum(r["steps"].get(s, 0) for r in report) / len(report) / 100
                           for s in workshop.steps or STEPS}])
    st.dataframe(strip, hide_index=True, width="stretch", column_config={
        c: st.column_config.ProgressColumn(c, min_value=0, max_value=1, format="percent") for c in strip.columns})
    wanted = st.text_input(state.t("room.filter"), key=f"{NS}.filter", placeholder=state.t("room.filter_hint"))
    rows = [r for r in report if wanted.strip().lower() in r["name"].lower()]
    focus = list(workshop.steps or STEPS)
    table = pd.DataFrame([{
        state.t_plain("room.col.name"): r["name"],
        state.t_plain("room.col.step"): state.t_plain(f"page.{r['last_step']}") if r["last_step"] else "",
        state.t_plain("room.col.done"): r["completeness"] / 100,
        **{state.t_plain(f"page.{s}"): r["steps"].get(s, 0) / 100 for s in focus},  # each step in focus
        state.t_plain("room.col.errors"): r["errors"],
        state.t_plain("room.col.warnings"): r["warnings"],
        state.t_plain("room.col.seen"): r["last_seen"].astimezone().strftime("%H:%M:%S") if r["last_seen"] else "",
    } for r in rows])
    progress = [state.t_plain("room.col.done"), *(state.t_plain(f"page.{s}") for s in focus)]
    st.dataframe(table, hide_index=True, width="stretch", column_config={  # click a header to sort
        c: st.column_config.ProgressColumn(c, min_value=0, max_value=1, format="percent") for c in progress})


_dashboard()

# --- one participant, or two side by side --------------------------------------------------------
people = state.safe(lambda: state.workshops().participants(code)) or []
if people:
    names = distinct_labels((p.id, p.name) for p in people)
    ids = list(names)
    left, right = st.columns(2)
    first = left.selectbox(state.t("room.open"), ids, format_func=names.get, key=f"{NS}.first")
    second = right.selectbox(state.t("room.compare_with"), ["", *ids], key=f"{NS}.second",
                             format_func=lambda i: names.get(i, state.t_plain("room.nobody")))
    plan = state.room_plan(code, first)
    if plan is not None:
        state.put_in_spotlight(code, first)
        st.page_link("pages/present.py", label=state.t("room.spotlight"), icon=":material/slideshow:",
                     query_params={"spotlight": code})
    if plan is not None and not second:
        with st.container(border=True):
            for section in one_page(plan, state.lang()):
                st.markdown(f"**{state.md(section.title)}**")
                for label, value in section.lines:
                    st.markdown(f"{state.md(label)} · {state.md(value)}")
    elif plan is not None and second:
        other = state.room_plan(code, second)
        if other is not None:
            from planner.plan.diff import DiffKind, diff_plans

            rows = [r for r in diff_plans(plan, other, state.lang(), only_changes=True) if r.kind != DiffKind.SAME]
            st.dataframe(pd.DataFrame([{state.t_plain("trainer.compare.field"): r.label, names[first]: r.left,
                                        names[second]: r.right} for r in rows]),
                         hide_index=True, width="stretch", height=480)

# --- the end: every plan in one file, then archive or delete -------------------------------------
st.divider()
end_zip, end_archive, end_delete = st.columns(3)
if end_zip.button(state.t("room.zip.build"), key=f"{NS}.zip"):
    # about two seconds of work per participant (a PDF and a Word file each): show how far it is
    with st.status(state.t("room.zip.building"), expanded=True) as status:
        bar = st.progress(0.0)

        def _progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=state.t("room.zip.count", done=done, total=total))

        state.set_scratch(f"room.zip.{code}", state.room_zip(code, _progress))
        status.update(label=state.t("room.zip.ready"), state="complete", expanded=False)
built = state.scratch(f"room.zip.{code}")
if built:
    end_zip.download_button(state.t("room.zip.download"), built, file_name=f"workshop-{code}.zip",
                            mime="application/zip", key=f"{NS}.zip.download", on_click="ignore")
end_archive.button(state.t("room.archive"), key=f"{NS}.archive", disabled=workshop.archived,
                   on_click=lambda: state.safe(lambda: state.workshops().archive(code)))
with end_delete.popover(state.t("room.delete")):
    st.write(state.t("room.delete_confirm", count=len(people)))
    if st.button(state.t("room.delete_yes"), key=f"{NS}.delete", type="primary"):
        state.safe(lambda: state.workshops().delete(code))
        st.query_params.pop("room", None)
        st.rerun()
