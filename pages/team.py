"""Teams (server mode): the person's workspaces, their members and roles, invitations by e-mail,
a new team workspace, and where new plans go. Every action is authorised by the store."""

import streamlit as st

from pages.ui import layout, state
from planner.store.access import Role

layout.header("team")
team = state.team()
if team is None:
    st.info(state.t("team.solo"), icon=":material/computer:")
    st.stop()

workspaces = state.safe(team.workspaces) or []
roles = [r.value for r in Role]


def _role_label(role: str) -> str:
    return state.t_plain(f"team.role.{role}")


if workspaces:
    ids = [w.id for w in workspaces]
    names = {w.id: w.name for w in workspaces}
    current = team.workspace_id if team.workspace_id in ids else ids[0]
    chosen = st.selectbox(state.t("team.new_plans_go"), ids, index=ids.index(current), format_func=names.get,
                          key="team.new_plan_workspace", help=state.t("team.new_plans_help"))
    if chosen != current:
        state.set_new_plan_workspace(chosen)
        st.rerun()

for workspace in workspaces:
    with st.container(border=True):
        kind = state.t("team.personal") if workspace.personal else state.t("team.shared")
        your_role = state.t("team.your_role", role=_role_label(workspace.role))
        st.markdown(f"**{state.md(workspace.name)}** · {kind} · {your_role}")
        members = state.safe(lambda w=workspace: team.members(w.id)) or []
        st.dataframe([{state.t_plain("team.member"): m.email, state.t_plain("team.role"): _role_label(m.role)}
                      for m in members], hide_index=True, width="stretch")
        if workspace.role != Role.OWNER or workspace.personal:
            continue
        with st.form(f"team.invite.{workspace.id}", clear_on_submit=True, border=False):
            email_col, role_col, go_col = st.columns([3, 1, 1], vertical_alignment="bottom")
            email = email_col.text_input(state.t("team.invite_email"), key=f"team.invite.email.{workspace.id}",
                                         placeholder="name@example.com")
            role = role_col.selectbox(state.t("team.role"), roles, index=roles.index(Role.EDITOR.value),
                                      format_func=_role_label, key=f"team.invite.role.{workspace.id}")
            if go_col.form_submit_button(state.t("team.invite")) and "@" in email:
                state.safe(lambda w=workspace, e=email, r=role: team.invite(w.id, e.strip(), Role(r)))
                st.rerun()
        with st.popover(state.t("team.delete")):
            st.write(state.t("team.delete_confirm", name=workspace.name))
            if st.button(state.t("team.delete_yes"), key=f"team.delete.{workspace.id}", type="primary"):
                state.safe(lambda w=workspace: team.delete_workspace(w.id))
                st.rerun()

with st.form("team.create", clear_on_submit=True):
    name = st.text_input(state.t("team.create_name"), key="team.create.name")
    if st.form_submit_button(state.t("team.create"), type="primary") and name.strip():
        created = state.safe(lambda: team.create_workspace(name.strip()))
        if created is not None:
            state.set_new_plan_workspace(created.id)
        st.rerun()
