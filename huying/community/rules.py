"""The law as data: which matters only a villagers' meeting may decide, the county's publication
catalogue (村务公开目录) a deployment starts from, and the usual rules of the bodies that decide.

- 村民委员会组织法 (2018) Art. 24: the matters that "经村民会议讨论决定方可办理" (the meeting may
  delegate them to the 村民代表会议, Art. 24 last paragraph);
- 山东省村务公开条例 (2018) Art. 7 (what is published), Art. 12 (general items at least quarterly,
  finances item by item monthly, major matters at once), Art. 18 (the county sets the catalogue).
  The law names no day of the next period; ``grace_workdays`` is the county's choice, editable.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from .procedure import MEMBERS, PRESENT, Rule

# (code, label) of the matters of 村委会组织法 Art. 24; "" is a matter the committees may decide.
STATUTORY_MATTERS = (
    ("", _("无须村民会议决定")),
    ("allowance", _("误工补贴的人员及补贴标准")),
    ("collective_income", _("集体经济所得收益的使用")),
    ("public_works", _("兴办公益事业的项目及筹资筹劳方案")),
    ("land_contract", _("土地承包经营方案")),
    ("collective_enterprise", _("村集体经济项目的立项、承包方案")),
    ("housing_plots", _("宅基地的使用方案")),
    ("requisition_compensation", _("征地补偿费的使用、分配方案")),
    ("property_disposal", _("以借贷、租赁或者其他方式处分村集体财产")),
    ("other_interest", _("村民会议认为应当由其决定的涉及村民利益的其他事项")),
)
STATUTORY_BASIS = _("《中华人民共和国村民委员会组织法》第二十四条")

# Cadences of the publication catalogue (山东省村务公开条例 Art. 12).
MONTHLY, QUARTERLY, IMMEDIATE = "monthly", "quarterly", "immediate"
CADENCES = ((MONTHLY, _("每月")), (QUARTERLY, _("每季度")), (IMMEDIATE, _("随时（事项发生后）")))
GENERAL, FINANCE, MAJOR = "general", "finance", "major"
CLASSES = ((GENERAL, _("一般事项")), (FINANCE, _("财务收支")), (MAJOR, _("重大事项")))

# (code, name, class, cadence, grace working days after the period or the event, Art. 7 item)
CATALOGUE: tuple[tuple[str, str, str, str, int, str], ...] = (
    ("rules", "自治章程、议事规则、村规民约（居民公约）", MAJOR, IMMEDIATE, 5, "第七条（一）"),
    ("decisions", "村民会议、村民代表会议决定事项及实施情况", MAJOR, IMMEDIATE, 5, "第七条（二）"),
    ("finance", "村级财务收支明细（逐项逐笔）", FINANCE, MONTHLY, 10, "第七条（三）、第十二条"),
    ("assets", "集体资产、资源及年度计划", GENERAL, QUARTERLY, 10, "第七条（三）"),
    ("relief", "救灾救济、补贴补助、社会捐赠款物", GENERAL, QUARTERLY, 10, "第七条（四）"),
    ("farm_subsidy", "惠农补贴发放情况", GENERAL, QUARTERLY, 10, "第七条（五）"),
    ("requisition", "土地征收征用及补偿费分配", MAJOR, IMMEDIATE, 5, "第七条（六）"),
    ("assistance", "低保、特困供养、残疾人、困境儿童和留守人员关爱", GENERAL, QUARTERLY, 10, "第七条（七）"),
    ("public_works", "公益事业项目及筹资筹劳", MAJOR, IMMEDIATE, 5, "第七条（八）"),
    ("consultation", "村务民主协商的实施过程和成果采纳、落实、反馈情况", MAJOR, IMMEDIATE, 5, "第七条（九）"),
    ("appraisal", "群众满意度测评和民主评议结果", GENERAL, QUARTERLY, 10, "第七条（十）"),
    ("demanded", "村民联名要求公开的事项", MAJOR, IMMEDIATE, 5, "第八条"),
)
DEMANDED_ITEM = "demanded"
CONSULTATION_ITEM = "consultation"
APPRAISAL_ITEM = "appraisal"

# Usual rules of the bodies (procedure.py names the laws behind them).
BODY_RULES: dict[str, Rule] = {
    "party_group": Rule(Fraction(1, 2), True, Fraction(1, 2), PRESENT),
    "branch": Rule(Fraction(1, 2), True, Fraction(1, 2), MEMBERS),
    "committees": Rule(Fraction(1, 2), True, Fraction(1, 2), PRESENT),
    "council": Rule(Fraction(1, 2), True, Fraction(1, 2), PRESENT),
    "representatives": Rule(Fraction(2, 3), False, Fraction(1, 2), PRESENT),
    "villagers": Rule(Fraction(1, 2), True, Fraction(1, 2), PRESENT),
    "supervisory": Rule(Fraction(1, 2), True, Fraction(1, 2), PRESENT),
}
# Bodies that may decide an Art. 24 matter.
ASSEMBLIES = frozenset({"representatives", "villagers"})


def load_catalogue(model: type) -> None:
    """Create the catalogue items a deployment starts from (a data migration calls this)."""
    for sort, (code, name, klass, cadence, grace, basis) in enumerate(CATALOGUE):
        model.objects.get_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name": name,
                "klass": klass,
                "cadence": cadence,
                "grace_workdays": grace,
                "basis": f"山东省村务公开条例{basis}",
                "sort": sort,
            },
        )
