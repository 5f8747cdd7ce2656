"""Why a suggestion went to a person whatever its score: the classifier's out-of-distribution reasons,
worded for the operator (codes from :mod:`huying.dispatch.ood`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import ood


class Unreliable(models.TextChoices):
    """The message is unlike what the model was trained on: low confidence, never auto-dispatched."""

    NOT_CHINESE = ood.NOT_CHINESE, _("非中文内容")
    TOO_SHORT = ood.TOO_SHORT, _("内容过短")
    UNKNOWN_TERMS = ood.UNKNOWN_TERMS, _("用语与历史工单差异大")
    UNLIKE_HISTORY = ood.UNLIKE_HISTORY, _("与历史工单差异大")


def label(code: str | None) -> str:
    """The operator's wording of a reason code ('' for none or an unknown code)."""
    if not code or code not in Unreliable.values:
        return ""
    return str(Unreliable(code).label)
