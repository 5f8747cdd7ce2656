"""Cheap text similarity for repeat detection: Jaccard over character bigrams."""

from __future__ import annotations

import re
import unicodedata

_JUNK = re.compile(r"[\s\u3000\xa0，。！？、；：,.!?;:\"'“”‘’（）()\[\]【】]+")


def normalize(text: str) -> str:
    return _JUNK.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def bigrams(text: str) -> set[str]:
    t = normalize(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def similarity(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)
