"""Roles and layers: the team's roles, member layers with thresholds, rewards and levels, and the
opening rituals (with texts drafted from the plan)."""

import streamlit as st

from models.enums import Layer
from models.problems import Step
from pages.ui import layout, state, widgets
from pages.ui.case_notes import case_notes
from planner import i18n
from planner.plan.hints import example_placeholder, example_rows
from planner.plan.rituals import opening_ceremony_text, self_intro_template
from planner.plan.roles_catalog import missing_seeds, seed_name, with_seed_roles

NS = "roles"
layout.header(NS)
plan = state.require_plan()
lang = state.lang()


def hint(path: str) -> str:
    return example_placeholder(plan, path, state.lang())


def add_seeds(keys: list[str]) -> None:
    current = state.require_plan()
    roles = with_seed_roles(current.roles, keys, state.lang())
    widgets.set_value(NS, "roles", [r.model_dump(mode="json") for r in roles])


def team_tab() -> None:
    """The roles (each a behaviour and a duty), the common ones by a click, and admins grown from the members."""
    st.caption(state.t("roles.intro.roles"))
    widgets.table(NS, "roles", ["name", "behaviour", "responsibility", "headcount", "hours_per_week"], keep=["id"],
                  column_config={
                      "name": st.column_config.TextColumn(state.t("field.roles.name"), required=True),
                      "headcount": st.column_config.NumberColumn(state.t("field.roles.headcount"), min_value=0,
                                                                 step=1, default=1),
                      "hours_per_week": st.column_config.NumberColumn(state.t("field.roles.hours_per_week"),
                                                                      min_value=0, max_value=168, default=0),
                  })
    missing = missing_seeds(plan.roles)
    st.markdown(f"**{state.t('roles.seed.heading')}**")
    st.caption(state.t("roles.seed.team_note"))
    if missing:
        with st.container(horizontal=True):  # wraps, so long English names are not cut off
            for key in missing:
                st.button(seed_name(key, lang), icon=":material/add:", key=f"roles.seed.add.{key}", on_click=add_seeds,
                          args=([key],), help=i18n.t(f"roles.seed.{key}.behaviour", lang))
            st.button(state.t("roles.seed.add_all"), key="roles.seed.add_all", on_click=add_seeds,
                      args=(missing,), type="primary")
    else:
        st.caption(state.t("roles.seed.all_present"))

    with st.container(border=True):
        st.subheader(state.t("roles.section.admin_training"))
        st.caption(state.t("roles.intro.admin_training"))
        for column, item in zip(st.columns(3), ("who", "when", "how"), strict=True):
            with column:
                widgets.text(NS, f"admin_training.{item}", f"roles.label.admin_{item}", area=True, height=90,
                             placeholder=hint(f"admin_training.{item}"))


def layers_tab() -> None:
    """Member layers: the window, each layer's thresholds and how it is treated."""
    st.caption(state.t("roles.intro.layers"))
    st.info(state.t("roles.pit.from_above"), icon=":material/lightbulb:")
    with st.columns([1, 3])[0]:
        widgets.number(NS, "member_layers.window_days", "roles.label.window_days", min_value=1, max_value=365,
                       step=1, help_key="roles.help.window_days")
    columns = st.columns(max(len(plan.member_layers.layers), 1))
    for i, (column, layer) in enumerate(zip(columns, plan.member_layers.layers, strict=False)):
        with column.container(border=True):
            st.markdown(f"**{state.t(f'enum.Layer.{layer.layer.value}')}**")
            st.caption(state.t(f"roles.layer.{layer.layer.value}"))
            base = f"member_layers.layers.{i}"
            if layer.layer != Layer.LURKER:  # the last layer catches everyone else
                widgets.number(NS, f"{base}.min_checkin_days", "roles.label.min_checkin_days", min_value=0, step=1)
                widgets.number(NS, f"{base}.min_messages", "roles.label.min_messages", min_value=0, step=1)
            widgets.text(NS, f"{base}.treatment", "roles.label.treatment", placeholder=hint(f"{base}.treatment"),
                         area=True, height=100)


def incentives_tab() -> None:
    """Rewards, penalties and the levels, with the example plan's levels to look at."""
    rewards, penalties = st.columns(2)
    with rewards:
        widgets.lines(NS, "incentives.rewards", "roles.label.rewards", placeholder=hint("incentives.rewards"),
                      height=110)
    with penalties:
        widgets.lines(NS, "incentives.penalties", "roles.label.penalties", placeholder=hint("incentives.penalties"),
                      height=110)
    widgets.table("roles.levels", "incentives.levels", ["name", "requirement", "perk"],
                  label_key="roles.label.levels")
    level_columns = ["name", "requirement", "perk"]
    widgets.examples("roles.examples.levels", "roles.example_rows",
                     example_rows(plan, "incentives.levels", level_columns, lang=state.lang()),
                     {c: state.t(f"field.roles.levels.{c}") for c in level_columns})


def rituals_tab() -> None:
    """Opening and closing, with texts drafted from the plan beside the fields."""
    st.caption(state.t("roles.intro.rituals"))
    for item, generate in (("opening_ceremony", opening_ceremony_text), ("self_intro_template", self_intro_template)):
        path = f"rituals.{item}"
        mine, drafted = st.columns(2)
        with mine:
            widgets.text(NS, path, f"roles.label.{item}", placeholder=hint(path), area=True, height=260)
        with drafted:
            text = generate(plan, lang)
            st.markdown(f"**{state.t('roles.generated')}**")
            st.code(text, language=None, wrap_lines=True, height=220)
            st.button(state.t("roles.use_generated"), key=f"roles.use.{item}", on_click=widgets.set_value,
                      args=(NS, path, text))
    widgets.text(NS, "rituals.closing_ceremony", "roles.label.closing_ceremony",
                 placeholder=hint("rituals.closing_ceremony"), area=True, height=120)


widgets.open_tab("roles", {"roles": team_tab, "layers": layers_tab, "incentives": incentives_tab,
                           "rituals": rituals_tab})

case_notes(Step.ROLES)
