"""The seed roles the method names (a role = a behaviour pattern + a responsibility), one click
away on the roles page. Their texts live in the locale catalogs under `roles.seed.<key>.*`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from models.plan import Role
from planner import i18n


class SeedRole(NamedTuple):
    key: str
    headcount: int
    hours_per_week: float


# Headcount and weekly hours are the team the one-click default SOP (planner.sop.schedule.default_rules)
# is written for: every role's busiest day of the defaults fits its daily share of these hours, for
# any lifecycle length, community type and start weekday (tests/unit/plan/test_default_team.py).
# The lead hosts the ceremonies and the weekly review (up to 135 minutes on the closing day); the
# admin runs the mid-point activity (90 minutes, plus the weekly promotion for shops).
SEED_ROLES: tuple[SeedRole, ...] = (
    SeedRole("lead_teacher", 1, 16),  # 领教
    SeedRole("group_leader", 3, 2.5),  # 组长
    SeedRole("enabler", 1, 3),  # 赋能官
    SeedRole("praiser", 1, 6),  # 夸夸官
    SeedRole("assistant", 2, 5),  # 助教
    SeedRole("admin", 1, 13),  # 管理员
    SeedRole("kol", 1, 1),  # KOL
)
SEED_KEYS: tuple[str, ...] = tuple(s.key for s in SEED_ROLES)


def seed_name(key: str, lang: str) -> str:
    return i18n.t(f"roles.seed.{key}.name", lang)


def seed_role(key: str, lang: str) -> Role:
    """A new role (fresh id) from the seed `key`, in `lang`."""
    spec = next((s for s in SEED_ROLES if s.key == key), None)
    if spec is None:
        raise KeyError(key)
    return Role(
        name=seed_name(key, lang),
        behaviour=i18n.t(f"roles.seed.{key}.behaviour", lang),
        responsibility=i18n.t(f"roles.seed.{key}.responsibility", lang),
        headcount=spec.headcount,
        hours_per_week=spec.hours_per_week,
    )


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


def has_seed(roles: Sequence[Role], key: str) -> bool:
    """True when a role's name contains the seed's name in any language (so 小组长 counts as 组长,
    and zh and en plans both count)."""
    names = {_norm(seed_name(key, lang)) for lang in i18n.LANGS}
    return any(name in _norm(r.name) for r in roles for name in names)


def missing_seeds(roles: Sequence[Role]) -> list[str]:
    return [k for k in SEED_KEYS if not has_seed(roles, k)]


def with_seed_roles(roles: Sequence[Role], keys: Sequence[str], lang: str) -> list[Role]:
    """`roles` plus the seed roles `keys`, skipping any the plan already has (and repeats)."""
    out = [r.model_copy(deep=True) for r in roles]
    for key in dict.fromkeys(keys):
        if not has_seed(out, key):
            out.append(seed_role(key, lang))
    return out
