"""Writes of the service catalogue: the Excel import (and its export), and keeping the pinyin
search key of rows written without ``save()`` (bulk updates) in step."""

from __future__ import annotations

from django.db import transaction

from .models import Bundle, ServiceItem
from .pinyin import initials


@transaction.atomic
def catalogue_reindex_pinyin() -> int:
    """Recompute every item's and bundle's 拼音首字母 (``save()`` does it for one row; a bulk
    update or a pypinyin upgrade needs this). Returns the number of rows changed."""
    changed = 0
    for model, length in ((ServiceItem, 200), (Bundle, 100)):
        for pk, name, current in model.objects.values_list("pk", "name", "pinyin_initials"):
            value = initials(name, max_length=length)
            if value != current:
                model.objects.filter(pk=pk).update(pinyin_initials=value)
                changed += 1
    return changed
