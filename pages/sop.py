"""Group SOP: rules (trigger + task + owner + 话术 + material), generated defaults, the dated
schedule, Gantt and workload charts, design checks, a 话术 preview and calendar/spreadsheet exports."""

from datetime import date
from typing import Any

import streamlit as st

from models.enums import Layer, Stage
from models.problems import Step
from models.sop import Audience, EventKind, SopRule, SopType, TriggerKind
from pages.ui import layout, state, widgets
from pages.ui.case_notes import case_notes
from pages.ui.sop_extras import maturity_box, review_tab, setup_tab
from pages.ui.sop_views import rules_tab, sop_charts, sop_views
from planner import i18n
from planner.days import display_day, stored_day
from planner.labels import distinct_labels
from planner.markdown_text import escape_params
from planner.sop import edit as sop_edit
from planner.sop import files as sop_export
from planner.sop import schedule as sop

NS = "sop"
NEW = "__new__"
layout.header(NS)
plan = state.require_plan()
lang = state.lang()


def t(key: str, **params: Any) -> str:
    # Bound to this run's language, so format functions give the same labels whenever they run.
    # For markdown places: names from the plan in `params` are escaped.
    return i18n.t(key, lang, **escape_params(params))


def t_plain(key: str, **params: Any) -> str:
    # For select options, which Streamlit shows as plain text.
    return i18n.t(key, lang, **params)


def fmt_enum(enum_cls: type) -> Any:
    return lambda v: i18n.t(f"enum.{enum_cls.__name__}.{v}", lang)


# --- callbacks (run before the rerun, so the whole page shows the new plan) ------------------------
def choose_rule(rule_id: str | None) -> None:
    state.set_scratch("sop.editing", rule_id)
    state.set_scratch("sop.editor_gen", (state.scratch("sop.editor_gen", 0) or 0) + 1)
    state.set_scratch("sop.confirm_delete", False)


def on_pick(key: str) -> None:
    choose_rule(state.widget_value(key))


def generate_defaults() -> None:
    new_plan, added = sop_edit.add_missing_defaults(state.require_plan(), state.lang())
    if added:
        state.save(new_plan)
    state.set_scratch("sop.confirm_defaults", False)
    state.set_scratch("sop.notice", ("sop.defaults.added", {"n": added}))


def ask_defaults() -> None:
    state.set_scratch("sop.confirm_defaults", True)


def submit_rule(rule_id: str | None, keys: dict[str, str]) -> None:
    values = {name: state.widget_value(key) for name, key in keys.items()}
    rule, problems = sop_edit.rule_from_form(values, rule_id)
    if rule is not None:
        new_plan, problems = sop_edit.upsert_rule(state.require_plan(), rule)
    state.set_scratch("sop.form_problems", problems)
    if not problems:
        state.save(new_plan)
        state.set_scratch("sop.notice", ("sop.form.saved", {"name": rule.name}))
        if rule_id is None:
            choose_rule(rule.id)


def delete_rule(rule_id: str) -> None:
    new_plan, problems = sop_edit.delete_rule(state.require_plan(), rule_id)
    if not problems:
        state.save(new_plan)
        choose_rule(None)


