"""Notes the system writes on an appeal's history, and the reply check's warnings, kept as a code with
its figures so that each reader's page words them in the reader's language.

The event keeps the Chinese text too (``note``, the warning's ``message``): the record reads the same
in an export or an old client, and an event written before the codes existed still shows its text.
Smart dispatch writes through this module as well (the appeal history's vocabulary lives here).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

SYSTEM_NOTES: dict[str, Any] = {
    "repeat_merged": _("同一诉求人就同一事项再次反映，已并入工单 %(number)s。"),
    "repeat_linked": _("诉求人再次反映同一事项（工单 %(number)s），已并单。"),
    "overdue_supervised": _("工单已超期，系统自动%(level)s级督办。"),
    "auto_categorised": _("智能派单自动分类"),
    "auto_dispatched": _("智能派单：置信度 %(confidence)d%%，按派单目录派至%(unit)s。"),
}

# The reply check's warnings (huying.dispatch.replycheck), by code, with the figures it measured.
REPLY_WARNINGS: dict[str, Any] = {
    "too_short": _("答复过短，未说明办理结果（仅%(chars)s字）"),
    "transfer_only": _("答复仅说明已转交办理，未说明办理结果（转办：%(phrases)s）"),
    "boilerplate": _("答复为套话，未说明具体措施（套话：%(phrases)s；有效内容仅%(chars)s字）"),
    "off_topic": _("答复与诉求内容关联度低（关联度%(score)s，共同关键词：%(keywords)s）"),
    "no_action": _("答复未说明核查经过、处理措施或政策依据（未见“经查”“已”“依据”“规定”等词）"),
    "duplicate": _("答复与另一工单答复几乎相同（相似度%(similarity)s）"),
    "same_as_rejected": _(
        "答复与退回重办前的答复几乎相同（相似度%(similarity)s），请说明重办采取了哪些新措施、结果如何"
    ),
}
_PERCENT = frozenset({"similarity"})


def system_note(code: str, **params: Any) -> tuple[str, dict[str, Any]]:
    """The note as the record keeps it (Chinese) and the event data that lets a page word it anew."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(SYSTEM_NOTES[code]) % params
    return text, {"note_code": code, "note_params": params}


def note_text(note: str, data: dict[str, Any] | None) -> str:
    """An event's note in the reader's language when the system wrote it, else as it was written."""
    data = data or {}
    template = SYSTEM_NOTES.get(str(data.get("note_code") or ""))
    if template is None:
        return note
    try:
        return str(template) % dict(data.get("note_params") or {})
    except (KeyError, TypeError, ValueError):
        return note


def _shown(name: str, value: Any) -> Any:
    if name in _PERCENT and isinstance(value, int | float):
        return f"{value:.0%}"
    if name == "keywords" and not value:
        return "—"
    return value


def reply_warning_text(warning: dict[str, Any]) -> str:
    """A stored reply warning (``code``, ``params``, ``message``) in the reader's language."""
    template = REPLY_WARNINGS.get(str(warning.get("code") or ""))
    params = warning.get("params")
    if template is None or not isinstance(params, dict):
        return str(warning.get("message", ""))
    try:
        return str(template) % {k: _shown(k, v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(warning.get("message", ""))
