"""Merging two sessions' edits of one plan (issue 14): this session's changes onto the stored plan,
first writer wins on the same field, lists with ids merged item by item, never an exception."""

from __future__ import annotations

import copy
from datetime import datetime, time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models import Feeling, Plan, SopRule, Trigger, TriggerKind
from models.migrations import upgrade
from models.plan import Kpi, Role
from planner.plan_core.merge import Conflict, ConflictKind, MergeResult, merge_plans


def _base() -> Plan:
    plan = Plan()
    plan.meta.name = "早起营"
    plan.lifecycle.values.stand_for = ["长期主义", "真诚"]
    plan.elements.operations.feelings = {f: [f"{f.value} 1"] for f in Feeling}
    plan.roles = [Role(id=f"r{n}", name=f"角色{n}", headcount=n) for n in range(1, 4)]
    plan.sop.rules = [SopRule(id=f"s{n}", name=f"规则{n}", script=f"话术{n}", owner_role="r1") for n in range(1, 4)]
    plan.kpis = [Kpi(id=f"k{n}", metric="members", label=f"指标{n}", target=10.0 * n) for n in range(1, 4)]
    return plan


def _copy(plan: Plan) -> Plan:
    return plan.model_copy(deep=True)


def _at(plan: Plan, path: str) -> Any:
    # The value at a 0-based dotted path, as planner.plan_core.edit.get_at reads it.
    node: Any = plan.model_dump(mode="json")
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def _conflict(result: MergeResult) -> Conflict:
    assert len(result.conflicts) == 1, result.conflicts
    return result.conflicts[0]


# --- scalars and dicts ---------------------------------------------------------------------


def test_same_field_first_writer_wins_and_the_loser_is_told() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.meta.name, theirs.meta.name = "我的名字", "他们的名字"
    result = merge_plans(base, mine, theirs)
    assert result.plan.meta.name == "他们的名字"
    assert _conflict(result) == Conflict("meta.name", ConflictKind.BOTH_CHANGED, "我的名字", "他们的名字")
    assert result.applied_paths == [] and not result.changed


def test_different_fields_are_both_kept() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.meta.name = "新名字"
    theirs.meta.slogan = "新口号"
    result = merge_plans(base, mine, theirs)
    assert (result.plan.meta.name, result.plan.meta.slogan) == ("新名字", "新口号")
    assert result.conflicts == []
    assert result.applied_paths == ["meta.name"] and result.changed


def test_nested_dict_keys_merge_by_key() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.elements.operations.feelings[Feeling.RITUAL] = ["开营仪式"]
    theirs.elements.operations.feelings[Feeling.BELONGING] = ["周年纪念"]
    result = merge_plans(base, mine, theirs)
    feelings = result.plan.elements.operations.feelings
    assert feelings[Feeling.RITUAL] == ["开营仪式"] and feelings[Feeling.BELONGING] == ["周年纪念"]
    assert result.conflicts == [] and result.applied_paths == ["elements.operations.feelings.ritual"]

    theirs.elements.operations.feelings[Feeling.RITUAL] = ["毕业典礼"]
    result = merge_plans(base, mine, theirs)
    assert result.plan.elements.operations.feelings[Feeling.RITUAL] == ["毕业典礼"]
    assert _conflict(result).path == "elements.operations.feelings.ritual"


def test_a_list_without_ids_is_one_value() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.lifecycle.values.stand_for = ["长期主义", "真诚", "互助"]
    theirs.lifecycle.values.stand_for = ["真诚"]
    result = merge_plans(base, mine, theirs)
    assert result.plan.lifecycle.values.stand_for == ["真诚"]
    conflict = _conflict(result)
    assert conflict.path == "lifecycle.values.stand_for"
    assert (conflict.mine, conflict.theirs) == (["长期主义", "真诚", "互助"], ["真诚"])
    # The same change on both sides is no conflict.
    theirs.lifecycle.values.stand_for = list(mine.lifecycle.values.stand_for)
    result = merge_plans(base, mine, theirs)
    assert result.conflicts == [] and not result.changed


def test_no_op_cases() -> None:
    base = _base()
    edited = _copy(base)
    edited.roles[0].name = "领教"
    assert merge_plans(base, base, edited).plan == edited  # this session changed nothing
    assert not merge_plans(base, base, edited).changed
    result = merge_plans(base, edited, base)  # nobody else saved: this session's plan as it is
    assert result.plan == edited and result.changed and result.applied_paths == ["roles.0.name"]
    same = merge_plans(base, edited, _copy(edited))  # both made the same edit
    assert same.plan == edited and same.conflicts == [] and not same.changed
    assert merge_plans(base, base, base).plan == base


