"""Settings of self-governance, each with its default (override in the deployment's settings).

- ``HUYING_COMMUNITY_SATISFACTION_THRESHOLD`` (90): below this satisfaction, in per cent, a
  rectification opens by itself. No law sets 90%; 沂源 历山街道 uses it (a setting, not a rule).
- ``HUYING_COMMUNITY_RECTIFY_WORKDAYS`` (20): working days a rectification is given.
- ``HUYING_COMMUNITY_POSTING_DAYS`` (5): days a posting stays up (山东省村务公开条例 Art. 13).
- ``HUYING_COMMUNITY_OBJECTION_DAYS`` (5): days to object and days to answer (Art. 16).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def threshold() -> Decimal:
    return Decimal(str(getattr(settings, "HUYING_COMMUNITY_SATISFACTION_THRESHOLD", 90)))


def rectify_workdays() -> int:
    return int(getattr(settings, "HUYING_COMMUNITY_RECTIFY_WORKDAYS", 20))


def posting_days() -> int:
    return int(getattr(settings, "HUYING_COMMUNITY_POSTING_DAYS", 5))


def objection_days() -> int:
    return int(getattr(settings, "HUYING_COMMUNITY_OBJECTION_DAYS", 5))