# --- the rule editor ------------------------------------------------------------------------------
def rule_editor(rid: str, rule: SopRule | None) -> None:
    """The form for rule `rid` (`rule`; NEW and None: a new one), its problems and the delete button."""
    rule = rule or SopRule(id="", name="")
    trig = rule.trigger

    def k(name: str) -> str:
        # the form draws from the rule: when another session changes the rules, it shows their values
        return state.bound_key(NS, f"form.{rid}.{name}", shows="sop.rules")

    top = st.columns(2)
    kinds = [m.value for m in TriggerKind]
    top[0].selectbox(t("sop.form.kind"), kinds, index=kinds.index(trig.kind.value), key=k("kind"),
                     format_func=fmt_enum(TriggerKind))
    audiences = [m.value for m in Audience]
    top[1].selectbox(t("sop.form.audience"), audiences, index=audiences.index(rule.audience.value), key=k("audience"),
                     format_func=fmt_enum(Audience))
    kind = TriggerKind(state.widget_value(k("kind")) or trig.kind.value)
    audience = Audience(state.widget_value(k("audience")) or rule.audience.value)

    role_ids = [r.id for r in plan.roles]
    owner_options = ["", *role_ids]
    if rule.owner_role and rule.owner_role not in role_ids:
        owner_options.append(rule.owner_role)  # keep an unknown owner visible instead of dropping it
    role_names = distinct_labels((r.id, r.name or r.id) for r in plan.roles)

    def owner_label(role_id: str) -> str:
        if not role_id:
            return t("sop.form.no_owner")
        return role_names.get(role_id) or t_plain("sop.form.unknown_owner", owner=role_id)

    keys: dict[str, str] = {"kind": k("kind"), "audience": k("audience")}
    with st.form(key=state.widget_key(NS, "form", rid), clear_on_submit=rid == NEW, border=True):
        a, b = st.columns(2)
        a.text_input(t("field.sop.name"), value=rule.name, key=k("name"))
        b.selectbox(t("field.sop.owner"), owner_options, index=owner_options.index(rule.owner_role),
                    format_func=owner_label, key=k("owner_role"), help=t("sop.form.owner_help"))
        keys.update(name=k("name"), owner_role=k("owner_role"))

        # trigger fields for the chosen kind
        c, d = st.columns(2)
        if kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
            c.number_input(t("sop.form.day"), min_value=display_day(0), max_value=3650, step=1,
                           value=display_day(trig.day or 0), key=k("day"),
                           help=t(f"sop.form.day_help.{kind.value}"))
            d.time_input(t("sop.form.at_time"), value=trig.at_time or sop.DEFAULT_TIME, step=300, key=k("at_time"))
            keys.update(day=k("day"), at_time=k("at_time"))
        elif kind == TriggerKind.WEEKLY:
            c.multiselect(t("sop.form.weekdays"), list(sop.ALL_WEEKDAYS), default=trig.weekdays, key=k("weekdays"),
                          format_func=lambda d: i18n.t(f"sop.weekday.{d}", lang),
                          placeholder=i18n.t("widget.pick_some", lang), select_all=False)
            d.time_input(t("sop.form.at_time"), value=trig.at_time or sop.DEFAULT_TIME, step=300, key=k("at_time"))
            keys.update(weekdays=k("weekdays"), at_time=k("at_time"))
        elif kind == TriggerKind.ABSOLUTE:
            c.date_input(t("sop.form.at_date"), value=trig.at.date() if trig.at else start, key=k("at_date"),
                         format="YYYY-MM-DD")
            d.time_input(t("sop.form.at_time"), value=trig.at.time() if trig.at else sop.DEFAULT_TIME, step=300,
                         key=k("at_time"))
            keys.update(at_date=k("at_date"), at_time=k("at_time"))
        else:
            events = [m.value for m in EventKind]
            current = (trig.event or EventKind.MEMBER_JOINS).value
            c.selectbox(t("sop.form.event"), events, index=events.index(current), format_func=fmt_enum(EventKind),
                        key=k("event"))
            d.number_input(t("sop.form.threshold"), min_value=1, max_value=100000, step=1, value=trig.threshold or 3,
                           key=k("threshold"), help=t("sop.form.threshold_help"))
            keys.update(event=k("event"), threshold=k("threshold"))

        if audience == Audience.LAYER:
            layers = [m.value for m in Layer]
            ref = rule.audience_ref if rule.audience_ref in layers else layers[0]
            st.selectbox(t("sop.form.layer"), layers, index=layers.index(ref), format_func=fmt_enum(Layer),
                         key=k("audience_ref"))
            keys["audience_ref"] = k("audience_ref")
        elif audience == Audience.ROLE and role_ids:
            ref = rule.audience_ref if rule.audience_ref in role_ids else role_ids[0]
            st.selectbox(t("sop.form.role"), role_ids, index=role_ids.index(ref), format_func=role_names.get,
                         key=k("audience_ref"))
            keys["audience_ref"] = k("audience_ref")

        e, f, g = st.columns(3)
        types = [m.value for m in SopType]
        e.selectbox(t("field.sop.type"), types, index=types.index(rule.type.value), format_func=fmt_enum(SopType),
                    key=k("type"))
        stages = [m.value for m in Stage]
        f.selectbox(t("field.sop.stage"), stages, index=stages.index(rule.stage.value), format_func=fmt_enum(Stage),
                    key=k("stage"))
        g.number_input(t("field.sop.minutes"), min_value=0, max_value=24 * 60, step=5, value=rule.minutes,
                       key=k("minutes"))
        st.text_area(t("field.sop.task"), value=rule.task, key=k("task"), height=80)
        st.text_area(t("field.sop.script"), value=rule.script, key=k("script"), height=110,
                     help=t("sop.form.script_help", names=" ".join("{" + p + "}" for p in sop.PLACEHOLDERS)))
        h, i, j = st.columns([2, 2, 1])
        h.text_input(t("field.sop.channel"), value=rule.channel, key=k("channel"))
        i.text_input(t("field.sop.material"), value=rule.material, key=k("material"))
        j.checkbox(t("sop.form.is_marketing"), value=rule.is_marketing, key=k("is_marketing"),
                   help=t("sop.form.is_marketing_help"))
        keys.update(type=k("type"), stage=k("stage"), minutes=k("minutes"), task=k("task"), script=k("script"),
                    channel=k("channel"), material=k("material"), is_marketing=k("is_marketing"))
        st.form_submit_button(t("sop.form.add" if rid == NEW else "sop.form.save"), type="primary",
                              key=f"sop.form.submit.{rid}", on_click=submit_rule,
                              args=(None if rid == NEW else rid, keys))
    for problem in state.scratch("sop.form_problems") or []:
        st.error(state.problem_text(problem), icon=":material/warning:")
    state.set_scratch("sop.form_problems", [])

    if rid != NEW:
        if state.scratch("sop.confirm_delete"):
            st.warning(t("sop.delete.confirm", name=rule.name))
            st.button(t("sop.delete.yes"), key="sop.delete.yes", type="primary", on_click=delete_rule, args=(rid,))
        else:
            st.button(t("sop.delete.ask"), key="sop.delete.ask",
                      on_click=lambda: state.set_scratch("sop.confirm_delete", True))


