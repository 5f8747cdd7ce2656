"""The skills tree (服务技能) and the star levels (星级), as data.

Skill codes are stable; names are what a city calls them. A volunteer's skills and a need's wanted
skills are leaf codes; a need that names a branch ("medical") is met by any of its leaves.
Star levels: cumulative confirmed hours 100 / 300 / 600 / 1000 / 1500 → one to five stars
(志愿服务记录办法, 民函〔2012〕340号, and the provincial rules that follow it).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# (branch code, branch name, [(leaf code, leaf name), ...])
SKILL_TREE = [
    ("care", _("关爱帮扶"), [("elder_care", _("助老陪护")), ("child_care", _("儿童关爱")), ("disability", _("助残服务")),
                           ("companion", _("陪伴聊天"))]),
    ("medical", _("医疗健康"), [("first_aid", _("应急救护")), ("nursing", _("护理")), ("health_talk", _("健康宣讲")),
                              ("psychology", _("心理疏导"))]),
    ("repair", _("维修便民"), [("electric", _("家电维修")), ("plumbing", _("水电维修")), ("haircut", _("理发")),
                             ("sewing", _("缝补"))]),
    ("culture", _("文化教育"), [("tutoring", _("课业辅导")), ("lecture", _("宣讲授课")), ("art", _("文艺演出")),
                              ("calligraphy", _("书法"))]),
    ("legal", _("法律咨询"), [("law", _("法律咨询")), ("mediation", _("矛盾调解"))]),
    ("service", _("政务帮办"), [("proxy", _("帮办代办")), ("guide", _("大厅引导")), ("digital", _("智能手机教学"))]),
    ("environment", _("环境保护"), [("cleanup", _("环境整治")), ("garbage", _("垃圾分类")), ("greening", _("植绿护绿"))]),
    ("emergency", _("应急救援"), [("rescue", _("抢险救援")), ("epidemic", _("防疫值守")), ("traffic", _("交通劝导"))]),
    ("logistics", _("后勤保障"), [("delivery", _("物资配送")), ("driving", _("驾驶")), ("cooking", _("助餐"))]),
]  # fmt: skip

SKILL_NAMES = {code: name for _b, _n, leaves in SKILL_TREE for code, name in leaves}
BRANCHES = {branch: [code for code, _name in leaves] for branch, _n, leaves in SKILL_TREE}
BRANCH_NAMES = {branch: name for branch, name, _leaves in SKILL_TREE}

# Cumulative confirmed hours for one to five stars.
STAR_THRESHOLDS = (Decimal(100), Decimal(300), Decimal(600), Decimal(1000), Decimal(1500))


def expand(codes: list[str] | tuple[str, ...] | set[str]) -> set[str]:
    """Leaf codes for ``codes`` (a branch stands for all its leaves); unknown codes are dropped."""
    leaves: set[str] = set()
    for code in codes:
        if code in SKILL_NAMES:
            leaves.add(code)
        elif code in BRANCHES:
            leaves.update(BRANCHES[code])
    return leaves


def unknown(codes: list[str]) -> list[str]:
    return [c for c in codes if c not in SKILL_NAMES and c not in BRANCHES]


def encode(codes: set[str] | list[str]) -> str:
    """Stored form: ``|a|b|`` so ``skills__contains="|a|"`` finds one skill in SQL."""
    ordered = sorted(set(codes))
    return "|" + "|".join(ordered) + "|" if ordered else ""


def decode(stored: str) -> set[str]:
    return {code for code in (stored or "").split("|") if code}


def names(stored: str) -> list[str]:
    return [str(SKILL_NAMES.get(code, code)) for code in sorted(decode(stored))]


def stars(hours: Decimal) -> int:
    return sum(1 for threshold in STAR_THRESHOLDS if hours >= threshold)
