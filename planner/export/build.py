"""`build_document(plan, lang, analysis)`: the whole operations plan as a format-neutral Document.

Section order follows the method: cover, one-page summary, research, the six steps, rules and
privacy, KPIs (with actuals when member data was analysed), then the doctor's findings and the
metric dictionary as appendices. The summary, charts, schedule, findings and dictionary come
straight from their modules: a bug there fails the export (and its tests) instead of silently
leaving a section out. Only a chart the engine cannot draw is replaced by a one-line note (see
`images.chart_image`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from models.enums import Ability, Feeling, SetupItem
from models.plan import Plan
from models.sop import SopRule
from planner import fmt, i18n
from planner.data import charts as charts_data
from planner.data import kpis, metrics
from planner.data import view as data_view
from planner.data.analysis import Analysis
from planner.data.pseudonym import pseudonymise_analysis
from planner.days import display_day
from planner.export.images import chart_image
from planner.export.model import Block, Bullets, Document, Heading, Paragraph, Table
from planner.plan import charts as charts_plan
from planner.plan import diff, doctor, summary
from planner.plan.summary import SummarySection
from planner.sop import charts as charts_sop
from planner.sop.schedule import Schedule, describe_trigger, expand

DASH = "—"
ProgressFn = Callable[[float, str], None]
SCHEDULE_DETAIL_ROWS = 60  # dated tasks listed one by one; the overview covers the whole lifecycle
INACTIVITY_ROWS = 50  # members to reach out to; the data page lists them all


# --- small formatting helpers ------------------------------------------------------------------
def text(value: Any, lang: str) -> str:
    """Any plan value as display text; empty values as a dash."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, bool):
        return i18n.t("export.yes" if value else "export.no", lang)
    if isinstance(value, Enum):
        return i18n.enum_label(value, lang)
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return i18n.t("export.list_sep", lang).join(text(v, lang) for v in value if v not in ("", None)) or DASH
    return str(value)


