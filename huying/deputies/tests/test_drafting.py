"""The article tree of a real published text: 中华人民共和国立法法 (2015) with 章, 节, 条, 款 and 项."""

from __future__ import annotations

import pytest

from huying.deputies.drafting import (
    ARTICLE,
    CHAPTER,
    ITEM,
    PARAGRAPH,
    SECTION,
    article_text,
    chinese_number,
    chinese_numeral,
    parse_draft,
)

from .fixtures_text import LIFAFA_2015


def test_the_lifafa_excerpt_parses_into_its_chapters_sections_articles_paragraphs_and_items() -> None:
    parsed = parse_draft(LIFAFA_2015)
    # The title and the 目录 stay in the preamble: its headings repeat below and are not chapters.
    assert parsed.preamble[:2] == ["中华人民共和国立法法", "目录"]
    assert "第二节 全国人民代表大会立法程序" in parsed.preamble
    chapters = parsed.nodes
    assert [(c.kind, c.label, c.title) for c in chapters] == [
        (CHAPTER, "第一章", "总则"),
        (CHAPTER, "第二章", "法律"),
    ]
    assert [a.label for a in chapters[0].children] == [f"第{n}条" for n in "一二三四五六"]
    section = chapters[1].children[0]
    assert (section.kind, section.label, section.title, section.key) == (SECTION, "第一节", "立法权限", "c2.s1")
    assert [a.label for a in section.children] == ["第七条", "第八条", "第九条", "第十条"]
    assert [a.number for a in parsed.articles()] == list(range(1, 11))


def test_paragraphs_are_kuan_and_numbered_lines_are_xiang_of_the_paragraph_above() -> None:
    articles = {a.label: a for a in parse_draft(LIFAFA_2015).articles()}
    first = articles["第一条"]  # printed with no space after 第一条
    assert [p.kind for p in first.children] == [PARAGRAPH]
    assert first.children[0].text.startswith("为了规范立法活动")
    assert [p.label for p in articles["第二条"].children] == ["第一款", "第二款"]
    assert articles["第二条"].children[1].text.startswith("国务院部门规章")
    assert len(articles["第七条"].children) == 3
    assert len(articles["第十条"].children) == 3

    eighth = articles["第八条"]
    assert eighth.key == "c2.s1.a8"
    assert len(eighth.children) == 1  # one 款 (the lead-in) carrying eleven 项
    lead = eighth.children[0]
    assert lead.text == "下列事项只能制定法律："
    items = lead.children
    assert [i.kind for i in items] == [ITEM] * 11
    assert [i.number for i in items] == list(range(1, 12))
    assert items[3].text == "犯罪和刑罚；" and items[3].key == "c2.s1.a8.p1.i4" and items[3].label == "第（四）项"
    assert items[10].label == "第（十一）项" and items[10].text.startswith("必须由全国人民代表大会")
    assert article_text(eighth).splitlines()[4] == "（四）犯罪和刑罚；"


def test_a_draft_without_chapters_is_a_list_of_articles() -> None:
    parsed = parse_draft(
        "某某条例（草案）\n第一条 目的。\n第二条 适用范围：\n（一）甲；\n（二）乙。\n第二十条之一 附加。"
    )
    assert [n.kind for n in parsed.nodes] == [ARTICLE, ARTICLE, ARTICLE]
    assert parsed.nodes[2].number == 20
    assert [i.text for i in parsed.nodes[1].children[0].children] == ["甲；", "乙。"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("两百", 200), ("12", 12)],
)
def test_chinese_numbers_both_ways(text: str, number: int) -> None:
    assert chinese_number(text) == number
    if text not in ("两百", "12"):
        assert chinese_numeral(number) == text


def test_a_paragraph_citing_an_article_stays_a_paragraph() -> None:
    text = "第八条 甲。\n第九条 乙：\n（一）丙；\n第八条规定的事项，依照本法。\n第九条第一款所列情形除外。\n第十条 丁。"
    articles = parse_draft(text).articles()
    assert [a.label for a in articles] == ["第八条", "第九条", "第十条"]
    assert [p.text for p in articles[1].children] == [
        "乙：",
        "第八条规定的事项，依照本法。",
        "第九条第一款所列情形除外。",
    ]
