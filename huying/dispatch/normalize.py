"""One text normaliser for everything that compares, searches or classifies citizens' messages.

`normalize_text` is deliberately the only entry point: the classifier, duplicate detection and
search must all see the same string for the same message, otherwise a model trained on one form
is queried with another.

Steps, in order:

1. full-width ASCII (letters, digits, punctuation, U+3000) → half-width, zero-width characters
   dropped, ASCII letters lowercased; Chinese punctuation outside the full-width block (。、“”《》…)
   is left alone;
2. converter artefacts removed: a character followed by its pinyin in brackets (``發(fā)`` → ``發``,
   ``創（chuàng）`` → ``創``); the bracket must hold one well-formed pinyin syllable *with a tone*
   (a tone mark or a tone digit), so ``楼(D1)``, ``气(LPG)``, ``(an)`` or ``(a)`` stay;
3. traditional → simplified characters (OpenCC ``t2s``);
4. every run of whitespace (``\\n\\t``, U+3000, NBSP …) → one space, ends stripped.

Masked phone and ID numbers (``138****5678``, ``370***********1234``) pass through unchanged.
The function is idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["normalize_text"]

# Step 1 table: U+FF01..U+FF5E → U+0021..U+007E, ideographic space → space, zero-width → nothing,
# A-Z (and Ａ-Ｚ) → a-z.
_WIDTH: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDTH.update(dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)))
_WIDTH.update({cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})
_WIDTH.update({cp: cp - 0xFEE0 + 32 for cp in range(0xFF21, 0xFF3B)})

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PLAIN = "aaaaeeeeiiiioooouuuuüüüü"
_UNTONE = str.maketrans(_TONED, _PLAIN)

# A candidate: a non-space character, "(", 1-6 lowercase letters (tone marks allowed), an optional tone digit, ")".
_CANDIDATE = re.compile(r"(\S)\(([a-z" + _TONED + r"ü]{1,6})([1-5]?)\)")
# Well-formed syllable once tone marks are stripped: optional initial + one of the standard finals.
_FINALS = (  # noqa: SIM905 (one line of finals reads better than fifty)
    "a o e ê ai ei ao ou an en ang eng ong er i ia ie iao iu ian in iang ing iong io "
    "u ua uo uai ui uan un uang ueng ü üe üan ün ue v ve van vn"
).split()
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:" + "|".join(sorted(_FINALS, key=len, reverse=True)) + ")"
)
_SPACES = re.compile(r"\s+")  # str patterns: Unicode whitespace, NBSP and U+3000 included


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _is_pinyin(letters: str, digit: str) -> bool:
    plain = letters.translate(_UNTONE)
    # Converters always write the tone; an untoned "(an)" is as likely an abbreviation or a list marker.
    return (plain != letters or bool(digit)) and _SYLLABLE.fullmatch(plain) is not None


def _drop_pinyin(match: re.Match[str]) -> str:
    return match.group(1) if _is_pinyin(match.group(2), match.group(3)) else match.group(0)


def normalize_text(text: str | None) -> str:
    """Return the canonical form of a message (see the module docstring for the steps)."""
    if not text:
        return ""
    s = text.translate(_WIDTH)
    if "(" in s:
        s = _CANDIDATE.sub(_drop_pinyin, s)
    s = _t2s().convert(s)
    return _SPACES.sub(" ", s).strip()
