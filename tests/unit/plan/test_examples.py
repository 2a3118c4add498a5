"""The shipped example plans: each loads cleanly, round-trips exactly and is coherent enough to
demo live (one goal, contiguous stages, owned SOP rules, measurable KPIs)."""

from __future__ import annotations

import json
import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from models.enums import LIFECYCLE_PRESETS, STAGE_ORDER, Feeling
from models.plan import Plan
from models.sop import TriggerKind
from planner.commands.cli import main
from planner.paths import EXAMPLES
from planner.plan.doctor import diagnose
from planner.plan.examples import example_slugs, example_slugs_for, load_example
from planner.plan_core.json_io import plan_from_json, plan_to_json

# The shared metric keys of /tmp/kpi.md (what the analytics module measures).
KPI_METRICS = {
    "members",
    "new_members",
    "active_members",
    "checkin_rate",
    "dau_mau",
    "retention_m1",
    "buyers",
    "messages",
}
EARLIEST, LATEST = time(8, 0), time(21, 30)


def _load(slug: str) -> Plan:
    path = EXAMPLES / f"{slug}.json"
    plan, problems = plan_from_json(path.read_bytes(), file=path.name)
    assert problems == []
    assert plan is not None
    return plan


@pytest.fixture(params=example_slugs())
def slug(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def plan(slug: str) -> Plan:
    return _load(slug)


def test_at_least_five_examples_of_distinct_types() -> None:
    types = {_load(s).meta.community_type for s in example_slugs()}
    assert len(example_slugs()) >= 5
    assert len(types) >= 5


def test_example_ids_are_unique() -> None:
    ids = [_load(s).id for s in example_slugs()]
    assert len(set(ids)) == len(ids)


def test_round_trip_is_exact(plan: Plan) -> None:
    again, problems = plan_from_json(plan_to_json(plan))
    assert problems == []
    assert again == plan


def test_file_is_canonical_json(slug: str, plan: Plan) -> None:
    # The file on disk is exactly what plan_to_json writes, so re-saving an example changes nothing.
    assert (EXAMPLES / f"{slug}.json").read_text(encoding="utf-8") == plan_to_json(plan)


def test_meta_is_filled(plan: Plan) -> None:
    meta = plan.meta
    assert meta.name and meta.slogan and meta.owner_team and meta.description
    assert meta.language in ("zh", "en")
    assert meta.created_on is None and meta.updated_at is None
    assert all(plan.research.model_dump().values())


def test_exactly_one_goal(plan: Plan) -> None:
    assert len(plan.lifecycle.goals) == 1
    goal = plan.lifecycle.goals[0]
    assert goal.statement and goal.metric and goal.unit and goal.evaluation_rule
    assert goal.target is not None


def test_lifecycle_is_a_preset_starting_in_2027(plan: Plan) -> None:
    assert plan.lifecycle.length_days in LIFECYCLE_PRESETS
    assert plan.lifecycle.start_date is not None and plan.lifecycle.start_date.year == 2027


def test_stages_cover_the_lifecycle_and_none_is_impossible(plan: Plan) -> None:
    # Stages may overlap (a group that keeps recruiting activates while it acquires) but every day is
    # covered, recruiting starts first and nothing impossible is planned.
    stages = sorted(plan.lifecycle.stages, key=lambda s: (s.start_day, STAGE_ORDER.index(s.stage)))
    assert {s.stage for s in stages} >= set(STAGE_ORDER[:4])
    assert stages[0].start_day == 0 and stages[0].stage == STAGE_ORDER[0]
    assert max(s.end_day for s in stages) == plan.lifecycle.length_days - 1
    covered = set().union(*(range(s.start_day, s.end_day + 1) for s in stages))
    assert covered == set(range(plan.lifecycle.length_days))
    assert not [f for f in diagnose(plan) if f.rule_id in {"stages.impossible", "stages.gap", "stages.order"}]


def test_four_elements_are_filled(plan: Plan) -> None:
    el = plan.elements
    assert 4 <= len(el.structure.group_rules) <= 6
    assert el.structure.interaction_mechanisms and el.structure.admins and el.structure.kols
    assert 3 <= len(el.content) <= 5
    assert all(p.topic and p.form and p.cadence for p in el.content)
    assert all(el.operations.feelings.get(f) for f in Feeling)
    assert el.operations.routines
    assert len(plan.lifecycle.acquisition_moves) == 3
    assert 2 <= len(plan.lifecycle.conversion_ladder) <= 3
    assert 3 <= len(plan.incentives.levels) <= 4
    assert all(layer.treatment for layer in plan.member_layers.layers)


def test_roles_have_stable_short_ids(plan: Plan) -> None:
    ids = [r.id for r in plan.roles]
    assert 4 <= len(ids) <= 7
    assert len(set(ids)) == len(ids)
    assert all(i.isascii() and i.replace("_", "").isalpha() and len(i) <= 12 for i in ids)


def test_every_sop_rule_is_owned_by_a_plan_role(plan: Plan) -> None:
    role_ids = {r.id for r in plan.roles}
    rules = plan.sop.rules
    assert 8 <= len(rules) <= 14
    for rule in rules:
        assert rule.owner_role in role_ids, rule.id
        assert rule.script and rule.task
        if rule.audience.value == "role":
            assert rule.audience_ref in role_ids


def test_sop_marketing_share_and_hours(plan: Plan) -> None:
    rules = plan.sop.rules
    assert sum(r.is_marketing for r in rules) <= plan.sop.settings.max_marketing_share * len(rules)
    for rule in rules:
        if rule.trigger.at_time is not None:
            assert EARLIEST <= rule.trigger.at_time <= LATEST, rule.id


def test_sop_triggers_fall_inside_the_lifecycle(plan: Plan) -> None:
    length = plan.lifecycle.length_days
    start = plan.lifecycle.start_date
    assert length is not None and start is not None
    for rule in plan.sop.rules:
        trigger = rule.trigger
        if trigger.kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
            assert trigger.day is not None and 0 <= trigger.day < length, rule.id
        if trigger.kind == TriggerKind.ABSOLUTE:
            assert trigger.at is not None
            assert start <= trigger.at.date() <= start + timedelta(days=length - 1), rule.id


def test_sop_covers_the_method(plan: Plan) -> None:
    rules = plan.sop.rules
    events = {r.trigger.event.value for r in rules if r.trigger.event is not None}
    assert {"member_joins", "member_inactive"} <= events
    assert any(r.trigger.kind == TriggerKind.GROUP_DAY and r.trigger.day == 0 for r in rules)
    assert any(r.trigger.kind == TriggerKind.WEEKLY for r in rules)
    assert any(r.type.value == "conversion" for r in rules)
    assert any(
        r.trigger.kind == TriggerKind.GROUP_DAY and r.trigger.day == plan.lifecycle.length_days - 1 for r in rules
    )


def test_kpis_use_shared_metrics_inside_the_lifecycle(plan: Plan) -> None:
    length = plan.lifecycle.length_days
    assert length is not None
    assert 3 <= len(plan.kpis) <= 5
    for kpi in plan.kpis:
        # a goal measured by hand (e.g. suggestions adopted) is tracked as its own KPI
        assert kpi.metric in KPI_METRICS or (kpi.measures_goal and kpi.metric == plan.lifecycle.goals[0].metric)
        assert kpi.due_day is not None and 0 <= kpi.due_day < length
        assert kpi.target is not None
    assert sum(k.measures_goal for k in plan.kpis) == 1  # the one goal is measured
    assert all(k.metric != "messages" for k in plan.kpis)  # activity is a means, not a target


def test_an_english_example_for_an_english_speaking_community() -> None:
    english = [p for p in (_load(s) for s in example_slugs()) if p.meta.language == "en"]
    assert english
    for plan in english:  # written in English throughout, not a translation key left behind
        texts = [plan.meta.name, plan.positioning.what, plan.rituals.self_intro_template,
                 *(r.script for r in plan.sop.rules), plan.setup.welcome_card]
        assert all(t and not any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)


def test_examples_vary_in_shape() -> None:
    plans = [_load(s) for s in example_slugs()]
    assert len({len(p.kpis) for p in plans}) >= 3
    assert len({p.sop.rules[-1].script for p in plans}) == len(plans)
    closings = [next(r.script for r in p.sop.rules if r.id == "closing") for p in plans if p.meta.language == "zh"]
    assert len({c[:12] for c in closings}) == len(closings)  # no shared closing script


def test_example_numbers_agree_with_each_other() -> None:
    camp = _load("early_rise_camp")
    leaders = next(r for r in camp.roles if r.id == "leader").headcount
    members = next(k.target for k in camp.kpis if k.metric == "members")
    assert leaders * 10 >= members  # groups of 10, one leader each
    assert "18:00" in camp.lifecycle.goals[0].evaluation_rule  # figures exported before the 20:00 closing
    baoma = _load("baoma_seed_group")
    captains = next(r for r in baoma.roles if r.id == "captain").headcount
    assert "25人" in baoma.elements.structure.interaction_mechanisms[-1] and captains * 25 >= 150
    shop = _load("ecommerce_repurchase")
    assert "全年约15个群" in shop.positioning.where  # ~480 a month into groups of 400
    acquisition = next(s for s in shop.lifecycle.stages if s.stage == STAGE_ORDER[0])
    assert acquisition.end_day == shop.lifecycle.length_days - 1  # package cards recruit all year


def test_rituals_replication_compliance_and_data(plan: Plan) -> None:
    assert all(plan.rituals.model_dump().values())
    assert all(plan.replication.culture.model_dump().values())
    assert plan.replication.rhythm and plan.replication.method and plan.replication.traps
    assert plan.compliance.privacy_note and plan.compliance.moderation_policy and plan.compliance.legal_notes
    assert plan.data.checkin_keywords


def test_load_example_gives_a_fresh_id() -> None:
    slug = example_slugs()[0]
    assert load_example(slug).id != _load(slug).id
    assert load_example(slug, fresh_id=False).id == _load(slug).id


def test_cli_list_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list-examples"]) == 0
    out = capsys.readouterr().out
    for slug in example_slugs():
        assert slug in out


def test_cli_new_from_example(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    assert main(["new", "--example", "early_rise_camp", "--out", str(out)]) == 0
    plan, problems = plan_from_json(out.read_bytes())
    assert problems == [] and plan is not None
    assert plan.meta.name == _load("early_rise_camp").meta.name
    assert json.loads(out.read_text(encoding="utf-8"))["lifecycle"]["start_date"] == date(2027, 3, 1).isoformat()


def test_example_sops_are_executable(plan: Plan) -> None:
    from planner.sop.maturity import FINAL_PASS, maturity

    assert maturity(plan).reached == FINAL_PASS  # script, material, owner and time on every rule


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_examples_in_the_interface_language_come_first(lang: str) -> None:
    slugs = example_slugs_for(lang)
    languages = [load_example(s, fresh_id=False).meta.language for s in slugs]
    assert sorted(slugs) == sorted(example_slugs())
    assert lang in languages and languages == sorted(languages, key=lambda lg: lg != lang)


def test_slugs_follow_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed again once a file is added or removed (the folder's modification time changes)."""
    from planner.plan import examples

    monkeypatch.setattr(examples, "EXAMPLES", tmp_path)
    (tmp_path / "b_camp.json").write_text("{}", encoding="utf-8")
    assert examples.example_slugs() == ["b_camp"]
    (tmp_path / "a_club.json").write_text("{}", encoding="utf-8")
    os.utime(tmp_path, ns=(1, 1))  # a clock too coarse to tell the two changes apart cannot hide this one
    assert examples.example_slugs() == ["a_club", "b_camp"]
    (tmp_path / "b_camp.json").unlink()
    os.utime(tmp_path, ns=(2, 2))
    assert examples.example_slugs() == ["a_club"]
    monkeypatch.setattr(examples, "EXAMPLES", tmp_path / "missing")
    assert examples.example_slugs() == []
