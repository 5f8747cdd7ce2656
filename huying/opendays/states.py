"""The states of an open day and of a registrant's invitation (pure data: no models, no services).

An open day is drafted, announced (registration opens), closed for registration, its lottery
published (the panels and their digest, before the seed), drawn from the seed read out in public,
held, and closed once its forum's follow-ups are done. A registrant is drawn (invited), confirms
or declines; a decline opens a seat for a replacement drawn the same way.
"""

from __future__ import annotations

from huying.core.statemachine import Transition, TransitionTable

# Event.Status
DRAFT, OPEN, REVIEW, LOTTERY, DRAWN, HELD, CLOSED = "draft", "open", "review", "lottery", "drawn", "held", "closed"
# Registration.Status
REGISTERED, EXCLUDED, INVITED, CONFIRMED, DECLINED = "registered", "excluded", "invited", "confirmed", "declined"

# Roles in these tables come from the actor's relation to the record, not from account roles alone.
ORGANISER = "organiser"  # an open-day organiser of the event's unit (or above it)
REGISTRANT = "registrant"  # the person who registered

EVENT_TRANSITIONS = TransitionTable(
    [
        Transition(DRAFT, "announce", OPEN, frozenset({ORGANISER})),
        Transition(OPEN, "close_registration", REVIEW, frozenset({ORGANISER})),
        Transition(REVIEW, "publish_lottery", LOTTERY, frozenset({ORGANISER})),
        Transition(LOTTERY, "draw", DRAWN, frozenset({ORGANISER})),
        Transition(DRAWN, "hold", HELD, frozenset({ORGANISER})),
        Transition(HELD, "close", CLOSED, frozenset({ORGANISER})),
    ]
)

REGISTRATION_TRANSITIONS = TransitionTable(
    [
        Transition(REGISTERED, "exclude", EXCLUDED, frozenset({ORGANISER}), needs_note=True),
        Transition(REGISTERED, "invite", INVITED, frozenset({ORGANISER})),
        Transition(INVITED, "confirm", CONFIRMED, frozenset({REGISTRANT, ORGANISER})),
        Transition(INVITED, "decline", DECLINED, frozenset({REGISTRANT, ORGANISER})),
        Transition(CONFIRMED, "decline", DECLINED, frozenset({REGISTRANT, ORGANISER})),
    ]
)
