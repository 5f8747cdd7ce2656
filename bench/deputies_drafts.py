"""Draft parsing at the size of the largest Chinese codes: the Civil Code has 1,260 articles in 7 parts.

Builds a draft of 7 编, 84 章 and 1,260 条 (three 款 each, the first with four 项, the second
citing its own article as real codes do: "第X条第一款规定的情形…") in the layout of
legislative drafting, parses it with huying.deputies.drafting.parse_draft (plain Python, no database),
and prints the time per parse (best of 5), the nodes found and whether every article, paragraph and
item landed where it was written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huying.deputies.drafting import ARTICLE, ITEM, PARAGRAPH, chinese_numeral, parse_draft

PARTS, CHAPTERS_PER_PART, ARTICLES = 7, 12, 1260


def build_text() -> str:
    lines = ["中华人民共和国某某法典（草案）", "目录"]
    lines += [f"第{chinese_numeral(p)}编 第{p}编标题" for p in range(1, PARTS + 1)]
    per_chapter = ARTICLES // (PARTS * CHAPTERS_PER_PART)
    article = 0
    for p in range(1, PARTS + 1):
        lines.append(f"第{chinese_numeral(p)}编 第{p}编标题")
        for c in range(1, CHAPTERS_PER_PART + 1):
            lines.append(f"第{chinese_numeral(c)}章 第{c}章标题")
            for _ in range(per_chapter):
                article += 1
                lines.append(f"第{chinese_numeral(article)}条 第{article}条第一款，下列情形：")
                lines += [f"（{chinese_numeral(i)}）第{i}项内容；" for i in range(1, 5)]
                lines += [
                    f"第{chinese_numeral(article)}条第一款规定的情形，依照本法处理。",
                    "前两款规定以外的情形，另行规定。",
                ]
    return "\n".join(lines)


def main() -> None:
    text = build_text()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        parsed = parse_draft(text)
        timings.append(time.perf_counter() - started)
    nodes = list(parsed.walk())
    articles = [n for n in nodes if n.kind == ARTICLE]
    right = all(
        a.number == i + 1
        and [p.kind for p in a.children] == [PARAGRAPH] * 3
        and [x.kind for x in a.children[0].children] == [ITEM] * 4
        for i, a in enumerate(articles)
    )
    best_ms = min(timings) * 1000
    print(f"draft of {len(text):,} characters, {len(nodes):,} nodes, {len(articles):,} articles")
    print(f"parse: best {best_ms:.1f} ms of 5 ({best_ms * 1000 / len(articles):.1f} µs per article)")
    print(f"every article, paragraph and item in place: {right}")
    print(f"RESULT articles={len(articles)} nodes={len(nodes)} parse_ms={best_ms:.1f} correct={int(right)}")


if __name__ == "__main__":
    main()
