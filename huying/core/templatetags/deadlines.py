"""``{% deadline_chip due state %}``: the deadline chip every page shows (templates/_deadline.html)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from huying.core import deadlines

register = template.Library()


@register.inclusion_tag("_deadline.html")
def deadline_chip(
    due: dt.datetime | None,
    state: str,
    *,
    prefix: Any = "",
    label_visible: bool = False,
    paused_label: Any = None,
) -> dict[str, Any]:
    """The due date coloured by ``state`` (``deadline deadline-<state>``), its label as the title
    (and shown after the date when ``label_visible``, else for screen readers only); "—" without a
    due date. ``prefix`` goes before the date; ``paused_label`` words a paused clock for this loop."""
    text = paused_label if state == deadlines.PAUSED and paused_label else deadlines.label(state)
    return {
        "due": due,
        "state": state,
        "label": str(text),
        # The brackets belong to the language: （已超期） in Chinese, (overdue) in English.
        "bracketed": _("（%(label)s）") % {"label": text},
        "prefix": prefix,
        "label_visible": label_visible,
    }
