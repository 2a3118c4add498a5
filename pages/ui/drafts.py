"""Unsaved drafts kept in the browser, so a reload mid-sentence loses nothing.

Streamlit sends a text box's value only when the box loses focus (or on Ctrl+Enter), and the app
saves it then. Until that moment the text exists only in the browser. This small component keeps
it there: while a person types into a box bound to a plan field, the text is written to the
browser's localStorage under the plan's id and the field, and the box is marked "未保存 / unsaved".
When the box loses focus the text reaches the app, which saves it, and the draft is dropped. After
a reload, a box whose draft differs from what the plan holds is listed at the top of the page with
"恢复 / restore" (the text goes back into the box and is saved) and "丢弃 / discard".

Safety: the JavaScript below is a constant. The plan id and the interface texts reach it as the
component's JSON data, never spliced into code or HTML; every text it shows (a field's label, the
start of a draft) is set with textContent. Fields inside a form are left alone (a form sends its
values with its submit button, not on blur).

Which box a draft belongs to is read from the widget key's CSS class (`st-key-…`): a plan-bound
widget's key is `<namespace>.<path>@<generation>.<language>[~<n>]` (state.widget_key, bound_key),
and the draft is stored under the part before "@", which stays the same across sessions.
"""

from __future__ import annotations

import streamlit as st

from pages.ui import state

