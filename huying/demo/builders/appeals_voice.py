"""How the demo's citizens write: an appeal's text from its category's template, retold the way
people type (short or long, colloquial, asides, typos, a second matter, now and then nothing
useful at all). Seeded through the builder's random generator, so a ``--seed`` gives the same city.

The operator's record of a hotline call stays closer to the template (operators write it up);
texts from the web, the app and the grid are the citizen's own.
"""

from __future__ import annotations

import random
import re

from huying.appeals.states import Channel

from . import appeals_data as cat

_CLAUSE = re.compile(r"[^，。；！？]+[，。；！？]?")
_OPENER = re.compile(r"^[^：]{2,12}：")
# (style, weight) for a citizen's own text; operators' hotline records use _RECORD_STYLES.
_STYLES = [("full", 25), ("part", 25), ("gist", 20), ("ramble", 15), ("mixed", 10), ("vague", 5)]
_RECORD_STYLES = [("full", 40), ("part", 30), ("gist", 12), ("mixed", 12), ("vague", 6)]


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.findall(text) if c.strip()]


def _fill(template: str, values: dict[str, object]) -> str:
    return template.format(**values)


def retell(
    rng: random.Random, *, channel: str, content: str, title: str, other: str, values: dict[str, object]
) -> tuple[str, str]:
    """A (title, content) pair for a matter whose formal text is ``content`` (opener included) and
    whose short name is ``title``; ``other`` is another matter's formal text, for mixed messages."""
    record = channel == Channel.HOTLINE
    styles = _RECORD_STYLES if record else _STYLES
    style = rng.choices([s for s, _ in styles], weights=[w for _, w in styles])[0]
    opener_match = _OPENER.match(content)
    opener = opener_match.group(0) if opener_match else ""
    body = content[len(opener) :]
    clauses = _clauses(body)
    if style == "full":
        text = body
    elif style == "part":
        start = rng.randrange(max(len(clauses) - 1, 1))
        text = "".join(clauses[start : start + rng.randint(1, 3)])
    elif style == "gist":
        text = title + rng.choice(["，", " ", "！", "。"]) + rng.choice(["好几天了", "一直没人管", "", "麻烦处理下"])
    elif style == "ramble":
        picked = clauses[:]
        rng.shuffle(picked)
        text = "".join(picked[: rng.randint(2, max(2, len(picked)))]) + rng.choice(cat.VOICE_ASIDES)
    elif style == "mixed":
        other_opener = _OPENER.match(other)
        second = _clauses(other[len(other_opener.group(0)) if other_opener else 0 :])
        text = body + rng.choice(["另外，", "还有，", "顺便说一下，"]) + "".join(second[: rng.randint(1, 2)])
    else:  # vague
        text = rng.choice(cat.VOICE_VAGUE) + (
            rng.choice(["，", "。"]) + rng.choice(clauses) if rng.random() < 0.4 else ""
        )
    if not record:
        if rng.random() < 0.5:
            text = _fill(rng.choice(cat.VOICE_PREFIXES), values) + text
        if rng.random() < 0.5:
            text = text.rstrip("。") + rng.choice(["，", "。", " "]) + rng.choice(cat.VOICE_SUFFIXES)
        text = _slips(rng, text)
        opener = opener if rng.random() < 0.3 else ""
    return _title(rng, title, text, values, record), opener + text


def _slips(rng: random.Random, text: str) -> str:
    """Typing slips and loose punctuation, at about the rate a phone keyboard makes them."""
    for word, slip in cat.VOICE_TYPOS.items():
        if word in text and rng.random() < 0.12:
            text = text.replace(word, slip, 1)
    if rng.random() < 0.25:
        text = text.replace("，", rng.choice([" ", ",", "，，"]))
    if rng.random() < 0.15:
        text = text.replace("。", "")
    return text


def _title(rng: random.Random, title: str, text: str, values: dict[str, object], record: bool) -> str:
    r = rng.random()
    if record:  # the operator's summary: the matter's name, or the first words of the record
        return title if r < 0.65 else text[: rng.randint(8, 18)].strip("，。 ,") or title
    if r < 0.45:
        return title
    if r < 0.75:
        return _fill(rng.choice(cat.VOICE_TITLES), values)
    return text[: rng.randint(6, 16)].strip("，。 ,") or title


def retell_question(rng: random.Random, *, channel: str, question: str, values: dict[str, object]) -> str:
    """A consultation answered on the call, as the caller put it (hotline: as the operator noted it)."""
    if channel == Channel.HOTLINE:
        return question + rng.choice(["。", "", "？"])
    text = question.removeprefix("咨询")
    text = rng.choice(["想问一下", "请问", "咨询一下", "", "问下"]) + text + rng.choice(["？", "", "，谢谢", "怎么办"])
    if rng.random() < 0.4:
        text = _fill(rng.choice(cat.VOICE_PREFIXES), values) + text
    return _slips(rng, text)
