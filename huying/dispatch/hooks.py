"""What the appeal loop calls through ``core.registry.appeal_hooks``: plain data in, plain data out."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.organisations.models import Division

from . import selectors, services


def suggest(text: str, division: Division | None = None, title: str | None = None) -> dict[str, Any]:
    return services.suggest(text, division, title).as_dict()


def prepare(text: str, division: Division | None = None, title: str | None = None) -> services.Prepared:
    return services.prepare(text, division, title)


def submitted(appeal: Appeal, *, auto_dispatch: bool, prepared: Any = None) -> bool:
    return services.on_appeal_submitted(appeal, auto_dispatch=auto_dispatch, prepared=prepared)


def dispatched(appeal: Appeal, user: Any) -> None:
    services.suggestion_record_choice(appeal=appeal, actor_user=user)


def check_reply(appeal: Appeal, reply: str) -> list[dict[str, Any]]:
    return services.reply_warnings(appeal, reply)


def similar(actor: Actor, appeal: Appeal) -> list[dict[str, Any]]:
    return [
        {
            "pk": s.appeal.pk,
            "number": s.appeal.number,
            "title": s.appeal.title,
            "status": s.appeal.get_status_display(),
            "unit": s.appeal.lead_unit.label if s.appeal.lead_unit else "",
            "similarity": s.similarity,
            "same_requester": s.same_requester,
            "same_place": s.same_place,
            "same_street": s.same_street,
        }
        for s in services.similar_open_appeals(actor, appeal)
    ]


def board_sections(actor: Actor) -> list[dict[str, Any]]:
    """The supervisor board's 重点问题 section: open key problems and how far their appeals are."""
    if not actor.has_role(Role.SUPERVISOR):
        return []
    rows = selectors.key_problem_rows(actor, open_only=True)
    return [
        {
            "key": "key_problems",
            "title": _("重点问题清单（办理中）"),
            "count": len(rows),
            "more_url": reverse("dispatch:key_problems"),
            "items": [
                {
                    "url": reverse("dispatch:key_problem", args=[row["pk"]]),
                    "label": row["title"],
                    "cells": [row["lead_unit"], _("%(closed)d/%(total)d 件已办结") % row, row["created_at"]],
                }
                for row in rows[:20]
            ],
        }
    ]