# --- empty states ---------------------------------------------------------------------------------
if not plan.roles:
    st.info(t("sop.empty.no_roles"), icon=":material/group:")
    st.page_link("pages/roles.py", label=t("sop.go_roles"), icon=":material/group:")
if plan.lifecycle.length_days is None:
    st.warning(t("sop.length_assumed", days=sop.FALLBACK_LENGTH), icon=":material/hourglass_top:")
    st.page_link("pages/lifecycle.py", label=t("sop.go_lifecycle"), icon=":material/hourglass_top:")

start = plan.lifecycle.start_date
if start is None:
    st.info(t("sop.empty.no_start"), icon=":material/calendar_month:")
    start = st.date_input(t("sop.preview_start"), value=state.scratch("sop.start") or date.today(),
                          key="sop.start", format="YYYY-MM-DD")
    state.set_scratch("sop.start", start)
notice = state.scratch("sop.notice")
if notice:
    st.success(t(notice[0], **notice[1]), icon=":material/check_circle:")
    state.set_scratch("sop.notice", None)

# The other tabs are drawn only when open (a rerun when one is chosen): a year's schedule table, the two
# charts, the checks and the 话术 preview were sent and laid out by the browser on every run, shown or
# not. The rules, the tab a page opens on, are always drawn.
tab_rules, tab_schedule, tab_charts, tab_checks, tab_scripts, tab_export, tab_setup, tab_review = st.tabs([
    t("sop.tab.rules"), t("sop.tab.schedule"), t("sop.tab.charts"), t("sop.tab.checks"), t("sop.tab.scripts"),
    t("sop.tab.export"), t("sop.tab.setup"), t("sop.tab.review"),
], key=f"sop.tabs.{lang}", on_change="rerun")