class _Builder:
    def __init__(self, plan: Plan, lang: str, charts: bool, progress: ProgressFn | None) -> None:
        self.plan, self.lang, self.charts, self.progress = plan, lang, charts, progress
        self.blocks: list[Block] = []

    # block helpers
    def money_heading(self, key: str) -> str:
        return fmt.money_heading(self.t(key), self.plan.meta.currency, self.lang)

    def t(self, key: str, **params: Any) -> str:
        return i18n.t(key, self.lang, **params)

    def h(self, key: str, level: int = 1) -> None:
        self.blocks.append(Heading(self.t(key), level))

    def para(self, value: str, muted: bool = False) -> None:
        if value.strip():
            self.blocks.append(Paragraph(value, muted))

    def empty(self) -> None:
        self.blocks.append(Paragraph(self.t("export.empty"), muted=True))

    def bullets(self, items: Iterable[str]) -> None:
        kept = tuple(i for i in items if i and i.strip())
        if kept:
            self.blocks.append(Bullets(kept))
        else:
            self.empty()

    def labelled(self, label_key: str, items: Sequence[str], level: int = 3) -> None:
        self.h(label_key, level)
        self.bullets(items)

    def table(self, columns: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] | None = None) -> None:
        body = tuple(tuple(text(c, self.lang) for c in row) for row in rows)
        if body:
            self.blocks.append(Table(tuple(columns), body, tuple(widths) if widths else None))
        else:
            self.empty()

    def fields(self, pairs: Sequence[tuple[str, Any]]) -> None:
        """A two-column label/value table; `pairs` hold catalog keys and values."""
        self.table(
            (self.t("export.col.item"), self.t("export.col.content")),
            [(self.t(k), v) for k, v in pairs],
            widths=(1, 3),
        )

    def image(self, chart: Any, caption: str) -> None:
        if not self.charts:
            return
        image = chart_image(chart, caption)
        if image is not None:
            self.blocks.append(image)
        else:  # the reader learns a chart is missing, and the rest of the document is kept
            self.para(self.t("export.chart_failed", caption=caption), muted=True)

    def step(self, fraction: float, label_key: str) -> None:
        if self.progress:
            self.progress(fraction, self.t(label_key))

    # sections ---------------------------------------------------------------------------------
    def cover(self) -> list[tuple[str, str]]:
        meta, life = self.plan.meta, self.plan.lifecycle
        lines = [
            (self.t("export.cover.type"), text(meta.community_type, self.lang)),
            (self.t("export.cover.team"), text(meta.owner_team, self.lang)),
        ]
        if life.start_date:
            end = life.start_date + timedelta(days=(life.length_days or 1) - 1) if life.length_days else None
            dates = text(life.start_date, self.lang) + (f" – {text(end, self.lang)}" if end else "")
            lines.append((self.t("export.cover.dates"), dates))
        if life.length_days:
            lines.append((self.t("export.cover.length"), self.t("export.days", n=life.length_days)))
        if self.plan.roles:
            team = [f"{r.name} ×{r.headcount}" for r in self.plan.roles if r.name]
            lines.append((self.t("export.cover.roles"), text(team, self.lang)))
        if meta.description:
            lines.append((self.t("export.cover.description"), meta.description))
        return lines

    def summary(self) -> None:
        self.h("export.section.summary")
        self.blocks.extend(summary_blocks(summary.one_page(self.plan, self.lang), self.lang))

    def research(self) -> None:
        r = self.plan.research
        self.h("export.section.research")
        self.fields([(f"export.research.{name}", getattr(r, name)) for name in type(r).model_fields])
        self.self_check()

    def self_check(self) -> None:
        """The operator's four abilities and who covers a weak one; left out while nothing is rated."""
        op = self.plan.operator
        if not any(op.ratings.values()) and not op.cover_plan.strip():
            return
        self.h("export.research.self_check", 2)
        rows = [(i18n.enum_label(a, self.lang), self.t(f"research.self_check.level.{op.ratings.get(a, 0)}"))
                for a in Ability]
        if op.cover_plan.strip():
            rows.append((self.t("export.research.cover_plan"), op.cover_plan))
        self.table((self.t("export.col.ability"), self.t("export.col.rating")), rows, widths=(1, 3))

    def elements(self) -> None:
        e = self.plan.elements
        self.h("export.section.elements")
        self.para(self.type_line())
        self.h("export.elements.interest", 2)
        self.fields([(f"export.interest.{name}", getattr(e.interest, name)) for name in type(e.interest).model_fields])
        s = e.structure
        self.h("export.elements.structure", 2)
        join = text(s.join_mode, self.lang)
        if s.fee is not None:
            join += self.t("export.structure.fee_value", fee=fmt.money(s.fee, self.plan.meta.currency, self.lang))
        self.fields([
            ("export.structure.join_mode", join),
            ("export.structure.target_members", s.target_members),
            ("export.structure.admins", s.admins),
            ("export.structure.kols", s.kols),
        ])
        self.labelled("export.structure.group_rules", s.group_rules)
        self.labelled("export.structure.interaction_mechanisms", s.interaction_mechanisms)
        behaviours = [b for b in s.standard_behaviours if b.strip()]
        if behaviours:  # what a good member does each day / week; the SOP and role models reinforce it
            self.labelled("export.structure.standard_behaviours", behaviours)
        self.h("export.elements.content", 2)
        self.table(
            [self.t("export.col.topic"), self.t("export.col.form"), self.t("export.col.cadence")],
            [(c.topic, c.form, c.cadence) for c in e.content],
        )
        self.h("export.elements.operations", 2)
        feelings = e.operations.feelings
        self.table(
            [self.t("export.col.feeling"), self.t("export.col.actions")],
            [(f, feelings.get(f, [])) for f in Feeling],
            widths=(1, 4),
        )
        self.labelled("export.operations.routines", e.operations.routines)

    def type_line(self) -> str:
        """The community type with its one-line explanation (which may already start with the label)."""
        kind = self.plan.meta.community_type
        label = i18n.enum_label(kind, self.lang)
        explain = self.t(f"elements.type_explain.{kind.value}")
        return self.t("export.elements.type_line", explain=explain if explain.startswith(label)
                      else f"{label}{self.t('export.elements.type_sep')}{explain}")

    def positioning(self) -> None:
        p = self.plan.positioning
        self.h("export.section.positioning")
        self.table(
            [self.t("export.col.question"), self.t("export.col.answer")],
            [(self.t(f"export.w.{name}"), getattr(p, name)) for name in ("why", "what", "where", "who", "when", "how")],
            widths=(1, 4),
        )
        self.h("export.positioning.persona", 2)
        self.fields([(f"export.persona.{name}", getattr(p.persona, name)) for name in type(p.persona).model_fields])

    def lifecycle(self) -> None:
        life = self.plan.lifecycle
        self.h("export.section.lifecycle")
        end = life.start_date + timedelta(days=life.length_days - 1) if life.start_date and life.length_days else None
        self.fields([
            ("export.lifecycle.length", self.t("export.days", n=life.length_days) if life.length_days else ""),
            ("export.lifecycle.start", life.start_date),
            ("export.lifecycle.end", end),
        ])
        self.h("export.lifecycle.values", 2)
        self.labelled("export.values.stand_for", life.values.stand_for)
        self.labelled("export.values.stand_against", life.values.stand_against)
        self.h("export.lifecycle.goal", 2)
        self.table(
            [self.t(f"export.col.{c}") for c in ("goal", "metric", "target", "unit", "evaluation_rule")],
            [(g.statement, g.metric, g.target, g.unit, g.evaluation_rule) for g in life.goals],
            widths=(3, 2, 1, 1, 3),
        )
        measuring = [k.label or metric_name(k.metric, self.lang) for k in self.plan.kpis if k.measures_goal]
        if measuring:
            self.para(self.t("export.lifecycle.goal_kpi", kpis=text(measuring, self.lang)), muted=True)
        if life.long_term_goal.strip():  # the direction beyond this cycle, kept apart from the measured goal
            self.h("export.lifecycle.long_term_goal", 3)
            self.para(life.long_term_goal)
        self.h("export.lifecycle.stages", 2)
        start = life.start_date
        self.table(
            [self.t(f"export.col.{c}") for c in ("stage", "days", "dates", "focus")],
            [
                (s.stage, f"{display_day(s.start_day)}–{display_day(s.end_day)}",
                 f"{start + timedelta(days=s.start_day)} – {start + timedelta(days=s.end_day)}" if start else "",
                 s.focus)
                for s in life.stages
            ],
            widths=(1, 1, 2, 4),
        )
        if life.stages:
            self.image(charts_plan.stage_timeline(self.plan, self.lang), self.t("export.caption.timeline"))
        self.labelled("export.lifecycle.acquisition", life.acquisition_moves, level=2)
        self.h("export.lifecycle.ladder", 2)
        self.table(
            [self.t("export.col.tier"), self.money_heading("export.col.price"), self.t("export.col.offer")],
            [(c.name, c.price, c.offer) for c in life.conversion_ladder],
            widths=(2, 1, 4),
        )
        self.retention()

    def retention(self) -> None:
        """What keeps members besides content: referral, service, partners; left out while empty."""
        ret = self.plan.lifecycle.retention
        drivers = [(k, getattr(ret, k)) for k in ("referral", "service") if getattr(ret, k).strip()]
        partners = [p for p in ret.partners if p.name.strip() or p.they_bring.strip() or p.we_bring.strip()]
        if not drivers and not partners:
            return
        self.h("export.lifecycle.retention", 2)
        if drivers:
            self.fields([(f"export.retention.{k}", v) for k, v in drivers])
        if partners:
            self.h("export.retention.partners", 3)
            self.table(
                [self.t(f"export.col.{c}") for c in ("partner", "they_bring", "we_bring")],
                [(p.name, p.they_bring, p.we_bring) for p in partners],
                widths=(2, 3, 3),
            )

    def roles(self) -> None:
        p = self.plan
        self.h("export.section.roles")
        self.h("export.roles.roles", 2)
        self.table(
            [self.t(f"export.col.{c}") for c in ("role", "behaviour", "responsibility", "headcount", "hours")],
            [(r.name, r.behaviour, r.responsibility, r.headcount, r.hours_per_week) for r in p.roles],
            widths=(2, 3, 3, 1, 1),
        )
        training = [(f"export.admin_training.{k}", getattr(p.admin_training, k)) for k in ("who", "when", "how")]
        if any(v.strip() for _, v in training):  # admins grown from the members: who, when, how
            self.h("export.roles.admin_training", 2)
            self.fields([(k, v) for k, v in training if v.strip()])
        self.h("export.roles.layers", 2)
        self.para(self.t("export.layers.window", n=p.member_layers.window_days))
        self.table(
            [self.t(f"export.col.{c}") for c in ("layer", "min_checkins", "min_messages", "treatment")],
            [(m.layer, m.min_checkin_days, m.min_messages, m.treatment) for m in p.member_layers.layers],
            widths=(2, 1, 1, 5),
        )
        inc = p.incentives
        self.h("export.roles.incentives", 2)
        self.labelled("export.incentives.rewards", inc.rewards)
        self.labelled("export.incentives.penalties", inc.penalties)
        self.h("export.incentives.levels", 3)
        self.table(
            [self.t(f"export.col.{c}") for c in ("level", "requirement", "perk")],
            [(lv.name, lv.requirement, lv.perk) for lv in inc.levels],
        )
        self.h("export.roles.rituals", 2)
        self.fields([(f"export.rituals.{n}", getattr(p.rituals, n)) for n in type(p.rituals).model_fields])

    def sop(self) -> None:
        p, sop = self.plan, self.plan.sop
        self.h("export.section.sop")
        st = sop.settings
        self.para(self.t(
            "export.sop.settings",
            quiet=f"{text(st.quiet_start, self.lang)}–{text(st.quiet_end, self.lang)}",
            share=f"{st.max_marketing_share:.0%}",
            days=st.max_days_without_value,
        ))
        self.setup()
        self.h("export.sop.rules", 2)
        self.table(
            [self.t(f"export.col.{c}") for c in ("rule", "type", "stage", "trigger", "audience", "owner", "task")],
            [
                (r.name, r.type, r.stage, describe_trigger(r.trigger, self.lang), self._audience(r), self._owner(r),
                 r.task)
                for r in sop.rules
            ],
            widths=(2, 1, 1, 2, 1, 1, 3),
        )
        scripted = [r for r in sop.rules if r.script or r.material]
        if scripted:
            self.h("export.sop.scripts", 2)
            self.table(
                [self.t(f"export.col.{c}") for c in ("rule", "channel", "script", "material")],
                [(r.name, r.channel, r.script, r.material) for r in scripted],
                widths=(2, 1, 5, 2),
            )
        self.review_cadence()
        # Without a start date there is no calendar to lay the tasks on (the doctor says so).
        schedule = expand(p) if p.lifecycle.start_date is not None else None
        rows = schedule_rows(schedule, self.lang) if schedule is not None else []
        if rows:
            self.h("export.sop.schedule", 2)
            self.table(
                [self.t(f"export.col.{c}") for c in ("rule", "owner", "occurrences", "first", "last")],
                schedule_overview(rows), widths=(3, 2, 1, 2, 2),
            )
            self.image(charts_sop.gantt(p, schedule, self.lang), self.t("export.caption.gantt"))
            # A year of daily tasks is a thousand rows: the document shows the first weeks, the
            # SOP page's CSV / XLSX / calendar exports carry the rest.
            shown = rows[:SCHEDULE_DETAIL_ROWS]
            self.h("export.sop.schedule_detail", 3)
            if len(rows) > len(shown):
                self.para(self.t("export.sop.schedule_cut", shown=len(shown), total=len(rows), last=shown[-1][0]),
                          muted=True)
            self.table(
                [self.t(f"export.col.{c}") for c in ("when", "rule", "owner", "task", "minutes")],
                shown, widths=(2, 2, 1, 4, 1),
            )

    def setup(self) -> None:
        """What is ready before the group opens: the entry announcement, the group's settings, the
        welcome card; left out while nothing is written."""
        su = self.plan.setup
        if not any(getattr(su, item.value).strip() for item in SetupItem):
            return
        self.h("export.sop.setup", 2)
        settings = [(i18n.enum_label(item, self.lang), getattr(su, item.value)) for item in SetupItem
                    if item not in (SetupItem.ENTRY_ANNOUNCEMENT, SetupItem.WELCOME_CARD)
                    and getattr(su, item.value).strip()]
        for item in (SetupItem.ENTRY_ANNOUNCEMENT, None, SetupItem.WELCOME_CARD):
            if item is None:
                if settings:
                    self.h("export.setup.settings", 3)
                    self.table((self.t("export.col.item"), self.t("export.col.content")), settings, widths=(1, 3))
            elif getattr(su, item.value).strip():
                self.blocks.append(Heading(i18n.enum_label(item, self.lang), 3))
                self.para(getattr(su, item.value))

    def review_cadence(self) -> None:
        """The weekly review and the coordination meeting before big events (both generated into the
        schedule); left out while neither is planned."""
        rv = self.plan.review
        lines = []
        if rv.weekday is not None:
            lines.append(self.t("export.review.weekly", day=self.t(f"sop.weekday.{rv.weekday}"),
                                time=text(rv.at_time, self.lang) if rv.at_time else ""))
        if rv.before_events:
            lines.append(self.t("export.review.before_events"))
        if lines:
            self.h("export.sop.review", 2)
            self.bullets(lines)

    def review_notes(self) -> None:
        """The revision notes the reviews recorded: which KPI missed, the likely cause, what changed where."""
        notes = self.plan.review.notes
        if not notes:
            return
        self.h("export.kpis.review_notes", 2)
        self.table(
            [self.t(f"export.col.{c}") for c in ("on", "kpi", "cause", "change", "changed")],
            [(n.on, n.kpi, n.cause, n.change, diff.field_label(n.target, self.lang) if n.target else "")
             for n in notes],
            widths=(1, 2, 3, 3, 2),
        )

    def _owner(self, rule: SopRule) -> str:
        role = self.plan.role_by_id(rule.owner_role) if rule.owner_role else None
        return role.name if role else rule.owner_role

    def _audience(self, rule: SopRule) -> str:
        label = text(rule.audience, self.lang)
        if not rule.audience_ref:
            return label
        ref = rule.audience_ref
        role = self.plan.role_by_id(ref)
        if role:
            ref = role.name
        elif rule.audience.value == "layer":
            ref = i18n.t(f"enum.Layer.{ref}", self.lang)
        return f"{label}: {ref}"

    def replication(self) -> None:
        r = self.plan.replication
        self.h("export.section.replication")
        self.fields([
            ("export.replication.planned", r.planned),
            ("export.replication.rhythm", r.rhythm),
            ("export.replication.method", r.method),
        ])
        self.h("export.replication.culture", 2)
        self.fields([(f"export.culture.{n}", getattr(r.culture, n)) for n in type(r.culture).model_fields])
        self.labelled("export.replication.traps", r.traps, level=2)

    def compliance(self) -> None:
        c = self.plan.compliance
        self.h("export.section.compliance")
        self.fields([
            ("export.compliance.privacy_note", c.privacy_note),
            ("export.compliance.moderation_policy", c.moderation_policy),
        ])
        self.labelled("export.compliance.legal_notes", c.legal_notes, level=2)

    def kpis(self, analysis: Analysis | None) -> None:
        self.h("export.section.kpis")
        kpis = self.plan.kpis
        columns = [self.t(f"export.col.{c}") for c in ("kpi", "metric", "target", "unit", "due_day")]
        rows: list[list[Any]] = [[k.label, metric_name(k.metric, self.lang), k.target, k.unit,
                                  display_day(k.due_day) if k.due_day is not None else None] for k in kpis]
        widths: tuple[int, ...] = (3, 2, 1, 1, 1)
        if analysis is not None:
            columns += [self.t("export.col.actual"), self.t("export.col.status")]
            widths += (1, 1)
            for row, measured in zip(rows, kpi_actuals(self.plan, analysis), strict=True):
                row += [_number(measured["actual"]), self.t(f"export.status.{measured['status']}")]
        self.table(columns, rows, widths=widths)
        if analysis is not None:
            self.h("export.kpis.data", 2)
            overview = [(self.t(f"export.data.{k}"), getattr(analysis, k)) for k in ("members", "events", "bad_rows")]
            self.table([self.t("export.col.item"), self.t("export.col.content")], overview, widths=(2, 3))
            if analysis.window:
                self.para(data_view.headline_period(analysis, self.lang), muted=True)
                self.table([self.t("export.col.item"), self.t("export.col.content")],
                           [(label, value) for label, value, _ in data_view.headline(analysis, self.lang)],
                           widths=(2, 3))
            for caption, chart in charts_data.export_charts(analysis, self.lang):
                self.image(chart, caption)
            if analysis.comparison:
                self.groups(analysis.comparison)
            self.inactivity(analysis)
        self.review_notes()

    def groups(self, comparison: dict[str, Any]) -> None:
        """Several groups side by side, as the data page's 多群对比 tab shows them."""
        self.h("data.tab.groups", 3)
        self.para(self.t("data.groups.batches" if comparison["batches"] else "data.groups.intro",
                         days=comparison["horizon_days"], count=len(comparison["order"])))
        table = data_view.groups_table(comparison, self.lang)
        self.table(list(table.columns), table.astype(str).values.tolist())
        self.para(self.t("data.groups.definitions"), muted=True)

    def inactivity(self, analysis: Analysis) -> None:
        """Members who were active and fell silent: who to reach out to, with the lurker treatment."""
        self.h("export.kpis.inactivity", 3)
        alerts = analysis.inactivity
        if not alerts:
            self.para(self.t("export.inactivity.none"), muted=True)
            return
        shown = alerts[:INACTIVITY_ROWS]
        if len(alerts) > len(shown):
            self.para(self.t("export.inactivity.cut", shown=len(shown), total=len(alerts)), muted=True)
        self.table(
            [self.t(f"export.col.{c}") for c in ("member", "prior_events", "last_active")],
            [(a["nickname"] or a["member_id"], a["prior_events"], a["last_active"]) for a in shown],
            widths=(3, 1, 2),
        )
        if analysis.lurker_treatment:
            self.para(self.t("export.inactivity.treatment", treatment=analysis.lurker_treatment))

    def findings(self) -> None:
        found = doctor.diagnose(self.plan)
        self.h("export.section.findings")
        if not found:
            self.para(self.t("export.findings.none"))
            return
        self.table(
            [self.t(f"export.col.{c}") for c in ("severity", "step", "finding", "fix")],
            [
                (i18n.enum_label(f.severity, self.lang), i18n.enum_label(f.step, self.lang),
                 *doctor.render_finding(f, self.lang))
                for f in found
            ],
            widths=(1, 1, 4, 4),
        )

    def dictionary(self) -> None:
        self.h("export.section.dictionary")
        self.table(
            [self.t("export.col.metric"), self.t("export.col.definition")],
            [(str(e["name"]), str(e["definition"])) for e in metrics.dictionary(self.lang)],
            widths=(1, 3),
        )


