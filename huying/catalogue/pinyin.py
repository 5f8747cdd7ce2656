"""拼音首字母 of catalogue names, so "spjy" finds 食品经营许可 and "kbqy" finds 开办企业.

Plain Python (no Django). The stored value is space-separated variants, the phrase-aware reading
first: pypinyin reads 长山镇 as "zsz" while people type "csz", so every reading of a heteronym
(长 c/z, 行 x/h, 重 z/c) is kept. A query without spaces matches when it is a substring of the
stored value, which is then a substring of one variant.
"""

from __future__ import annotations

import itertools
import re

from pypinyin import Style, lazy_pinyin, pinyin

# Past this many combinations of heteronym readings only the variants that change one
# character are kept (a long name with many heteronyms would otherwise explode).
MAX_PRODUCT = 16
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII = re.compile(r"[0-9A-Za-z]")


def _alternatives(text: str) -> list[list[str]]:
    """One list of possible initials per kept character, the phrase-aware reading first."""
    han_chars = [ch for ch in text if _HAN.match(ch)]
    main = [s.lower()[:1] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")]
    aligned = len(main) == len(han_chars)
    slots: list[list[str]] = []
    han_index = 0
    for ch in text:
        if _HAN.match(ch):
            options: list[str] = []
            if aligned and main[han_index]:
                options.append(main[han_index])
            han_index += 1
            for reading in pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore"):
                for letter in reading:
                    letter = letter.lower()[:1]
                    if letter and letter.isascii() and letter.isalpha() and letter not in options:
                        options.append(letter)
            if options:
                slots.append(options)
        elif _ASCII.match(ch):
            slots.append([ch.lower()])
    return slots


def initials_variants(text: str) -> list[str]:
    """The initials of ``text``: the main reading first, then the heteronym alternatives."""
    slots = _alternatives(text or "")
    if not slots:
        return []
    main = "".join(options[0] for options in slots)
    variants = [main]
    count = 1
    for options in slots:
        count *= len(options)
    if count <= MAX_PRODUCT:
        for combo in itertools.product(*slots):
            candidate = "".join(combo)
            if candidate not in variants:
                variants.append(candidate)
    else:
        for index, options in enumerate(slots):
            for letter in options[1:]:
                candidate = main[:index] + letter + main[index + 1 :]
                if candidate not in variants:
                    variants.append(candidate)
    return variants


def initials(text: str, max_length: int = 200) -> str:
    """The stored form: variants separated by spaces, whole variants only, within ``max_length``."""
    out = ""
    for variant in initials_variants(text):
        candidate = f"{out} {variant}" if out else variant
        if len(candidate) > max_length:
            if not out:
                return variant[:max_length]
            break
        out = candidate
    return out


def looks_like_initials(query: str) -> bool:
    """A query of ASCII letters (and digits) only may be pinyin initials."""
    return bool(query) and query.isascii() and query.replace(" ", "").isalnum()
