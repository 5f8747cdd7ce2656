"""State tables of the deputies' loops (pure data). Roles are the actor's relation to the record:
legislative staff, the contact point's informant, the proposer, the lead unit, the mediator."""

from __future__ import annotations

from huying.core.statemachine import Transition, TransitionTable

STAFF = "legislative_staff"  # 人大常委会工作人员: the assigning body, the drafting office's liaison
INFORMANT = "contact_point"  # 信息员 of a contact point the draft is opened at
PROPOSER = "proposer"  # the deputy or member who made the suggestion
LEAD_UNIT = "lead_unit"  # staff of the suggestion's current lead unit
MEDIATOR = "mediator"  # a mediator of the case

# Opinions on a draft: 收集 → 整理 (or merged into another, its original kept) → 报送 → 反馈.
COLLECTED, ORGANISED, MERGED, SUBMITTED, ANSWERED = "collected", "organised", "merged", "submitted", "answered"
OPINION_TRANSITIONS = TransitionTable(
    [
        Transition(COLLECTED, "organise", ORGANISED, frozenset({STAFF, INFORMANT})),
        Transition(COLLECTED, "merge", MERGED, frozenset({STAFF, INFORMANT})),
        Transition(ORGANISED, "merge", MERGED, frozenset({STAFF, INFORMANT})),
        Transition(ORGANISED, "submit", SUBMITTED, frozenset({STAFF})),
        Transition(SUBMITTED, "answer", ANSWERED, frozenset({STAFF}), needs_note=True),
    ]
)
OPINION_STATUSES = (COLLECTED, ORGANISED, MERGED, SUBMITTED, ANSWERED)

# Suggestions: 提交 → 交办 (3-month clock) → 签收 → 答复 → 反馈 → 办结 (or 不满意 → 重办 → 答复 again).
SUBMITTED_S, ASSIGNED, OBJECTED, HANDLING, REPLIED, REHANDLING, FOLLOWING, CLOSED, REJECTED = (
    "submitted",
    "assigned",
    "objected",
    "handling",
    "replied",
    "rehandling",
    "following",
    "closed",
    "rejected",
)
SUGGESTION_STATUSES = (SUBMITTED_S, ASSIGNED, OBJECTED, HANDLING, REPLIED, REHANDLING, FOLLOWING, CLOSED, REJECTED)
SUGGESTION_TRANSITIONS = TransitionTable(
    [
        Transition(SUBMITTED_S, "assign", ASSIGNED, frozenset({STAFF})),
        Transition(SUBMITTED_S, "reject", REJECTED, frozenset({STAFF}), needs_note=True),
        Transition(ASSIGNED, "accept", HANDLING, frozenset({LEAD_UNIT})),
        Transition(ASSIGNED, "object", OBJECTED, frozenset({LEAD_UNIT}), needs_note=True),
        Transition(OBJECTED, "reassign", ASSIGNED, frozenset({STAFF}), needs_note=True),
        Transition(OBJECTED, "keep", ASSIGNED, frozenset({STAFF}), needs_note=True),
        Transition(HANDLING, "extend", HANDLING, frozenset({STAFF}), needs_note=True),
        Transition(HANDLING, "reply", REPLIED, frozenset({LEAD_UNIT}), needs_note=True),
        Transition(REPLIED, "feedback", CLOSED, frozenset({PROPOSER})),
        Transition(REPLIED, "dissatisfied", REHANDLING, frozenset({PROPOSER}), needs_note=True),
        Transition(REPLIED, "follow", FOLLOWING, frozenset({PROPOSER})),
        Transition(REHANDLING, "reply", REPLIED, frozenset({LEAD_UNIT}), needs_note=True),
        Transition(FOLLOWING, "delivered", CLOSED, frozenset({LEAD_UNIT}), needs_note=True),
    ]
)
OPEN_SUGGESTION = (ASSIGNED, OBJECTED, HANDLING, REHANDLING)

# Mediation (人民调解法 Arts. 17, 28–33).
REGISTERED, REFUSED, MEDIATING, AGREED, EFFECTIVE, ENDED, PERFORMED = (
    "registered",
    "refused",
    "mediating",
    "agreed",
    "effective",
    "ended",
    "performed",
)
MEDIATION_STATUSES = (REGISTERED, REFUSED, MEDIATING, AGREED, EFFECTIVE, ENDED, PERFORMED)
MEDIATION_TRANSITIONS = TransitionTable(
    [
        Transition(REGISTERED, "start", MEDIATING, frozenset({MEDIATOR})),
        Transition(REGISTERED, "refuse", REFUSED, frozenset({MEDIATOR}), needs_note=True),
        Transition(MEDIATING, "agree", AGREED, frozenset({MEDIATOR})),
        Transition(MEDIATING, "end", ENDED, frozenset({MEDIATOR}), needs_note=True),
        Transition(AGREED, "seal", EFFECTIVE, frozenset({MEDIATOR})),
        Transition(EFFECTIVE, "performed", PERFORMED, frozenset({MEDIATOR}), needs_note=True),
    ]
)

# Filing review (立法法 Arts. 109–113; 山东省规范性文件备案审查规定 Arts. 7, 17, 19, 22).
FILED, IN_REVIEW, NO_PROBLEM, TO_CORRECT, CORRECTED, DONE = (
    "filed",
    "in_review",
    "no_problem",
    "to_correct",
    "corrected",
    "done",
)
FILING_STATUSES = (FILED, IN_REVIEW, NO_PROBLEM, TO_CORRECT, CORRECTED, DONE)
FILING_TRANSITIONS = TransitionTable(
    [
        Transition(FILED, "review", IN_REVIEW, frozenset({STAFF})),
        Transition(IN_REVIEW, "no_problem", NO_PROBLEM, frozenset({STAFF}), needs_note=True),
        Transition(IN_REVIEW, "correct", TO_CORRECT, frozenset({STAFF}), needs_note=True),
        Transition(IN_REVIEW, "repeal", TO_CORRECT, frozenset({STAFF}), needs_note=True),
        Transition(TO_CORRECT, "amended", CORRECTED, frozenset({STAFF}), needs_note=True),
        Transition(NO_PROBLEM, "close", DONE, frozenset({STAFF})),
        Transition(CORRECTED, "close", DONE, frozenset({STAFF})),
    ]
)