# --- rules ----------------------------------------------------------------------------------------
with tab_rules:
    maturity_box(plan)
    rules_view = rules_tab(plan, lang)
    missing = rules_view.missing
    cols = st.columns([2, 5])
    if not plan.sop.rules:
        st.info(t("sop.empty.no_rules"), icon=":material/calendar_month:")
        cols[0].button(t("sop.defaults.generate"), key="sop.defaults", type="primary", on_click=generate_defaults)
    elif missing:
        cols[0].button(t("sop.defaults.generate"), key="sop.defaults", on_click=ask_defaults)
        if state.scratch("sop.confirm_defaults"):
            with cols[1]:
                st.warning(t("sop.defaults.confirm", n=len(missing),
                             names=i18n.t("sop.trigger.list_sep", lang).join(r.name for r in missing)))
                st.button(t("sop.defaults.confirm_yes", n=len(missing)), key="sop.defaults.yes", type="primary",
                          on_click=generate_defaults)
    else:
        cols[0].caption(t("sop.defaults.all_present"))

    if plan.sop.rules:
        st.dataframe(rules_view.rules, hide_index=True, width="stretch")

    # The editor: pick a rule (or a new one); kind and audience sit outside the form because the
    # fields below them depend on them. With rules in the plan the form waits until one is picked: its
    # dozen fields were half of what the browser drew on every run of this page. A plan without rules
    # opens on a new one.
    st.subheader(t("sop.editor.title"))
    rules_by_id = {r.id: r for r in plan.sop.rules}
    editing = state.scratch("sop.editing")
    if editing not in rules_by_id and editing != NEW:
        editing = None if plan.sop.rules else NEW
    options = [NEW, *rules_by_id]
    labels = {NEW: t("sop.editor.new"), **distinct_labels((r.id, r.name or r.id) for r in plan.sop.rules)}
    pick_key = state.widget_key(NS, "pick", state.scratch("sop.editor_gen", 0))
    st.selectbox(t("sop.editor.pick"), options, index=None if editing is None else options.index(editing),
                 format_func=labels.get, key=pick_key, on_change=on_pick, args=(pick_key,),
                 placeholder=t_plain("sop.editor.pick_placeholder"))
    if editing is not None:
        rule_editor(editing, rules_by_id.get(editing))
    # Rarely changed: its fields are drawn only while it is unfolded (a folded expander's contents are
    # still sent and laid out on every run).
    settings_box = st.expander(t("sop.settings.title"), key="sop.settings", on_change="rerun")
    if settings_box.open:
        with settings_box:
            s1, s2, s3, s4 = st.columns(4)
            with s1:
                widgets.time_field(NS, "sop.settings.quiet_start", "sop.settings.quiet_start")
            with s2:
                widgets.time_field(NS, "sop.settings.quiet_end", "sop.settings.quiet_end")
            with s3:
                widgets.number(NS, "sop.settings.max_marketing_share", "sop.settings.max_marketing_share",
                               min_value=0.0, max_value=1.0, step=0.05,
                               help_key="sop.settings.max_marketing_share_help")
            with s4:
                widgets.number(NS, "sop.settings.max_days_without_value", "sop.settings.max_days_without_value",
                               min_value=1, max_value=365, step=1)

# The other tabs' views: a year's schedule expanded, its table and the design checks, worked out only when
# one of the tabs showing them is open (cached; an edit on the rules tab waits for none of it).
if tab_schedule.open or tab_charts.open or tab_checks.open or tab_scripts.open or tab_export.open:
    views = sop_views(plan, start, lang)
    schedule = views.schedule

# --- schedule -------------------------------------------------------------------------------------
if tab_schedule.open:
    with tab_schedule:
        st.caption(t("sop.schedule.caption", first=schedule.start.isoformat(), last=schedule.last_date.isoformat(),
                     days=schedule.length_days, tasks=len(schedule.tasks)))
        if schedule.tasks:
            st.dataframe(views.tasks, hide_index=True, width="stretch", height=420)
        else:
            st.info(t("sop.schedule.empty"))
        if schedule.standing:
            st.markdown(f"**{t('sop.schedule.standing')}**")
            st.dataframe(views.standing, hide_index=True, width="stretch")
        names = {r.id: r.name for r in plan.sop.rules}
        if schedule.unscheduled:
            st.warning(t("sop.schedule.unscheduled", names=i18n.t("sop.trigger.list_sep", lang).join(
                names.get(i) or i for i in schedule.unscheduled)))

# --- charts ---------------------------------------------------------------------------------------
if tab_charts.open:
    with tab_charts:
        if schedule.tasks:
            # The charts size their height to their rows; hand that height to Streamlit explicitly.
            for chart in sop_charts(plan, start, lang):
                st.vega_lite_chart(spec=chart.spec, width="stretch", height=chart.height + 90, key=chart.key)
            st.caption(t("sop.chart.caption"))
        else:
            st.info(t("sop.schedule.empty"))

