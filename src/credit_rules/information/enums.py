"""The enumerations of the information family that fact declarations need (facts/specs/information.py).

Kept apart from :mod:`credit_rules.information.model` so that loading a rule set, which reads every family's
fact declarations, does not build the information models.  ``model`` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Use(StrEnum):
    """What is done with the information; the questions of A1–A3 and F1, and the scope of a consent."""

    record = "record"  # 纳入公共信用信息 (A1)
    share = "share"  # 共享 (A2)
    publish = "publish"  # 公开 (A3, A4)
    query = "query"  # 查询 (F1)


class Channel(StrEnum):
    """Where information is published (49号(五), 梧州(六))."""

    department_site = "department_site"  # 本部门门户网站
    government_portal = "government_portal"  # 本级政府门户网站
    credit_china = "credit_china"  # “信用中国”网站（含地方站）
    enterprise_publicity_system = "enterprise_publicity_system"  # 国家企业信用信息公示系统


class PublicationTier(StrEnum):
    """Tiers of dishonesty information and their publication periods (国办发〔2025〕22号 二: 轻微、一般、严重)."""

    minor = "minor"  # 轻微
    general = "general"  # 一般
    serious = "serious"  # 严重


__all__ = ["Channel", "PublicationTier", "Use"]
