"""The dispatch keyword index on the demo 派单目录 (60 leaves): the same scores as testing every keyword."""

from __future__ import annotations

from huying.appeals.models import Category
from huying.demo.builders import appeals_data as cat
from huying.dispatch import services
from huying.dispatch.normalize import normalize_text
from huying.dispatch.tests.test_services import NOISE, ROAD


def test_keyword_index_scores_exactly_as_testing_every_keyword() -> None:
    """The index is a faster way to the same answer: each category's score is the total length of
    its keywords (and name) found anywhere in the text, on the 60-leaf demo 派单目录."""
    categories = {
        i: Category(pk=i, code=leaf[0], name=leaf[1], keywords=leaf[3]) for i, leaf in enumerate(cat.LEAVES, start=1)
    }
    texts = [leaf[4] + leaf[5] for leaf in cat.LEAVES] + [*NOISE, *ROAD, "", "天气不错", "噪音噪音噪音", "ＫＴＶ噪音"]

    def plain(text: str) -> dict[int, int]:
        norm = normalize_text(text)
        totals = {}
        for pk, c in categories.items():
            words = {w for w in normalize_text(c.keywords).split() if w} | {normalize_text(c.name)}
            if score := sum(len(w) for w in words if w and w in norm):
                totals[pk] = score
        return totals

    matched = 0
    for text in texts:
        expected = plain(text)
        got = services.keyword_scores(text, categories)
        assert {pk for pk, _ in got} == set(expected), text
        if expected:
            matched += 1
            total = sum(expected.values())
            assert got == sorted(
                ((pk, 0.5 * s / total) for pk, s in expected.items()), key=lambda item: (-item[1], item[0])
            )
    assert matched > len(cat.LEAVES)  # the demo texts do hit their keywords
