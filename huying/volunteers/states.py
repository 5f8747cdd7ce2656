"""The demand menu's loop and a sign-up's, as tables (pure data).

Need: 发布 → 认领 → 服务中 → 服务对象评价 → 完成; an unclaimed need is escalated to its station after a
configurable time and stays claimable. Sign-up: enrolled (or waiting) → signed in → signed out →
hours confirmed by the organiser (谁组织谁记录); any later change of hours needs a reason.
"""

from __future__ import annotations

from huying.core.statemachine import Transition, TransitionTable

PUBLISHED, ESCALATED, CLAIMED, SERVING, TO_RATE, DONE, WITHDRAWN = (
    "published", "escalated", "claimed", "serving", "to_rate", "done", "withdrawn",
)  # fmt: skip
# Roles derived from the actor's relation to the record.
VOLUNTEER = "volunteer"  # a registered volunteer; on a claimed need, the one who claimed it
REQUESTER = "requester"  # the person the need is for (or the staff who posted it for them)
ORGANISER = "organiser"  # volunteer_org staff of the station's unit or above
SYSTEM = "system"  # the sweep

NEED_TRANSITIONS = TransitionTable(
    [
        Transition(PUBLISHED, "claim", CLAIMED, frozenset({VOLUNTEER})),
        Transition(ESCALATED, "claim", CLAIMED, frozenset({VOLUNTEER})),
        Transition(PUBLISHED, "escalate", ESCALATED, frozenset({SYSTEM})),
        Transition(PUBLISHED, "withdraw", WITHDRAWN, frozenset({REQUESTER, ORGANISER}), needs_note=True),
        Transition(ESCALATED, "withdraw", WITHDRAWN, frozenset({REQUESTER, ORGANISER}), needs_note=True),
        Transition(CLAIMED, "release", PUBLISHED, frozenset({VOLUNTEER, ORGANISER}), needs_note=True),
        Transition(CLAIMED, "start", SERVING, frozenset({VOLUNTEER})),
        Transition(SERVING, "finish", TO_RATE, frozenset({VOLUNTEER})),
        Transition(TO_RATE, "rate", DONE, frozenset({REQUESTER})),
    ]
)

ENROLLED, WAITING, CANCELLED, PRESENT, ATTENDED, CONFIRMED = (
    "enrolled", "waiting", "cancelled", "present", "attended", "confirmed",
)  # fmt: skip

SIGNUP_TRANSITIONS = TransitionTable(
    [
        Transition(ENROLLED, "sign_in", PRESENT, frozenset({VOLUNTEER})),
        Transition(PRESENT, "sign_out", ATTENDED, frozenset({VOLUNTEER})),
        Transition(ENROLLED, "cancel", CANCELLED, frozenset({VOLUNTEER})),
        Transition(WAITING, "cancel", CANCELLED, frozenset({VOLUNTEER})),
        Transition(WAITING, "promote", ENROLLED, frozenset({SYSTEM})),
        Transition(ATTENDED, "confirm", CONFIRMED, frozenset({ORGANISER})),
        Transition(ATTENDED, "amend", CONFIRMED, frozenset({ORGANISER}), needs_note=True),
        Transition(CONFIRMED, "amend", CONFIRMED, frozenset({ORGANISER}), needs_note=True),
    ]
)
