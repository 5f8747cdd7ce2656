"""``{% punct "：" %}``: a full-width mark that sits between translated pieces of a page, written in the
reader's language: "：" in Chinese, ": " in English (and "（…）" as " (…)", "、" as ", ").

A mark inside a translated sentence belongs to its msgid; this tag is for the marks that join a
translated label to a value the page fills in ("{% translate "状态" %}{% punct "：" %}{{ status }}").
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()

WESTERN = {"：": ": ", "；": "; ", "，": ", ", "。": ". ", "（": " (", "）": ")", "、": ", ", "！": "! ", "？": "? "}


def punctuation(mark: str, language: str | None = None) -> str:
    """``mark`` as the language writes it (Chinese keeps the full-width mark)."""
    language = language or get_language() or ""
    if language.lower().startswith("zh"):
        return mark
    return WESTERN.get(mark, mark)


@register.simple_tag
def punct(mark: str) -> str:
    return punctuation(mark)
