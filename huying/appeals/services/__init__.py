"""Writes for appeals. Keyword-only, one transaction each, history and counters in the same
transaction, notifications on commit. Pages, the API, the admin and tasks all call these.

By sub-capability: ``intake`` (new appeals, repeats, classification), ``transitions`` (the one way
a status changes) with ``plan`` (what each action changes), ``sweep`` (overdue orders),
``attachments``, ``personal_data`` (citizen tracking codes, revealing a requester's data).
"""

from __future__ import annotations

from huying.core.notify import send_sms

from .attachments import appeal_attachment_add
from .idempotency import IdempotencyConflict, appeal_submit_once, idempotency_key_clean
from .intake import (
    REPEAT_SIMILARITY,
    IntakeResult,
    appeal_find_repeat,
    appeal_record_call,
    appeal_set_category,
    appeal_submit,
    default_title,
)
from .personal_data import appeal_reveal_personal_data, tracking_code_send, tracking_code_verify
from .plan import MAX_EXTENSION_DAYS, TransitionPlan, plan_transition
from .sweep import appeals_sweep_overdue, overdue_escalation
from .transitions import appeal_assist_report, appeal_transition

__all__ = [
    "MAX_EXTENSION_DAYS",
    "REPEAT_SIMILARITY",
    "IdempotencyConflict",
    "IntakeResult",
    "TransitionPlan",
    "appeal_assist_report",
    "appeal_attachment_add",
    "appeal_find_repeat",
    "appeal_record_call",
    "appeal_reveal_personal_data",
    "appeal_set_category",
    "appeal_submit",
    "appeal_submit_once",
    "appeal_transition",
    "appeals_sweep_overdue",
    "default_title",
    "idempotency_key_clean",
    "overdue_escalation",
    "plan_transition",
    "send_sms",
    "tracking_code_send",
    "tracking_code_verify",
]
