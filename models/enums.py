"""Vocabulary of the method. Values are stable English slugs; labels come from the locale catalogs
(`enum.<EnumName>.<value>`)."""

from __future__ import annotations

from enum import StrEnum


class CommunityType(StrEnum):
    CHECKIN_CAMP = "checkin_camp"  # learning / check-in camp (21-day early rise)
    SEED_USERS = "seed_users"  # seed-user group for an MVP
    ECOMMERCE = "ecommerce"  # e-commerce repurchase group
    PAID_MEMBERSHIP = "paid_membership"
    BRAND_FANS = "brand_fans"
    OTHER = "other"


class JoinMode(StrEnum):
    INVITATION = "invitation"  # 邀请制
    ADMISSION = "admission"  # 准入制
    PAID = "paid"  # 会员制 / paid membership


class Stage(StrEnum):
    ACQUISITION = "acquisition"  # 拉新
    ACTIVATION = "activation"  # 促活
    RETENTION = "retention"  # 留存
    CONVERSION = "conversion"  # 转化


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


LIFECYCLE_PRESETS: tuple[int, ...] = (21, 30, 70, 100, 365)
