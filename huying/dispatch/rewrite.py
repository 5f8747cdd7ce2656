"""Messages rewritten as another city's hotline might have them, to test the classifier's robustness.

Evaluation only (``manage.py dispatch_eval --rewritten``): the classifier is trained on one source,
a provincial message board whose places are anonymised (``A市``, ``K1区``, ``F5县``). A deployment
sees real place names, traditional characters and full-width text pasted from elsewhere, operators'
transcripts, and one-line reports from phones. Each variant below rewrites a labelled message
deterministically and keeps its label, so the drop in macro-F1 from the published text shows how much
a model leans on the way this one source is written. Nothing here is used to train or tune.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

__all__ = ["VARIANTS", "real_places", "rewritten"]

# Real prefectures and their county-level divisions (GB/T 2260 names, Shandong), one per code letter.
_CITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "A": ("滨州市", ("滨城区", "沾化区", "邹平市", "惠民县", "阳信县", "无棣县", "博兴县")),
    "B": (
        "烟台市",
        ("芝罘区", "福山区", "牟平区", "莱山区", "蓬莱区", "龙口市", "莱阳市", "莱州市", "招远市", "栖霞市"),
    ),
    "C": ("济南市", ("历下区", "市中区", "槐荫区", "天桥区", "历城区", "长清区", "章丘区", "济阳区", "平阴县")),
    "D": ("青岛市", ("市南区", "市北区", "黄岛区", "崂山区", "李沧区", "城阳区", "即墨区", "胶州市", "平度市")),
    "E": ("淄博市", ("淄川区", "张店区", "博山区", "临淄区", "周村区", "桓台县", "高青县", "沂源县")),
    "F": ("潍坊市", ("潍城区", "寒亭区", "坊子区", "奎文区", "青州市", "诸城市", "寿光市", "安丘市", "临朐县")),
    "G": ("济宁市", ("任城区", "兖州区", "曲阜市", "邹城市", "微山县", "鱼台县", "金乡县", "嘉祥县", "梁山县")),
    "H": ("泰安市", ("泰山区", "岱岳区", "新泰市", "肥城市", "宁阳县", "东平县")),
    "I": ("威海市", ("环翠区", "文登区", "荣成市", "乳山市")),
    "J": ("日照市", ("东港区", "岚山区", "五莲县", "莒县")),
    "K": ("临沂市", ("兰山区", "罗庄区", "河东区", "沂南县", "郯城县", "沂水县", "兰陵县", "费县", "平邑县")),
    "L": ("东营市", ("东营区", "河口区", "垦利区", "利津县", "广饶县")),
    "M": ("枣庄市", ("市中区", "薛城区", "峄城区", "台儿庄区", "山亭区", "滕州市")),
}
_CODE = re.compile(r"(?<![A-Za-z])([A-Za-z])(\d*)([省市区县镇乡])")

_FULL_WIDTH: dict[int, int | str] = {
    ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}
_FULL_WIDTH.update({ord(","): "，", ord("("): "（", ord(")"): "）", ord(":"): "："})


def _place(match: re.Match[str]) -> str:
    letter, number, suffix = match.group(1).upper(), match.group(2), match.group(3)
    city, counties = _CITIES.get(letter) or list(_CITIES.values())[ord(letter) % len(_CITIES)]
    if not number:
        return city if suffix == "市" else counties[0]
    return counties[int(number) % len(counties)]


def real_places(text: str) -> str:
    """Anonymised place codes (``A市``, ``K1区``) replaced by real Shandong place names."""
    return _CODE.sub(_place, text)


@lru_cache(maxsize=1)
def _to_traditional() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("s2t").convert  # type: ignore[no-any-return]


def _pasted(text: str) -> str:
    """Traditional characters, full-width letters and digits, and the whitespace junk of pasted text."""
    text = _to_traditional()(real_places(text)).translate(_FULL_WIDTH)
    return re.sub(r"([。！？])", "\\1\n\t\t\u3000", text, count=3).replace("，", "，\u00a0", 2)


def _transcript(text: str) -> str:
    """An operator's record of a call: a set opening, the first 120 characters, a set closing."""
    return f"来电人反映：{real_places(text)[:120]}。来电人希望有关部门尽快核实处理并回复。"


def _one_line(text: str) -> str:
    """A report typed on a phone: the first 40 characters."""
    return real_places(text)[:40]


VARIANTS: dict[str, tuple[str, Callable[[str], str]]] = {
    "places": ("real place names for the A市/K1区 codes", real_places),
    "pasted": ("real places; traditional, full-width, junk", _pasted),
    "transcript": ("real places; operator's transcript, 120 chars", _transcript),
    "one_line": ("real places; one-line report, 40 chars", _one_line),
}


def rewritten(texts: Sequence[str]) -> dict[str, list[str]]:
    """Every variant of ``texts``, in :data:`VARIANTS` order."""
    return {name: [rewrite(t) for t in texts] for name, (_, rewrite) in VARIANTS.items()}
