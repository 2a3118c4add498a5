"""The `Plan` aggregate: the single source of truth for one community's operations plan.

Every step of the method (../shared/METHOD.md) has a section here. Empty strings and empty lists
mean "not filled yet": a blank plan is valid, and the plan doctor says what is missing.
Bump `SCHEMA_VERSION` and add a step in `models/migrations.py` whenever a saved plan would no
longer validate.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from models.base import Entity
from models.enums import Ability, CommunityType, Currency, Feeling, JoinMode, Layer, Stage
from models.sop import SopSection

SCHEMA_VERSION = 4


def _plan_id() -> str:
    return uuid.uuid4().hex


# --- meta ------------------------------------------------------------------------------------
class PlanMeta(Entity):
    name: str = ""
    slogan: str = ""
    community_type: CommunityType = CommunityType.OTHER
    language: str = Field(default="zh", pattern=r"^(zh|en)$")
    owner_team: str = ""
    description: str = ""
    currency: Currency = Currency.CNY  # of every price and fee in the plan (since schema 4)
    created_on: date | None = None
    updated_at: datetime | None = None


# --- before you plan -------------------------------------------------------------------------
class Research(Entity):
    """Pre-plan research checklist: each item answerable in a sentence."""

    user_needs: str = ""
    past_data: str = ""
    core_goal_factors: str = ""
    selling_points: str = ""
    channels: str = ""
    user_scenarios: str = ""
    cost_and_acquisition: str = ""
    profit_model: str = ""


# --- step 1: four elements -------------------------------------------------------------------
class Interest(Entity):
    """同好: the shared interest and how it is expressed."""

    category: str = ""
    brand_name: str = ""
    slogan: str = ""
    visual_identity: str = ""
    signature_content: str = ""


class Structure(Entity):
    """社群结构: who joins, how, and under which rules."""

    join_mode: JoinMode = JoinMode.INVITATION
    fee: float | None = Field(default=None, ge=0)  # yuan, for paid membership
    target_members: str = ""
    admins: list[str] = Field(default_factory=list)
    kols: list[str] = Field(default_factory=list)
    group_rules: list[str] = Field(default_factory=list)
    interaction_mechanisms: list[str] = Field(default_factory=list)  # members with members, not only with staff
    # What a good member does each day / week (since schema 3); the SOP and the role models reinforce it.
    standard_behaviours: list[str] = Field(default_factory=list)


class ContentPillar(Entity):
    topic: str = ""
    form: str = ""
    cadence: str = ""


class Operations(Entity):
    """运营: actions for each of the four feelings, plus routine work."""

    feelings: dict[Feeling, list[str]] = Field(default_factory=lambda: {f: [] for f in Feeling})
    routines: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def every_feeling(self) -> Operations:
        # An imported plan may list only some feelings; each has its own field on the page.
        self.feelings = {f: self.feelings.get(f, []) for f in Feeling}
        return self


class FourElements(Entity):
    interest: Interest = Field(default_factory=Interest)
    structure: Structure = Field(default_factory=Structure)
    content: list[ContentPillar] = Field(default_factory=list)
    operations: Operations = Field(default_factory=Operations)


# --- step 2: 5W+1H ---------------------------------------------------------------------------
class Persona(Entity):
    age: str = ""
    gender: str = ""
    region: str = ""
    interests: str = ""
    pain_points: str = ""


class Positioning(Entity):
    why: str = ""
    what: str = ""
    where: str = ""
    who: str = ""
    persona: Persona = Field(default_factory=Persona)
    when: str = ""
    how: str = ""  # monetisation


# --- step 3: lifecycle, values, one goal -----------------------------------------------------
class Values(Entity):
    stand_for: list[str] = Field(default_factory=list)
    stand_against: list[str] = Field(default_factory=list)


class Goal(Entity):
    statement: str = ""
    metric: str = ""
    target: float | None = None
    unit: str = ""
    evaluation_rule: str = ""


class Partner(Entity):
    """A partner for joint activities: who, what they bring, what we bring."""

    name: str = ""
    they_bring: str = ""
    we_bring: str = ""


class RetentionDrivers(Entity):
    """What keeps members besides content (since schema 3)."""

    referral: str = ""  # members bringing members
    service: str = ""  # answering questions, following up
    partners: list[Partner] = Field(default_factory=list)


class StageSpan(Entity):
    stage: Stage
    start_day: int = Field(ge=0)
    end_day: int = Field(ge=0)
    focus: str = ""

    @model_validator(mode="after")
    def ordered(self) -> StageSpan:
        if self.end_day < self.start_day:
            raise PydanticCustomError("stage_order", "end_day must not be before start_day")
        return self


class ConversionTier(Entity):
    name: str = ""
    price: float = Field(default=0, ge=0)
    offer: str = ""


class Lifecycle(Entity):
    length_days: int | None = Field(default=None, ge=1, le=3650)
    start_date: date | None = None
    values: Values = Field(default_factory=Values)
    # A list so an imported plan with several goals stays loadable; the doctor insists on one.
    goals: list[Goal] = Field(default_factory=list)
    # The direction beyond this cycle (since schema 3); the goal above is the short-term, measured one.
    long_term_goal: str = ""
    stages: list[StageSpan] = Field(default_factory=list)
    acquisition_moves: list[str] = Field(default_factory=list)
    conversion_ladder: list[ConversionTier] = Field(default_factory=list)
    retention: RetentionDrivers = Field(default_factory=RetentionDrivers)


# --- step 4: roles and member layers ---------------------------------------------------------
class Role(Entity):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8], min_length=1)
    name: str = ""
    behaviour: str = ""  # the behaviour pattern that defines the role
    responsibility: str = ""
    headcount: int = Field(default=1, ge=0)
    hours_per_week: float = Field(default=0, ge=0, le=168)


class AdminTraining(Entity):
    """Finding and training admins from the members (since schema 3)."""

    who: str = ""  # which members are asked
    when: str = ""
    how: str = ""


class MemberLayer(Entity):
    """A layer and its thresholds over `MemberLayers.window_days`.

    A member is in the first layer (activist → watcher → lurker) whose thresholds they meet."""

    layer: Layer
    min_checkin_days: int = Field(default=0, ge=0)
    min_messages: int = Field(default=0, ge=0)
    treatment: str = ""


def _default_layers() -> list[MemberLayer]:
    return [
        MemberLayer(layer=Layer.ACTIVIST, min_checkin_days=5, min_messages=10),
        MemberLayer(layer=Layer.WATCHER, min_checkin_days=1, min_messages=0),
        MemberLayer(layer=Layer.LURKER, min_checkin_days=0, min_messages=0),
    ]


class MemberLayers(Entity):
    window_days: int = Field(default=7, ge=1, le=365)
    layers: list[MemberLayer] = Field(default_factory=_default_layers)


class Level(Entity):
    name: str = ""
    requirement: str = ""
    perk: str = ""


class Incentives(Entity):
    rewards: list[str] = Field(default_factory=list)
    penalties: list[str] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)


class Rituals(Entity):
    opening_ceremony: str = ""  # goals, team introduction, schedule, content
    self_intro_template: str = ""
    closing_ceremony: str = ""


class GroupSetup(Entity):
    """What is ready before the group opens (since schema 3)."""

    entry_announcement: str = ""  # 入群通告
    naming_rule: str = ""  # e.g. "city-name-occupation"
    who_may_invite: str = ""
    quiet_hours: str = ""
    pinned_notice: str = ""
    welcome_card: str = ""


# --- replication, law, KPIs, data ------------------------------------------------------------
class CultureMarkers(Entity):
    """Signs that a shared culture has formed; replicate only once they are there."""

    language: str = ""
    visuals: str = ""
    topics: str = ""
    timing: str = ""
    behaviours: str = ""


class Replication(Entity):
    planned: bool = False
    culture: CultureMarkers = Field(default_factory=CultureMarkers)
    rhythm: str = ""
    method: str = ""
    traps: list[str] = Field(default_factory=list)


class Compliance(Entity):
    privacy_note: str = ""
    moderation_policy: str = ""
    legal_notes: list[str] = Field(default_factory=list)


class Kpi(Entity):
    # An id (since schema 2) so that two sessions' edits of the KPI table merge by KPI, not by
    # position (planner/plan_core/merge.py); plans saved before get "kpi-1", "kpi-2"… on upgrade.
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8], min_length=1)
    metric: str = ""  # a key of planner.data.metrics (e.g. "active_members") or free text
    label: str = ""
    target: float | None = None
    unit: str = ""
    due_day: int | None = Field(default=None, ge=0)  # day of the lifecycle
    measures_goal: bool = False  # this KPI measures the one common goal (since schema 3)


class RevisionNote(Entity):
    """A change decided in a review: which KPI missed, what was changed where."""

    on: date | None = None
    kpi: str = ""
    cause: str = ""
    change: str = ""
    target: str = ""  # the plan path changed, e.g. "sop.rules" or "roles"


class Review(Entity):
    """The review loop (since schema 3): a cadence generated into the SOP, and the notes."""

    weekday: int | None = Field(default=None, ge=0, le=6)  # 0 = Monday; None = no weekly review
    at_time: time | None = None
    before_events: bool = False  # a coordination meeting the day before each big event
    notes: list[RevisionNote] = Field(default_factory=list)


class OperatorSelfCheck(Entity):
    """The operator's four abilities, 0 = not rated, 1 = weak, 2 = fair, 3 = strong (since schema 3)."""

    ratings: dict[Ability, int] = Field(default_factory=dict)
    cover_plan: str = ""  # who or what covers a weak ability

    @model_validator(mode="after")
    def in_range(self) -> OperatorSelfCheck:
        if any(not 0 <= v <= 3 for v in self.ratings.values()):
            raise PydanticCustomError("rating_range", "a rating is 0 … 3")
        return self