# --- design checks --------------------------------------------------------------------------------
if tab_checks.open:
    with tab_checks:
        findings = views.findings
        if not findings:
            st.success(t("sop.checks.none"), icon=":material/check_circle:")
        icons = {"error": ":material/error:", "warning": ":material/warning:", "tip": ":material/lightbulb:"}
        for finding in findings:
            with st.container(border=True):
                st.markdown(f"{icons[finding.severity.value]} **{i18n.enum_label(finding.severity, lang)}** · "
                            f"{t(finding.message_key, **finding.params)}")
                st.caption(f"→ {t(finding.fix_key, **finding.params)}")

# --- 话术 preview ---------------------------------------------------------------------------------
if tab_scripts.open:
    with tab_scripts:
        scripted = [r for r in plan.sop.rules if r.script]
        if not scripted:
            st.info(t("sop.preview.empty"))
        else:
            p1, p2, p3 = st.columns([3, 1, 2])
            ids = [r.id for r in scripted]
            preview_labels = distinct_labels((r.id, r.name or r.id) for r in scripted)
            chosen_id = state.keep_choice("sop.preview.rule", p1.selectbox(  # kept while another tab is open
                t("sop.preview.rule"), ids, index=state.kept_index("sop.preview.rule", ids),
                format_func=preview_labels.get, key="sop.preview.rule"))
            chosen = next(r for r in scripted if r.id == chosen_id)
            days = sop.occurrence_days(chosen.trigger, schedule.start, schedule.length_days) or [0]
            # the person picks the day as they count it (from 1); the plan's days are stored from 0
            first, last = display_day(0), display_day(schedule.length_days - 1)
            day_key = f"sop.preview.day.{chosen_id}"
            kept_day = state.kept_choice(day_key, display_day(days[0]))
            shown_day = state.keep_choice(day_key, p2.number_input(
                t("sop.preview.day"), min_value=first, max_value=last, step=1,
                value=kept_day if first <= kept_day <= last else display_day(days[0]), key=day_key,
                help=t("sop.preview.day_help")))
            sample_member = state.kept_choice("sop.preview.member", t("sop.placeholder.sample_member"))
            member = state.keep_choice("sop.preview.member", p3.text_input(
                t("sop.preview.member"), value=sample_member, key="sop.preview.member"))
            st.code(sop.fill_script(chosen, plan, stored_day(int(shown_day)), start=schedule.start, lang=lang,
                                    member_name=member or None),
                    language=None, wrap_lines=True)
            unknown = sop.unknown_placeholders(chosen.script)
            if unknown:
                st.error(t("sop.preview.unknown", names=" ".join("{" + u + "}" for u in unknown)),
                         icon=":material/warning:")
        with st.expander(t("sop.preview.placeholders")):
            st.dataframe([{t("sop.preview.placeholder"): "{" + p + "}",
                           t("sop.preview.meaning"): t(f"sop.placeholder.{p}")}
                          for p in sop.PLACEHOLDERS], hide_index=True, width="stretch")

# --- export ---------------------------------------------------------------------------------------
if tab_export.open:
    with tab_export:
        if not schedule.tasks:
            st.info(t("sop.schedule.empty"))
        else:
            st.caption(t("sop.export.caption"))
            slug = f"sop-{schedule.start.isoformat()}"
            e1, e2, e3 = st.columns(3)
            e1.download_button(t("sop.export.csv"), data=lambda: sop_export.to_csv(schedule, plan, lang),
                               file_name=f"{slug}.csv", mime="text/csv", key="sop.export.csv",
                               icon=":material/description:", on_click="ignore")
            e2.download_button(t("sop.export.xlsx"), data=lambda: sop_export.to_xlsx(schedule, plan, lang),
                               file_name=f"{slug}.xlsx", key="sop.export.xlsx",
                               icon=":material/table_chart:", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            e3.download_button(t("sop.export.ics"), data=lambda: sop_export.to_ics(schedule, plan, lang),
                               file_name=f"{slug}.ics", mime="text/calendar", key="sop.export.ics",
                               icon=":material/calendar_month:", on_click="ignore")


if tab_setup.open:
    with tab_setup:
        setup_tab(plan)

if tab_review.open:
    with tab_review:
        review_tab(plan)

case_notes(Step.SOP)