def _number(value: Any) -> Any:
    """Measured values rounded for reading (a share like 0.4166… as 0.417)."""
    if isinstance(value, float):
        return round(value, 3)
    return value


def metric_name(key: str, lang: str) -> str:
    """The dictionary's name of a measured metric; a free-text (manual) KPI metric as written."""
    return metrics.name(key, lang) if key in metrics.METRIC_BY_KEY else key


def kpi_actuals(plan: Plan, analysis: Analysis) -> list[dict[str, Any]]:
    """One row per KPI of the plan (same order) with `actual` and `status`.

    An analysis made with this plan already carries them (measured with the raw data, so buyers
    and retention are there too); when the KPIs changed since, measure again from the analysis."""
    rows = analysis.plan_vs_actual
    wanted = [(k.metric, k.target, k.due_day) for k in plan.kpis]
    if [(r["metric"], r["target"], r["due_day"]) for r in rows] == wanted and all(
        r["due_date"] == _iso(kpis.due_date(plan, k.due_day)) for r, k in zip(rows, plan.kpis, strict=True)
    ):
        return rows
    return kpis.plan_vs_actual(plan, analysis)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def summary_blocks(sections: Sequence[SummarySection], lang: str) -> list[Block]:
    """A level-2 heading and a label/value table per section of `planner.plan.summary.one_page`."""
    out: list[Block] = []
    for section in sections:
        rows = tuple((label, text(value, lang)) for label, value in section.lines)
        out.append(Heading(section.title, 2))
        out.append(Table((i18n.t("export.col.item", lang), i18n.t("export.col.content", lang)), rows, (1, 3)))
    return out


