"""Vocabulary of the method. Values are stable English slugs; labels come from the locale catalogs
(`enum.<EnumName>.<value>`)."""

from __future__ import annotations

from enum import StrEnum


class CommunityType(StrEnum):
    CHECKIN_CAMP = "checkin_camp"  # learning / check-in camp (21-day early rise)
    SEED_USERS = "seed_users"  # one link of a business: seed users for an MVP, done once users are steady
    ECOMMERCE = "ecommerce"  # a business of its own: buyers moved into groups for repurchase
    DEALS = "deals"  # deals / benefits group (羊毛福利): members come for offers, rarely talk to each other
    PAID_MEMBERSHIP = "paid_membership"
    BRAND_FANS = "brand_fans"
    OTHER = "other"


class JoinMode(StrEnum):
    INVITATION = "invitation"  # 邀请制
    ADMISSION = "admission"  # 准入制
    PAID = "paid"  # 会员制 / paid membership


class Currency(StrEnum):
    """The currency a plan's prices and fees are in (ISO 4217). Labels and amounts: planner/fmt.py."""

    CNY = "CNY"
    GBP = "GBP"
    USD = "USD"
    EUR = "EUR"


class Stage(StrEnum):
    ACQUISITION = "acquisition"  # 拉新
    ACTIVATION = "activation"  # 促活
    RETENTION = "retention"  # 留存
    CONVERSION = "conversion"  # 转化
    LONG_TERM = "long_term"  # 长期发展: what the community becomes after the first conversion


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class Layer(StrEnum):
    ACTIVIST = "activist"  # 积极分子: checks in and speaks
    WATCHER = "watcher"  # 观望者: checks in, rarely speaks
    LURKER = "lurker"  # 潜水者: signed up, does not check in


class Feeling(StrEnum):
    RITUAL = "ritual"  # 仪式感
    PARTICIPATION = "participation"  # 参与感
    ORGANISATION = "organisation"  # 组织感
    BELONGING = "belonging"  # 归属感


class Ability(StrEnum):
    """The four abilities an operator needs (the research step's self-check)."""

    CONTENT = "content"  # 内容输出
    EVENTS = "events"  # 活动策划
    DATA = "data"  # 数据分析
    PLANNING = "planning"  # 运营规划


class SetupItem(StrEnum):
    """What must be ready before the group opens; each is a field of `GroupSetup`."""

    ENTRY_ANNOUNCEMENT = "entry_announcement"  # 入群通告
    NAMING_RULE = "naming_rule"
    WHO_MAY_INVITE = "who_may_invite"
    QUIET_HOURS = "quiet_hours"
    PINNED_NOTICE = "pinned_notice"
    WELCOME_CARD = "welcome_card"


LIFECYCLE_PRESETS: tuple[int, ...] = (21, 30, 70, 100, 365)