class DataSettings(Entity):
    checkin_keywords: list[str] = Field(default_factory=lambda: ["打卡", "签到", "check-in"])
    pseudonymise: bool = False


# --- the aggregate ---------------------------------------------------------------------------
class Plan(Entity):
    schema_version: int = SCHEMA_VERSION
    id: str = Field(default_factory=_plan_id, min_length=1)
    meta: PlanMeta = Field(default_factory=PlanMeta)
    research: Research = Field(default_factory=Research)
    operator: OperatorSelfCheck = Field(default_factory=OperatorSelfCheck)
    elements: FourElements = Field(default_factory=FourElements)
    positioning: Positioning = Field(default_factory=Positioning)
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    roles: list[Role] = Field(default_factory=list)
    member_layers: MemberLayers = Field(default_factory=MemberLayers)
    incentives: Incentives = Field(default_factory=Incentives)
    rituals: Rituals = Field(default_factory=Rituals)
    admin_training: AdminTraining = Field(default_factory=AdminTraining)
    setup: GroupSetup = Field(default_factory=GroupSetup)
    sop: SopSection = Field(default_factory=SopSection)
    replication: Replication = Field(default_factory=Replication)
    compliance: Compliance = Field(default_factory=Compliance)
    kpis: list[Kpi] = Field(default_factory=list)
    data: DataSettings = Field(default_factory=DataSettings)
    review: Review = Field(default_factory=Review)

    @model_validator(mode="after")
    def known_version(self) -> Plan:
        if self.schema_version != SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_mismatch", "schema_version {found} is not {expected}; upgrade first",
                {"found": self.schema_version, "expected": SCHEMA_VERSION},
            )
        return self

    def role_by_id(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)