def schedule_rows(schedule: Schedule, lang: str) -> list[tuple[str, ...]]:
    """Rows of the dated schedule: when, rule, owner, task, minutes."""
    return [
        tuple(text(v, lang) for v in (t.start, t.name, t.owner_name or t.owner_role, t.task, t.minutes))
        for t in schedule.tasks
    ]


def schedule_overview(rows: Sequence[tuple[str, ...]]) -> list[tuple[str, str, str, str, str]]:
    """Per rule (in order of first occurrence): owner, number of occurrences, first and last time."""
    seen: dict[tuple[str, str], list[str]] = {}
    for when, rule, owner, *_ in rows:
        seen.setdefault((rule, owner), []).append(when)
    return [(rule, owner, str(len(times)), times[0], times[-1]) for (rule, owner), times in seen.items()]


def build_document(
    plan: Plan,
    lang: str,
    analysis: Analysis | None = None,
    *,
    charts: bool = True,
    progress: ProgressFn | None = None,
) -> Document:
    """The plan as a Document in `lang` ("zh" | "en"). `charts=False` skips the chart images (a
    fast preview); `progress(fraction, label)` is told as each part is built."""
    lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
    if analysis is not None and plan.data.pseudonymise:
        # Aliases numbered as on the data page, so a member is 成员-0007 in both.
        analysis = pseudonymise_analysis(analysis, prefix=i18n.t("data.alias_prefix", "zh"))
    b = _Builder(plan, lang, charts, progress)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("export.section.summary", b.summary),
        ("export.section.research", b.research),
        ("export.section.elements", b.elements),
        ("export.section.positioning", b.positioning),
        ("export.section.lifecycle", b.lifecycle),
        ("export.section.roles", b.roles),
        ("export.section.sop", b.sop),
        ("export.section.replication", b.replication),
        ("export.section.compliance", b.compliance),
        ("export.section.kpis", lambda: b.kpis(analysis)),
        ("export.section.findings", b.findings),
        ("export.section.dictionary", b.dictionary),
    ]
    for i, (label, run) in enumerate(steps):
        b.step(i / len(steps), label)
        run()
    b.step(1.0, "export.progress.done")
    title = plan.meta.name or i18n.t("plan.untitled", lang)
    return Document(lang=lang, title=title, subtitle=plan.meta.slogan, cover=b.cover(), blocks=b.blocks)
