"""Pages of the appeal loop: citizen intake and tracking (citizen), the hotline workbench, the unit
inbox and the supervisor board (workbench), the order detail with its actions (order).

Views parse a form, call a service or a selector and render; they never save a model. A
HuyingError from a service is shown on the page with the service's message and the HTTP status
the error names (400/403/404/409); one that escapes is rendered by core's ProblemMiddleware.
"""

from .citizen import attachment, mine, public_detail, public_follow_up, submit, submitted, track
from .order import act, detail, reveal
from .workbench import board, inbox, suggest_category, suggest_unit, workbench

__all__ = [
    "act",
    "attachment",
    "board",
    "detail",
    "inbox",
    "mine",
    "public_detail",
    "public_follow_up",
    "reveal",
    "submit",
    "submitted",
    "suggest_category",
    "suggest_unit",
    "track",
    "workbench",
]
