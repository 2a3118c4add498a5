"""Who is using the app: nobody in particular (solo mode, nothing configured), or a person signed in
through the company's OpenID Connect provider (server mode: `[auth]` in .streamlit/secrets.toml).

In server mode nobody sees a plan before signing in: app.py shows only `sign_in_page` until then.
The identity comes from Streamlit's own sign-in (`st.login`, `st.user`); this module only reads it.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pages.ui import per_run


class Person(NamedTuple):
    email: str
    name: str


def auth_configured() -> bool:
    """Server mode: an `[auth]` section in the secrets (no secrets file at all: solo mode). Asked by
    every store call, so answered once per run (`st.secrets` looks for its files on each question)."""
    return per_run.once("auth_configured", _auth_configured)


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitAPIException):  # no secrets file (solo mode), or a broken one
        return False


def signed_in() -> Person | None:
    """The signed-in person in server mode, else None (solo mode, or not signed in yet)."""
    if not auth_configured() or not st.user.is_logged_in:
        return None
    # Invitations match by e-mail, so an address the provider says it has NOT verified is no
    # identity here (a provider that does not send the claim vouches for its addresses itself).
    if st.user.get("email_verified") is False:
        return None
    email = str(st.user.get("email") or "").strip().lower()
    return Person(email, str(st.user.get("name") or email)) if email else None


def needs_sign_in() -> bool:
    return auth_configured() and signed_in() is None


def sign_in_page() -> None:
    """The only page a visitor sees in server mode before signing in."""
    from pages.ui import state  # state imports this module

    st.title(state.t("home.title"))
    if st.user.is_logged_in:  # signed in, but with no verified e-mail address to be known by
        st.error(state.t("account.unverified"), icon=":material/mail:")
        st.button(state.t("account.sign_out"), key="account.sign_out", on_click=sign_out)
        return
    st.info(state.t("account.sign_in_needed"), icon=":material/lock:")
    if st.button(state.t("account.sign_in"), type="primary", key="account.sign_in"):
        st.login()


def sign_out() -> None:
    st.logout()
