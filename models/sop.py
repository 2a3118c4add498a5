"""Group SOP rules: trigger + task + owner role + script (话术) + material.

A trigger is one flat model with a `kind` so that it edits well in a table; `check_fields`
insists that each kind carries the fields it needs.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from enum import StrEnum

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from models.base import Entity
from models.enums import Stage


class TriggerKind(StrEnum):
    GROUP_DAY = "group_day"  # day N after the group opens, at HH:MM
    MEMBER_DAY = "member_day"  # day N after a member joins, at HH:MM
    WEEKLY = "weekly"  # on given weekdays at HH:MM
    ABSOLUTE = "absolute"  # one date and time
    EVENT = "event"  # a standing rule fired by an event


class EventKind(StrEnum):
    MEMBER_JOINS = "member_joins"
    MEMBER_INACTIVE = "member_inactive"  # silent for `threshold` days
    GROUP_SIZE = "group_size"  # group reaches `threshold` members


class Trigger(Entity):
    kind: TriggerKind = TriggerKind.GROUP_DAY
    day: int | None = Field(default=0, ge=0, le=3650)
    at_time: time | None = time(9, 0)
    weekdays: list[int] = Field(default_factory=list)  # 0 = Monday … 6 = Sunday
    at: datetime | None = None
    event: EventKind | None = None
    threshold: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def check_fields(self) -> Trigger:
        if any(d < 0 or d > 6 for d in self.weekdays):
            raise PydanticCustomError("trigger_weekdays", "weekdays must be 0 (Monday) … 6 (Sunday)")
        if self.kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY) and self.day is None:
            raise PydanticCustomError("trigger_needs_day", "a day-N trigger needs a day")
        if self.kind == TriggerKind.WEEKLY and not self.weekdays:
            raise PydanticCustomError("trigger_needs_weekday", "a weekly trigger needs at least one weekday")
        if self.kind == TriggerKind.ABSOLUTE and self.at is None:
            raise PydanticCustomError("trigger_needs_datetime", "an absolute trigger needs a date and time")
        if self.kind == TriggerKind.EVENT and self.event is None:
            raise PydanticCustomError("trigger_needs_event", "an event trigger needs an event")
        if self.event in (EventKind.MEMBER_INACTIVE, EventKind.GROUP_SIZE) and not self.threshold:
            raise PydanticCustomError("trigger_needs_threshold", "this event needs a threshold")
        return self


class SopType(StrEnum):
    WELCOME = "welcome"
    ACTIVITY = "activity"
    CONVERSION = "conversion"
    NURTURE = "nurture"
    PERIODIC = "periodic"
    PROMOTION = "promotion"


class Audience(StrEnum):
    EVERYONE = "everyone"
    LAYER = "layer"  # audience_ref = a Layer value
    ROLE = "role"  # audience_ref = a role id
    NEW_MEMBERS = "new_members"


def new_id() -> str:
    return uuid.uuid4().hex[:8]


class SopRule(Entity):
    id: str = Field(default_factory=new_id)
    name: str = ""
    type: SopType = SopType.PERIODIC
    stage: Stage = Stage.ACTIVATION
    trigger: Trigger = Field(default_factory=Trigger)
    audience: Audience = Audience.EVERYONE
    audience_ref: str = ""
    task: str = ""
    owner_role: str = ""  # a Role.id of the plan; empty = no owner (the doctor flags it)
    channel: str = ""
    script: str = ""  # 话术 template with {placeholders}
    material: str = ""
    is_marketing: bool = False
    minutes: int = Field(default=10, ge=0, le=24 * 60)


class SopSettings(Entity):
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    max_marketing_share: float = Field(default=0.3, ge=0, le=1)
    max_days_without_value: int = Field(default=3, ge=1)


class SopSection(Entity):
    rules: list[SopRule] = Field(default_factory=list)
    settings: SopSettings = Field(default_factory=SopSettings)
