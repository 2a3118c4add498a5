"""Every page in both languages speaks that language only (issue 19).

One session per language opens a full example plan in that language, loads the sample member data,
then visits every page and collects every text on it (tests/ui/rendered_text.py). It fails on
- text of the other language outside the plan's own content: in Chinese, English words other than
  the acronyms and names below; in English, any Chinese character;
- a raw catalog key, a code-style identifier (`checkin_rate`) or an unfilled `{placeholder}`;
- the places where Streamlit would draw its own English text: a multiselect or an empty select box
  without a placeholder, a multiselect's "Select all", a table with missing values and no text for
  them ("None"), an empty read-only table ("empty").
Content people wrote (the open plan, the shipped examples' names) is theirs and may be in any
language. The sample member data is not exempt: each language loads its own sample
(planner/data/sample.py), so a Chinese word on an English page is a fault even there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from models.enums import CommunityType, Feeling, JoinMode, Layer, Stage
from models.plan import Plan
from models.sop import Audience, EventKind, SopType, TriggerKind
from pages.ui.nav import SECTIONS, pages_for
from planner import i18n
from planner.data.analysis import KPI_METRICS
from planner.plan.examples import example_slugs, load_example, new_blank_plan
from planner.plan.slides import slides
from planner.sop.schedule import PLACEHOLDERS
from planner.store import PlanStore
from planner.store.workshops import WorkshopStore
from tests.ui.helpers import APP, app_on
from tests.ui.rendered_text import Shown, rendered_texts

PLAN_FOR = {"zh": "early_rise_camp", "en": "first_5k_club"}

# English that belongs in Chinese text, each for a reason:
ALLOWED_IN_ZH = frozenset({
    # the method's own terms, written this way in Chinese operations writing
    "SOP", "KPI", "KOL", "DAU", "WAU", "MAU", "MVP", "PK", "TA", "ID", "QR",
    "WHY", "WHAT", "WHERE", "WHEN", "WHO", "HOW",
    # file formats, encodings and the programs that open them
    "CSV", "TSV", "XLSX", "Excel", "WPS", "JSON", "PDF", "DOCX", "Word", "HTML", "Markdown", "ZIP", "PNG",
    "UTF", "GBK", "csv", "tsv", "xlsx", "json", "pdf", "docx", "html", "md", "zip", "png", "ics", "txt",
    # chat platforms whose exports are read (names)
    "QQ", "Telegram", "Discord", "WhatsApp", "Slack",
    # keys on the keyboard and a presentation remote
    "Enter", "Esc", "Page", "Up", "Down", "Tab", "Ctrl", "Shift",
    # units
    "KB", "MB",
    # the language picker names each language in its own language
    "English",
})
ALLOWED_IN_EN = frozenset({"中文"})  # the language picker, as above

_CODE = re.compile(r"`[^`]*`")  # inline code: a file name, a command, a config key
_DIRECTIVE = re.compile(r":[a-z]+(?:-[a-z]+)*\[|:material/[a-z_]+:")  # :blue-badge[ … ], :material/icon:
_URL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_DATE_MASK = re.compile(r"\b(?:YYYY-MM-DD(?:THH:MM)?|HH:MM)\b")  # a format mask reads the same in both
_STYLE = re.compile(r"<style>.*?</style>", re.S)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’-]*")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\|[^{}]*)?\}")  # also an unchosen {n|one|other}
_KEY_SHAPE = re.compile(r"^[a-z_]+\.[a-z_.]+$")
_SOP_PLACEHOLDERS = {"{" + p + "}" for p in PLACEHOLDERS}


# Codes in a plan (ids, enum values, measured metrics): the app shows their labels, so they are not
# content a person wrote and must not appear as typed.
_CODES = frozenset(KPI_METRICS) | {m.value for enum in (CommunityType, JoinMode, Stage, Layer, Feeling, TriggerKind,
                                                        EventKind, SopType, Audience) for m in enum}
_ID_FIELDS = frozenset({"id", "owner_role", "audience_ref", "language"})


def _strings(value: Any, field: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if value not in _CODES and field not in _ID_FIELDS and not field.endswith("_id"):
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, field)


def _owned_texts(plan: Plan, lang: str) -> tuple[str, list[str]]:
    """(the content of plans and data in this language, joined; names of other-language examples)."""
    own = list(_strings(plan.model_dump(mode="json")))
    names = []
    for slug in example_slugs():
        example = load_example(slug, fresh_id=False)
        if example.meta.language == lang:
            own += _strings(example.model_dump(mode="json"))
        else:  # shown in example lists by name: a name is not translated
            names += [n for n in (example.meta.name, example.meta.slogan, example.elements.interest.slogan) if n]
    return "\n".join(own), sorted(names, key=len, reverse=True)


def _plain(text: str, names: list[str]) -> str:
    text = _STYLE.sub(" ", text).replace("\\", "")  # markdown escapes
    for name in names:
        text = text.replace(name, " ")
    text = _CODE.sub(" ", text)
    text = _DIRECTIVE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _DATE_MASK.sub(" ", text)
    for placeholder in _SOP_PLACEHOLDERS:  # the SOP page names its script placeholders on purpose
        text = text.replace(placeholder, " ")
    return text


def _language_problems(text: str, lang: str, own: str, own_words: set[str]) -> list[str]:
    if lang == "zh":
        return [w for w in _WORD.findall(text) if not any(ch.isdigit() for ch in w)
                and len(w) > 1 and w not in ALLOWED_IN_ZH and w not in own_words]
    return [run for run in _CJK.findall(text) if run not in own and run not in ALLOWED_IN_EN]


def _key_problems(text: str, plain: str, own: str, keys: set[str]) -> list[str]:
    found = [k for k in re.findall(r"[a-z_]+(?:\.[a-z0-9_]+)+", text) if k in keys]
    if _KEY_SHAPE.match(text.strip()) and text.strip() not in own and not text.strip().endswith(
            tuple(f".{ext}" for ext in ("csv", "json", "xlsx", "docx", "pdf", "md", "zip", "html", "ics"))):
        found.append(text.strip())
    found += [m.group(0) for m in _IDENTIFIER.finditer(plain) if m.group(0) not in own]
    found += [m.group(0) for m in _PLACEHOLDER.finditer(plain) if m.group(0) not in own]
    return found


def _streamlit_defaults(at: AppTest, lang: str) -> list[str]:
    """Widgets for which Streamlit would draw its own (English) text in the browser."""
    found = []
    for node in at.multiselect:
        if lang == "zh" and not node.proto.placeholder:
            found.append(f"multiselect {node.label!r}: no placeholder (Streamlit shows 'Choose options')")
        if lang == "zh" and node.proto.select_all != 0:
            found.append(f"multiselect {node.label!r}: Streamlit's 'Select all' is on")
    for node in at.selectbox:
        if lang == "zh" and not node.proto.placeholder and not node.proto.HasField("default"):
            found.append(f"selectbox {node.label!r}: empty without a placeholder (Streamlit shows 'Choose an option')")
    for node in at.dataframe:
        frame = node.value
        editor = node.editing_mode != "read_only"  # a new row's cells are missing values too
        if not node.proto.HasField("placeholder") and (editor or bool(frame.isna().to_numpy().any())):
            found.append(f"table {list(frame.columns)[:4]}: missing values without a placeholder (shown as 'None')")
        config = json.loads(node.proto.columns) if node.proto.columns else {}
        for name, spec in config.items():  # a new row's empty choice reads "Select..." in the browser
            if editor and (spec.get("type_config") or {}).get("type") == "selectbox" and "default" not in spec:
                found.append(f"table column {spec.get('label', name)!r}: a choice without a default for new rows")
        if node.editing_mode == "read_only" and frame.empty:
            found.append(f"table {list(frame.columns)[:4]}: empty (Streamlit draws 'empty'); say so in words")
    return found


def _visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, f"{page}: {at.exception}"
    return at


def _lazy_expanders(at: AppTest) -> list[str]:
    """The keys of the folded expanders that keep their state (`on_change="rerun"`, drawn when open)."""
    return [e.proto.id.split("-", 2)[2] for e in at.expander
            if e.proto.id.startswith("$$ID-") and e.proto.id.count("-") >= 2 and not e.proto.expanded]


# Pages whose tabs are drawn only when open, and the key of their tab choice: the planning pages' come from
# nav.SECTIONS (widgets.open_tab), so a page that gets tabs there is covered here too.
LAZY_TABS = {"pages/data.py": "data.tabs.{lang}", "pages/sop.py": "sop.tabs.{lang}", "pages/trainer.py": "trainer.tab",
             **{f"pages/{page}.py": f"{page}.tabs.{{lang}}" for page in SECTIONS}}


@pytest.mark.parametrize("blank", [False, True], ids=["example", "blank"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(isolated_db: Path, lang: str, blank: bool) -> None:
    # a full example plan fills every table; a blank one shows the empty states and the examples
    plan = new_blank_plan("新方案" if lang == "zh" else "New plan", lang) if blank else load_example(PLAN_FOR[lang])
    store = PlanStore(isolated_db)
    store.save(plan)
    store.set_setting("lang", lang)
    # AppTest labels a select's value again after a run, outside the session, where Streamlit keeps
    # one state for the whole process: a language an earlier test left there would label it
    st.session_state.pop("lang", None)

    at = app_on("pages/data.py", timeout=120)
    assert not at.exception, at.exception
    visits: list[tuple[str, list[Shown], list[str]]] = [("data (no data yet)", rendered_texts(at),
                                                         _streamlit_defaults(at, lang))]
    if not blank:
        at.button(key="data.sample").click().run()
    for spec in pages_for(server=False):
        _visit(at, spec.path)
        visits.append((spec.path, rendered_texts(at), _streamlit_defaults(at, lang)))
        lazy = _lazy_expanders(at)
        if lazy:  # expanders that draw their contents only when unfolded: all of them unfolded
            for key in lazy:
                at.session_state[key] = True
            at.run()
            visits.append(_seen(at, f"{spec.path} · unfolded", lang))
        tab_key = LAZY_TABS.get(spec.path)
        if tab_key:  # a page that draws only its open tab: every tab in turn
            for tab in [t.label for t in at.tabs][1:]:
                at.session_state[tab_key.format(lang=lang)] = tab
                at.run()
                assert not at.exception, f"{spec.path} · {tab}: {at.exception}"
                visits.append((f"{spec.path} · {tab}", rendered_texts(at), _streamlit_defaults(at, lang)))

    total = len(slides(plan, lang))
    for n in range(1, total + 1):  # the presenter view draws one slide per run
        at.query_params["slide"] = str(n)
        _visit(at, "pages/present.py")
        visits.append(_seen(at, f"present · slide {n}", lang))
        assert any(text == f"{n} / {total}" for _, text in visits[-1][1]), f"slide {n} not shown"
    _assert_one_language(visits, plan, lang)


Visit = tuple[str, list[Shown], list[str]]


def _seen(at: AppTest, where: str, lang: str) -> Visit:
    assert not at.exception, f"{where}: {at.exception}"
    return where, rendered_texts(at), _streamlit_defaults(at, lang)


def _assert_one_language(visits: list[Visit], plan: Plan, lang: str, codes: tuple[str, ...] = ()) -> None:
    """`codes`: generated identifiers shown on purpose (a workshop's join code)."""
    own, names = _owned_texts(plan, lang)
    names += codes
    own_words = set(_WORD.findall(own))
    keys = set(i18n.catalog("zh")) | set(i18n.catalog("en"))
    failures: list[str] = []
    for page, shown, defaults in visits:
        assert shown, f"{page}: nothing rendered"
        failures += [f"{page} · {d}" for d in defaults]
        for where, text in dict.fromkeys(shown):
            plain = _plain(text, names)
            bad = _language_problems(plain, lang, own, own_words) + _key_problems(text, plain, own, keys)
            if bad:
                failures.append(f"{page} · {where} · {text[:120]!r} → {sorted(set(bad))}")
    assert not failures, f"{len(failures)} texts out of language:\n" + "\n".join(failures)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workshop_speaks_one_language(isolated_db: Path, lang: str) -> None:
    # the pages a workshop adds: the join page, the participant's own steps, the trainer's dashboard
    start = load_example(PLAN_FOR[lang])
    store = PlanStore(isolated_db)
    store.set_setting("lang", lang)
    rooms = WorkshopStore(store)
    workshop, key = rooms.create("Room" if lang == "en" else "周六工作坊", start)
    st.session_state.pop("lang", None)  # as in the page walk above
    visits: list[Visit] = []

    joining = AppTest.from_file(APP, default_timeout=60)
    joining.query_params["workshop"] = workshop.code
    joining.run()
    visits.append(_seen(joining, "join", lang))

    person, _ = rooms.join(workshop.code, "Lin" if lang == "en" else "小林")
    rooms.join(workshop.code, "Sam" if lang == "en" else "阿明")
    trainer = app_on("pages/workshop.py")
    trainer.text_input(key="room.unlock.code").input(workshop.code)
    trainer.text_input(key="room.unlock.key").input(key)
    trainer.button(key=f"FormSubmitter:room.unlock-{i18n.t('room.unlock.go', lang)}").click().run()
    trainer.query_params["room"] = workshop.code  # the address the unlock set, for AppTest's next run
    trainer.run()
    visits.append(_seen(trainer, "workshop dashboard", lang))
    assert any(person.name in text for _, text in visits[-1][1]), "the dashboard lists the participants"
    _assert_one_language(visits, start, lang, codes=(workshop.code,))


@pytest.mark.parametrize(("lang", "button"), [("zh", "选择文件"), ("en", "Choose files")])
def test_file_uploaders_are_relabelled_in_the_interface_language(isolated_db: Path, lang: str, button: str) -> None:
    # Streamlit draws "Upload" and "200MB per file" itself; the page relabels both (pages/ui/uploader.py)
    store = PlanStore(isolated_db)
    store.save(new_blank_plan("x", lang))
    store.set_setting("lang", lang)
    st.session_state.pop("lang", None)
    for page in ("pages/home.py", "pages/data.py"):
        at = app_on(page)
        assert at.get("file_uploader"), page
        css = " ".join(str(h.proto.body) for h in at.get("html"))
        assert f'content: "{button}"' in css and "MB" in css, page


def test_pages_use_the_localized_uploader_and_placeholders() -> None:
    # the walk above sees the widgets of the plans it opens; this covers every other call as written
    root = Path(__file__).resolve().parents[2] / "pages"
    for path in sorted(root.rglob("*.py")):
        code = path.read_text(encoding="utf-8")
        if path.name != "uploader.py":
            assert "st.file_uploader(" not in code, f"{path.name}: use pages.ui.uploader.file_uploader"
        calls = [m.group(0) for m in re.finditer(r"\.multiselect\((?:[^()]|\([^()]*\))*\)", code)]
        assert len(calls) == code.count(".multiselect("), f"{path.name}: a call this test cannot read"
        for call in calls:
            assert "placeholder=" in call and "select_all=False" in call, (path.name, call)
