"""A draft's text split into its article tree: 编/章/节 (headings), 条 (articles), 款 (paragraphs of an
article) and 项 (numbered items （一）（二）… inside a paragraph), as Chinese legislative drafting lays
them out (立法技术规范（试行）（一）, 全国人大常委会法工委 2009: 条 numbered 第一条…, 款 unnumbered
paragraphs, 项 numbered （一）…, 目 numbered 1. 2.…).

Plain Python, no Django: the import and the tests call it alone. Every node has a ``key`` that stays the
same for the same place in a version ("c2.s1.a8.p1.i3" is 第二章第一节第八条第一款第（三）项), which
is what an opinion on a passage points at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "[零〇一二两三四五六七八九十百千0-9]+"

PART, CHAPTER, SECTION, ARTICLE, PARAGRAPH, ITEM, SUBITEM = (
    "part",
    "chapter",
    "section",
    "article",
    "para",
    "item",
    "sub",
)
_KEY_PREFIX = {PART: "b", CHAPTER: "c", SECTION: "s", ARTICLE: "a", PARAGRAPH: "p", ITEM: "i", SUBITEM: "m"}
_HEADING = re.compile(rf"^第(?P<n>{NUMERAL})(?P<kind>编|章|节)\s*(?P<title>.*)$")
_ARTICLE = re.compile(rf"^第(?P<n>{NUMERAL})条(?:之(?P<sub>{NUMERAL}))?\s*(?P<text>.*)$")
_ITEM = re.compile(rf"^[（(](?P<n>{NUMERAL})[）)]\s*(?P<text>.*)$")
# Words after "第X条" that show a paragraph citing an article ("第八条规定的事项…"), not a new article.
_CITATION = re.compile(rf"^(?:第{NUMERAL}[款项]|规定|所称|的|和第|、第|至第|或者第)")
_SUBITEM = re.compile(r"^(?P<n>[0-9]+)[.．、]\s*(?P<text>.*)$")
_HEADING_KIND = {"编": PART, "章": CHAPTER, "节": SECTION}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 12 → 12 (Arabic digits pass through)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char in UNITS:
            total += (current or 1) * UNITS[char]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


_CN = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (the numbering of 条, 章 and 项)."""
    if number < 0 or number >= 10000:
        raise ValueError(number)
    if number < 10:
        return _CN[number]
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            if zero:
                out += "零"
            out += ("" if value == 10 and number < 20 else _CN[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


@dataclass
class Node:
    kind: str
    number: int
    title: str = ""  # a heading's title (章/节)
    text: str = ""  # the words of a 款, 项 or 目; an article's first line is its first 款
    children: list[Node] = field(default_factory=list)
    key: str = ""
    label: str = ""  # 第二章, 第八条, 第二款, 第（三）项

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedDraft:
    preamble: list[str]  # lines before the first heading or article (title, 目录)
    nodes: list[Node]  # top level: headings, or articles of a draft without chapters

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()

    def articles(self) -> list[Node]:
        return [n for n in self.walk() if n.kind == ARTICLE]


def _label(kind: str, number: int) -> str:
    numeral = chinese_numeral(number)
    return {
        PART: f"第{numeral}编",
        CHAPTER: f"第{numeral}章",
        SECTION: f"第{numeral}节",
        ARTICLE: f"第{numeral}条",
        PARAGRAPH: f"第{numeral}款",
        ITEM: f"第（{numeral}）项",
        SUBITEM: f"第{number}目",
    }[kind]


def _lines(text: str) -> list[str]:
    return [line.strip().replace("\u3000", " ").strip() for line in text.replace("\r", "\n").split("\n")]


class _Builder:
    def __init__(self) -> None:
        self.result = ParsedDraft(preamble=[], nodes=[])
        self.headings: list[Node] = []  # the open 编/章/节, outermost first
        self.article: Node | None = None
        self.paragraph: Node | None = None
        self.item: Node | None = None

    def _attach(self, node: Node, parent: Node | None) -> None:
        siblings = parent.children if parent is not None else self.result.nodes
        prefix = parent.key + "." if parent is not None else ""
        node.key = f"{prefix}{_KEY_PREFIX[node.kind]}{node.number}"
        node.label = _label(node.kind, node.number)
        siblings.append(node)

    def heading(self, kind: str, number: int, title: str) -> None:
        order = [PART, CHAPTER, SECTION]
        self.headings = [h for h in self.headings if order.index(h.kind) < order.index(kind)]
        node = Node(kind, number, title=title.strip())
        self._attach(node, self.headings[-1] if self.headings else None)
        self.headings.append(node)
        self.article = self.paragraph = self.item = None

    def article_start(self, number: int, text: str) -> None:
        self.article = Node(ARTICLE, number)
        self._attach(self.article, self.headings[-1] if self.headings else None)
        self.paragraph = self.item = None
        if text:
            self.line(text)

    def line(self, text: str) -> None:
        if self.article is None:
            self.result.preamble.append(text)
            return
        item = _ITEM.match(text)
        if item and self.paragraph is not None:
            self.item = Node(ITEM, chinese_number(item["n"]), text=item["text"])
            self._attach(self.item, self.paragraph)
            return
        sub = _SUBITEM.match(text)
        if sub and self.item is not None:
            self._attach(Node(SUBITEM, int(sub["n"]), text=sub["text"]), self.item)
            return
        self.paragraph = Node(PARAGRAPH, len(self.article.children) + 1, text=text)
        self._attach(self.paragraph, self.article)
        self.item = None


def _starts_article(builder: _Builder, match: re.Match[str]) -> bool:
    """A line "第X条…" opens a new article when X comes after the current article and the words after
    it are not a citation; "第八条规定的事项尚未制定法律的…" inside an article is a paragraph."""
    if _CITATION.match(match["text"]):
        return False
    current = builder.article
    return current is None or chinese_number(match["n"]) > current.number


def parse_draft(text: str) -> ParsedDraft:
    """The article tree of a draft's text (one paragraph a line, blank lines ignored).

    Lines before the first 第X章 or 第X条 are the preamble; a 目录 (the headings listed after a line
    "目录", until its first heading repeats) stays in the preamble. Every line after an article's first line is a new 款, unless it
    is a numbered item （一）… (a 项 of the 款 above it) or, under an item, 1. 2. (a 目).
    """
    lines = [line for line in _lines(text) if line]
    builder = _Builder()
    started = False
    contents: list[str] = []  # the 目录's headings; the text starts where its first heading repeats
    in_contents = False
    for line in lines:
        heading = _HEADING.match(line)
        article = _ARTICLE.match(line)
        if not started and line.replace(" ", "") == "目录":
            in_contents = True
        if in_contents and not article and (heading is None or line not in contents):
            if heading:
                contents.append(line)
            builder.result.preamble.append(line)
            continue
        in_contents = False
        if heading:
            started = True
            builder.heading(_HEADING_KIND[heading["kind"]], chinese_number(heading["n"]), heading["title"])
        elif article and _starts_article(builder, article):
            started = True
            builder.article_start(chinese_number(article["n"]), article["text"].strip())
        elif not started or builder.article is None:
            builder.result.preamble.append(line)
        else:
            builder.line(line)
    return builder.result


def article_text(article: Node) -> str:
    """An article's words, one 款 a line with its 项 and 目 under it (for export and display)."""
    out: list[str] = []
    for paragraph in article.children:
        out.append(paragraph.text)
        for item in paragraph.children:
            out.append(f"（{chinese_numeral(item.number)}）{item.text}")
            out.extend(f"{sub.number}. {sub.text}" for sub in item.children)
    return "\n".join(out)
