"""The life of one licence version, as data.

valid ──revoke──▶ revoked          (吊销/注销: its codes stop verifying at once)
valid ──expire──▶ expired          (the sweep, past 有效期截止日期)
valid/expired ──supersede──▶ superseded   (换发: a new version of the same type + holder + number)
expired ──revoke──▶ revoked
A revoked or superseded version is final.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.core.statemachine import Transition, TransitionTable


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已吊销")
    EXPIRED = "expired", _("已过期")
    SUPERSEDED = "superseded", _("已换发")


class Action(models.TextChoices):
    REVOKE = "revoke", _("吊销")
    EXPIRE = "expire", _("到期")
    SUPERSEDE = "supersede", _("换发")


ISSUER = "issuer"  # the issuing authority (or the system acting for it)
_ISSUER = frozenset({ISSUER})

TRANSITIONS = TransitionTable(
    [
        Transition(LicenceStatus.VALID, Action.REVOKE, LicenceStatus.REVOKED, _ISSUER, needs_note=True),
        Transition(LicenceStatus.EXPIRED, Action.REVOKE, LicenceStatus.REVOKED, _ISSUER, needs_note=True),
        Transition(LicenceStatus.VALID, Action.EXPIRE, LicenceStatus.EXPIRED, _ISSUER),
        Transition(LicenceStatus.VALID, Action.SUPERSEDE, LicenceStatus.SUPERSEDED, _ISSUER),
        Transition(LicenceStatus.EXPIRED, Action.SUPERSEDE, LicenceStatus.SUPERSEDED, _ISSUER),
    ]
)
