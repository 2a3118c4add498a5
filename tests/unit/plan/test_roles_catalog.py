"""Seed roles: every seed has texts in both languages; adding skips duplicates."""

from __future__ import annotations

import pytest

from models.plan import Role
from planner import i18n
from planner.plan.roles_catalog import SEED_KEYS, has_seed, missing_seeds, seed_role, with_seed_roles


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("key", SEED_KEYS)
def test_every_seed_has_behaviour_and_responsibility(key: str, lang: str) -> None:
    role = seed_role(key, lang)
    assert role.name and role.behaviour and role.responsibility
    assert not role.behaviour.startswith("roles.seed.")
    assert role.headcount >= 1


def test_seed_names_in_chinese() -> None:
    assert [seed_role(k, "zh").name for k in SEED_KEYS] == ["领教", "组长", "赋能官", "夸夸官", "助教", "管理员", "KOL"]


def test_unknown_seed() -> None:
    with pytest.raises(KeyError):
        seed_role("captain", "zh")


def test_adding_skips_duplicates_in_any_language() -> None:
    roles = [Role(name="Assistant"), Role(name="组 长")]
    out = with_seed_roles(roles, ["assistant", "group_leader", "praiser", "praiser"], "zh")
    assert [r.name for r in out] == ["Assistant", "组 长", "夸夸官"]
    assert len(roles) == 2  # input untouched
    assert has_seed(out, "praiser") and not has_seed(out, "kol")


def test_a_longer_name_counts_as_the_seed() -> None:
    roles = [Role(name="小组长"), Role(name="群管理员")]
    assert has_seed(roles, "group_leader") and has_seed(roles, "admin")
    assert not has_seed(roles, "assistant")


def test_new_roles_get_their_own_ids_and_all_seeds_can_be_added() -> None:
    out = with_seed_roles([], list(SEED_KEYS), "en")
    assert len({r.id for r in out}) == len(SEED_KEYS)
    assert missing_seeds(out) == []
    assert missing_seeds([]) == list(SEED_KEYS)