def test_bookkeeping_is_the_stored_plans_without_conflict() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.meta.updated_at = datetime(2027, 1, 1, 9, 0)
    theirs.meta.updated_at = datetime(2027, 1, 1, 10, 0)
    theirs.meta.name = "改名"
    result = merge_plans(base, mine, theirs)
    assert result.plan == theirs and result.conflicts == []


# --- lists with ids: roles, SOP rules, KPIs ------------------------------------------------


def test_items_added_on_both_sides_are_all_kept_theirs_first() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.roles.append(Role(id="mine", name="我加的"))
    theirs.roles.append(Role(id="theirs", name="他们加的"))
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.roles) == ["r1", "r2", "r3", "theirs", "mine"]
    assert result.conflicts == [] and result.applied_paths == ["roles.4"]


def test_an_item_added_in_the_middle_stays_after_its_predecessor() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.sop.rules.insert(1, SopRule(id="new", name="新规则"))
    theirs.sop.rules.insert(0, SopRule(id="first", name="他们的"))
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.sop.rules) == ["first", "s1", "new", "s2", "s3"]
    assert result.applied_paths == ["sop.rules.2"]


def test_items_removed_on_both_sides_are_all_gone() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    del mine.kpis[0]
    del theirs.kpis[2]
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.kpis) == ["k2"]
    assert result.conflicts == [] and result.applied_paths == ["kpis"]


def test_items_edited_on_both_sides_merge_field_by_field() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.sop.rules[2].script = "我的话术"
    mine.sop.rules[2].trigger.at_time = time(20, 0)
    theirs.sop.rules[2].name = "他们的名字"
    theirs.sop.rules.insert(0, SopRule(id="first"))
    result = merge_plans(base, mine, theirs)
    rule = result.plan.sop.rules[3]
    assert (rule.id, rule.script, rule.name, rule.trigger.at_time) == ("s3", "我的话术", "他们的名字", time(20, 0))
    assert result.applied_paths == ["sop.rules.3.trigger.at_time", "sop.rules.3.script"]

    theirs.sop.rules[3].script = "他们的话术"
    result = merge_plans(base, mine, theirs)
    # Named by its position in the merged plan (after their new first rule), not in base.
    assert _conflict(result) == Conflict("sop.rules.3.script", ConflictKind.BOTH_CHANGED, "我的话术", "他们的话术")
    assert _conflict(result).shown_path == "sop.rules.4.script"
    assert _at(result.plan, "sop.rules.3.script") == "他们的话术"


def test_item_edited_here_but_deleted_there_is_kept_with_a_conflict() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.kpis[1].target = 99.0
    del theirs.kpis[1]
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.kpis) == ["k1", "k2", "k3"]
    assert result.plan.kpis[1].target == 99.0
    conflict = _conflict(result)
    assert (conflict.path, conflict.kind, conflict.theirs) == ("kpis.1", ConflictKind.DELETED_BY_THEM, None)
    assert conflict.mine["target"] == 99.0
    assert result.applied_paths == [] and result.changed


def test_item_deleted_here_but_edited_there_is_kept_as_theirs() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    del mine.roles[0]
    theirs.roles[0].responsibility = "带新人"
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.roles) == ["r1", "r2", "r3"] and result.plan.roles[0].responsibility == "带新人"
    conflict = _conflict(result)
    assert (conflict.path, conflict.kind, conflict.mine) == ("roles.0", ConflictKind.DELETED_BY_ME, None)
    assert not result.changed


def test_item_deleted_on_one_side_and_untouched_on_the_other_is_gone() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    del mine.roles[1]
    theirs.roles[0].name = "改名"
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.roles) == ["r1", "r3"] and result.plan.roles[0].name == "改名"
    assert result.conflicts == [] and result.applied_paths == ["roles"]
    # …and the same when the other session deleted it.
    result = merge_plans(base, theirs, mine)
    assert _ids(result.plan.roles) == ["r1", "r3"] and result.conflicts == []


def test_reordering_on_one_side_is_kept() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.roles.reverse()
    theirs.roles[0].name = "改名"
    theirs.roles.append(Role(id="new"))
    result = merge_plans(base, mine, theirs)
    assert _ids(result.plan.roles) == ["r3", "r2", "r1", "new"]  # their new role stays last
    assert result.plan.roles[2].name == "改名"
    assert result.conflicts == [] and result.applied_paths == ["roles"]

    result = merge_plans(base, theirs, mine)  # they reordered; this session edited and added
    assert _ids(result.plan.roles) == ["r3", "r2", "r1", "new"] and result.conflicts == []