_JS = r"""
const KEY_CLASS = /^st-key-(.+?)-\d+-(?:zh|en)(?:-\d+)?$/;
const PREFIX = "cop-draft:";
const KEEP_MS = 14 * 24 * 3600 * 1000;  // a draft older than two weeks is forgotten

function install() {
  const keeper = { cfg: { plan: "", texts: {} }, roots: new Set() };
  const style = document.createElement("style");
  style.textContent = `
    [data-cop-unsaved] { position: relative; }
    [data-cop-unsaved]::after {
      content: attr(data-cop-unsaved); position: absolute; top: 0; right: 1.75rem;  /* beside the help icon */
      font-size: 0.75rem; line-height: 1.4; padding: 0 0.4rem; border-radius: 0.5rem;
      color: #8a5a00; background: #fff4d6; pointer-events: none;
    }`;
  document.head.appendChild(style);

  const isText = (el) => el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"));
  const field = (el) => {
    const box = el.closest('[class*="st-key-"]');
    if (!box || el.closest('[data-testid="stForm"]')) return null;
    for (const name of box.classList) {
      const match = KEY_CLASS.exec(name);
      if (match) return { box, id: match[1] };
    }
    return null;
  };
  const storeKey = (id) => PREFIX + keeper.cfg.plan + ":" + id;
  const read = (key) => {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  };
  const forget = (key) => { try { localStorage.removeItem(key); } catch (e) { /* private mode */ } };
  // Active only on a page that mounts the keeper (a plan's page); the listeners outlive a page
  // switch, since Streamlit swaps pages without reloading the document.
  const active = () => !!keeper.cfg.plan && [...keeper.roots].some((root) => root.isConnected);
  keeper.storeKey = storeKey;
  keeper.read = read;
  keeper.forget = forget;
  keeper.field = field;
  keeper.isText = isText;

  document.addEventListener("input", (event) => {
    const el = event.target;
    if (!active() || keeper.cfg.readOnly || !isText(el)) return;
    const f = field(el);
    if (!f) return;
    try {
      localStorage.setItem(storeKey(f.id), JSON.stringify({ text: el.value, at: Date.now() }));
    } catch (e) { return; }
    f.box.setAttribute("data-cop-unsaved", keeper.cfg.texts.unsaved || "");
  }, true);

  // Streamlit sends the value on blur (and Enter in a one-line box, Ctrl+Enter in a text area);
  // the app saves it at once. The draft goes a moment later, when the message is on its way.
  const sent = (el) => {
    const f = isText(el) && field(el);
    if (!f) return;
    f.box.removeAttribute("data-cop-unsaved");
    const key = storeKey(f.id);
    setTimeout(() => {
      const draft = read(key);
      if (draft && draft.text === el.value) forget(key);
      keeper.scan();
    }, 600);
  };
  document.addEventListener("focusout", (event) => sent(event.target), true);
  document.addEventListener("keydown", (event) => {
    const el = event.target;
    if (event.key !== "Enter") return;
    if ((el.tagName === "INPUT") || event.ctrlKey || event.metaKey) sent(el);
  }, true);

  keeper.scan = () => {
    const found = [];
    if (!active()) return keeper.render(found);
    for (const el of document.querySelectorAll("textarea, input[type=text]")) {
      const f = field(el);
      if (!f) continue;
      const key = storeKey(f.id);
      const draft = read(key);
      if (!draft || typeof draft.text !== "string") continue;
      if (Date.now() - (draft.at || 0) > KEEP_MS || draft.text === el.value) {
        if (document.activeElement !== el) { forget(key); f.box.removeAttribute("data-cop-unsaved"); }
        continue;
      }
      if (document.activeElement === el) continue;  // being typed in: it is the draft
      const label = (f.box.querySelector("label") || {}).textContent || f.id;
      found.push({ el, key, label: label.trim(), draft });
    }
    keeper.render(found);
  };

  keeper.render = (found) => {
    for (const root of keeper.roots) {
      if (!root.isConnected) { keeper.roots.delete(root); continue; }
      root.replaceChildren();
      if (!found.length) continue;
      const t = keeper.cfg.texts;
      const box = document.createElement("div");
      box.className = "cop-drafts";
      box.setAttribute("role", "status");
      const head = document.createElement("div");
      head.textContent = t.found || "";
      box.appendChild(head);
      for (const item of found) {
        const row = document.createElement("div");
        row.className = "cop-draft";
        const what = document.createElement("span");
        const start = item.draft.text.length > 40 ? item.draft.text.slice(0, 40) + "…" : item.draft.text;
        what.textContent = item.label + (t.sep || ": ") + start;
        const restore = document.createElement("button");
        restore.type = "button";
        restore.textContent = t.restore || "";
        restore.onclick = () => keeper.restore(item);
        const discard = document.createElement("button");
        discard.type = "button";
        discard.textContent = t.discard || "";
        discard.onclick = () => { forget(item.key); keeper.scan(); };
        row.append(what, restore, discard);
        box.appendChild(row);
      }
      root.appendChild(box);
    }
  };

  // Put the draft back as if typed (React sees an input event), then leave the box so Streamlit
  // sends it and the app saves it.
  keeper.restore = (item) => {
    const el = item.el;
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), "value").set;
    el.focus();
    setter.call(el, item.draft.text);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => el.blur(), 50);
  };

  let pending = null;
  new MutationObserver(() => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; keeper.scan(); }, 400);
  }).observe(document.body, { childList: true, subtree: true });
  return keeper;
}

export default function (component) {
  const { data, parentElement } = component;
  const keeper = window.__copDraftKeeper || (window.__copDraftKeeper = install());
  keeper.cfg = { plan: (data && data.plan) || "", readOnly: !!(data && data.readOnly),
                 texts: (data && data.texts) || {} };
  let root = parentElement.querySelector(".cop-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "cop-root";
    parentElement.appendChild(root);
  }
  keeper.roots.add(root);
  keeper.scan();
}
"""

_CSS = """
.cop-drafts { border: 1px solid #f0c36d; background: #fffaf0; border-radius: 0.5rem; padding: 0.5rem 0.75rem;
              font-size: 0.9rem; }
.cop-draft { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.35rem; }
.cop-draft span { flex: 1 1 16rem; overflow-wrap: anywhere; }
.cop-draft button { border: 1px solid #c9a227; background: white; border-radius: 0.4rem; padding: 0.1rem 0.6rem;
                    cursor: pointer; font: inherit; }
"""

_keeper = st.components.v2.component("community_planner.draft_keeper", js=_JS, css=_CSS)


def keeper() -> None:
    """Mount the draft keeper for the current plan (once per page, under its title)."""
    plan = state.current_plan()
    if plan is None:
        return
    texts = {name: state.t_plain(f"drafts.{name}") for name in ("unsaved", "found", "restore", "discard", "sep")}
    _keeper(key="drafts.keeper", data={"plan": plan.id, "readOnly": state.read_only(), "texts": texts},
            height="content")
