"""Writes for open days; each one transaction, status changes through the tables in ``states``."""

from __future__ import annotations

from .draw import draw_run, lottery_publish, replacement_pick, replacement_publish, seats_open
from .events import event_create, event_transition, programme_add, quotas_from_population, quotas_set
from .forum import forum_assign, forum_record
from .registration import phone_code_send, registration_act, registration_submit

__all__ = [
    "draw_run",
    "event_create",
    "event_transition",
    "forum_assign",
    "forum_record",
    "lottery_publish",
    "phone_code_send",
    "programme_add",
    "quotas_from_population",
    "quotas_set",
    "registration_act",
    "registration_submit",
    "replacement_pick",
    "replacement_publish",
    "seats_open",
]