def test_reordering_on_both_sides_keeps_their_order() -> None:
    base = _base()
    mine, theirs = _copy(base), _copy(base)
    mine.kpis.reverse()
    theirs.kpis = [theirs.kpis[1], theirs.kpis[0], theirs.kpis[2]]
    mine.kpis.append(Kpi(id="k4"))
    mine.kpis.insert(2, Kpi(id="after-k2"))
    result = merge_plans(base, mine, theirs)
    # Their order; this session's new KPIs after the same predecessor (k2), or at the end.
    assert _ids(result.plan.kpis) == ["k2", "after-k2", "k1", "k3", "k4"]
    assert _conflict(result) == Conflict("kpis", ConflictKind.ORDER, ["k3", "k2", "k1"], ["k2", "k1", "k3"])
    assert result.applied_paths == ["kpis.1", "kpis.4"]
    # The same new order on both sides is no conflict.
    theirs.kpis = [k for k in mine.kpis if k.id in ("k1", "k2", "k3")]
    assert merge_plans(base, mine, theirs).conflicts == []


def test_plans_upgraded_from_schema_1_by_two_sessions_merge_kpis_by_id() -> None:
    stored = _base().model_dump(mode="json")
    stored["schema_version"] = 1
    stored["kpis"] = [{k: v for k, v in kpi.items() if k != "id"} for kpi in stored["kpis"]]
    base = Plan.model_validate(upgrade(stored))
    mine, theirs = Plan.model_validate(upgrade(stored)), Plan.model_validate(upgrade(stored))
    del mine.kpis[0]
    theirs.kpis[2].label = "改过"
    result = merge_plans(base, mine, theirs)
    assert [(k.id, k.label) for k in result.plan.kpis] == [("kpi-2", "指标2"), ("kpi-3", "改过")]
    assert result.conflicts == []


# --- a merge that does not validate ----------------------------------------------------------


def test_merge_that_breaks_a_rule_keeps_theirs_and_reports_all_of_mine() -> None:
    base = _base()
    base.sop.rules[1].trigger = Trigger(kind=TriggerKind.ABSOLUTE, day=0, at=datetime(2027, 3, 1, 9, 0))
    mine, theirs = _copy(base), _copy(base)
    mine.sop.rules[1].trigger.kind = TriggerKind.GROUP_DAY  # valid: day 0 is there
    mine.meta.name = "也改了名字"
    mine.roles.append(Role(id="extra"))
    theirs.sop.rules[1].trigger.day = None  # valid: an absolute trigger needs no day
    theirs.sop.rules.insert(0, SopRule(id="first"))
    result = merge_plans(base, mine, theirs)  # a day-N trigger without a day: not a plan
    assert result.plan == theirs and not result.changed and result.applied_paths == []
    assert {c.kind for c in result.conflicts} == {ConflictKind.INVALID}
    assert {(c.path, str(c.mine), str(c.theirs)) for c in result.conflicts} == {
        ("meta.name", "也改了名字", "早起营"),
        ("sop.rules.2.trigger.kind", "group_day", "absolute"),  # where the rule is in theirs
        ("roles.3", str(mine.roles[3].model_dump(mode="json")), "None"),
    }


# --- properties ------------------------------------------------------------------------------

LISTS = ("roles", "sop.rules", "kpis")
ITEM_FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "roles": {"name": st.text("甲乙丙ab", max_size=4), "headcount": st.integers(0, 20)},
    "sop.rules": {"script": st.text("话术xy", max_size=4), "minutes": st.integers(0, 120)},
    "kpis": {"label": st.text("指标kp", max_size=4), "target": st.none() | st.floats(0, 1e6)},
}
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "meta.name": st.text("名字ab", max_size=5),
    "positioning.why": st.text("为什么w", max_size=5),
    "lifecycle.length_days": st.none() | st.integers(1, 400),
    "lifecycle.values.stand_for": st.lists(st.text("真诚c", min_size=1, max_size=3), max_size=3),
    "sop.settings.max_marketing_share": st.floats(0, 1),
    **{f"elements.operations.feelings.{f.value}": st.lists(st.text("动作", max_size=3), max_size=2) for f in Feeling},
}
NEW_ITEM = {"roles": lambda i: {"id": i, "name": i}, "sop.rules": lambda i: {"id": i, "name": i},
            "kpis": lambda i: {"id": i, "label": i}}
Op = tuple[Any, ...]


