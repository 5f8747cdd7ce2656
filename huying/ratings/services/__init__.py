"""Writes of 好差评. Keyword-only, one transaction each, history in the same transaction, SMS on commit.

Pages, the API, the demo command and other loops (through ``rating_submit``) all call these. By
sub-capability: ``submit`` (rating an act), ``cases`` (the rectification of a 差评 and the overdue
sweep), ``complaints`` (申诉复核).
"""

from __future__ import annotations

from .base import MAX_NOTE, rectify_workdays, window_workdays
from .cases import NOTE_REQUIRED, case_transition, ratings_sweep_overdue
from .complaints import complaint_file, complaint_review
from .links import (
    RatingLink,
    link_max_age,
    rating_invite_send,
    rating_link_path,
    rating_link_read,
    rating_link_token,
    rating_submit_by_link,
)
from .personal_data import case_reveal_rater_phone
from .submit import (
    ALREADY_RATED,
    MAX_COMMENT,
    rated_act_resolve,
    rating_clean,
    rating_entry_mode,
    rating_submit,
    rating_window_closes_at,
    record_rating,
    refuse_own_act,
    staff_channels,
)

__all__ = [
    "ALREADY_RATED",
    "MAX_COMMENT",
    "MAX_NOTE",
    "NOTE_REQUIRED",
    "RatingLink",
    "case_reveal_rater_phone",
    "case_transition",
    "complaint_file",
    "complaint_review",
    "link_max_age",
    "rated_act_resolve",
    "rating_clean",
    "rating_entry_mode",
    "rating_invite_send",
    "rating_link_path",
    "rating_link_read",
    "rating_link_token",
    "rating_submit",
    "rating_submit_by_link",
    "rating_window_closes_at",
    "ratings_sweep_overdue",
    "record_rating",
    "rectify_workdays",
    "refuse_own_act",
    "staff_channels",
    "window_workdays",
]