def _node(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


def _apply(plan: Plan, ops: list[Op]) -> Plan:
    # Edits by id, so the same edits apply to base and to the other side's plan alike.
    data = copy.deepcopy(plan.model_dump(mode="json"))
    for op in ops:
        kind, where = op[0], op[1]
        if kind == "set":
            *parents, last = where.split(".")
            _node(data, ".".join(parents))[last] = op[2]
        else:
            items = _node(data, where)
            if kind == "add":
                items.append(NEW_ITEM[where](op[2]))
            elif kind == "delete":
                items[:] = [i for i in items if i["id"] != op[2]]
            elif kind == "reverse":
                items.reverse()
            else:  # "item": set one field of one item
                next(i for i in items if i["id"] == op[2])[op[3]] = op[4]
    return Plan.model_validate(data)


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[list[Op], list[Op]]:
    """Edits for two sides that never touch the same thing: a field goes to one side; an item is
    either deleted by one side and left alone by the other, or its fields are shared out; a
    reordered list gets no new items from the other side."""
    sides: tuple[list[Op], list[Op]] = ([], [])
    side = st.sampled_from([None, 0, 1])
    base = _base().model_dump(mode="json")
    for path, values in FIELDS.items():
        if (who := draw(side)) is not None:
            sides[who].append(("set", path, draw(values)))
    for n, where in enumerate(LISTS):
        reorder_by = draw(side)
        for item in _node(base, where):
            if draw(st.booleans()) and (who := draw(side)) is not None:
                sides[who].append(("delete", where, item["id"]))
                continue
            for field, values in ITEM_FIELDS[where].items():
                if (who := draw(side)) is not None:
                    sides[who].append(("item", where, item["id"], field, draw(values)))
        for who in (0, 1):
            if reorder_by is None or reorder_by == who:
                for k in range(draw(st.integers(0, 2))):
                    sides[who].append(("add", where, f"n{who}{n}{k}"))
        if reorder_by is not None:
            sides[reorder_by].append(("reverse", where))
    mine, theirs = (draw(st.permutations(ops)) for ops in sides)
    return list(mine), list(theirs)


@settings(max_examples=150, deadline=None)
@given(disjoint_edits())
def test_disjoint_edits_merge_without_conflict(edits: tuple[list[Op], list[Op]]) -> None:
    mine_ops, theirs_ops = edits
    base = _base()
    mine, theirs = _apply(base, mine_ops), _apply(base, theirs_ops)
    result = merge_plans(base, mine, theirs)
    assert result.conflicts == []
    # Both sides' edits: exactly as if this session had made its edits on the stored plan.
    assert result.plan == _apply(theirs, mine_ops)
    assert result.changed == (result.plan != theirs)


@st.composite
def any_edits(draw: st.DrawFn) -> list[Op]:
    base = _base().model_dump(mode="json")
    ops: list[Op] = []
    for path, values in FIELDS.items():
        if draw(st.booleans()):
            ops.append(("set", path, draw(values)))
    for where in LISTS:
        for item in _node(base, where):
            choice = draw(st.sampled_from(["keep", "delete", "edit"]))
            if choice == "delete":
                ops.append(("delete", where, item["id"]))
            elif choice == "edit":
                field = draw(st.sampled_from(sorted(ITEM_FIELDS[where])))
                ops.append(("item", where, item["id"], field, draw(ITEM_FIELDS[where][field])))
        ops.extend(("add", where, f"{where}-{k}") for k in range(draw(st.integers(0, 2))))
        if draw(st.booleans()):
            ops.append(("reverse", where))
    return draw(st.permutations(ops))


@settings(max_examples=150, deadline=None)
@given(any_edits(), any_edits())
def test_any_edits_merge_to_a_valid_plan(mine_ops: list[Op], theirs_ops: list[Op]) -> None:
    base = _base()
    mine, theirs = _apply(base, mine_ops), _apply(base, theirs_ops)
    assert merge_plans(base, mine, base).plan == mine
    assert merge_plans(base, base, theirs).plan == theirs
    result = merge_plans(base, mine, theirs)
    assert Plan.model_validate(result.plan.model_dump(mode="json")) == result.plan
    for conflict in result.conflicts:
        if conflict.kind == ConflictKind.BOTH_CHANGED:  # first writer wins
            assert _at(result.plan, conflict.path) == conflict.theirs
        elif conflict.kind == ConflictKind.DELETED_BY_THEM:
            assert _at(result.plan, conflict.path) == conflict.mine
        elif conflict.kind == ConflictKind.DELETED_BY_ME:
            assert _at(result.plan, conflict.path) == conflict.theirs
    for path in result.applied_paths:
        _at(result.plan, path)  # names something in the merged plan
    # Nothing this session changed is both applied and reported lost (a list's path can name a
    # deletion that was applied and an order that was not).
    assert not set(result.applied_paths) & {c.path for c in result.conflicts if c.kind != ConflictKind.ORDER}
