"""The demo set of duty types and household tags, loaded by a data migration (editable afterwards).

Duties: 招远 organises liaison members' work in "党建、联系群众、民生、违建、环保、综治、安监等11大类
16项工作职责" (大众日报 report on 招远 农村党建示范区). The report names seven categories; the other
four and the split into sixteen duties are filled in here from the 网格员 duties in
滨州市社会治理网格化服务管理条例 Art. 3, as an example a deployment replaces with its own list.

Tags: the usual categories of people a grid looks after. The only interval set in law is
威海市居民养老服务保障条例 (2020) Art. 22: high-age people living alone are checked every two days,
by visit or by phone. Everyone else is visited monthly (沂源 历山街道 《走访写实簿》: "原则上要求每月走访一次").
"""

from __future__ import annotations

from typing import Any

# (code, category, duty)
DUTY_TYPES: tuple[tuple[str, str, str], ...] = (
    ("dj-01", "党建", "宣传党的路线方针政策，组织联系户党员参加组织生活"),
    ("lx-01", "联系群众", "定期走访联系户，填写走访写实簿"),
    ("lx-02", "联系群众", "收集社情民意，反映群众诉求和意见建议"),
    ("ms-01", "民生", "关爱独居、高龄、困难群众等特殊群体"),
    ("ms-02", "民生", "帮办代办社保、低保、残疾人补贴等公共服务事项"),
    ("wj-01", "违建", "巡查发现并上报违法建设"),
    ("hb-01", "环保", "巡查发现并上报环境污染、秸秆焚烧等问题"),
    ("hb-02", "环保", "督促落实人居环境整治"),
    ("zz-01", "综治", "参与社会治安巡查和平安创建"),
    ("aj-01", "安监", "排查上报安全生产和消防隐患"),
    ("tj-01", "矛盾调解", "排查化解邻里、婚姻家庭等矛盾纠纷"),
    ("xc-01", "政策宣传", "宣传政策法律法规"),
    ("xx-01", "信息采集", "采集更新人口、房屋等基础信息"),
    ("xx-02", "信息采集", "核实上级交办的名单和地址"),
    ("fw-01", "便民服务", "组织志愿服务，对接群众需求"),
    ("fw-02", "便民服务", "引导群众使用随手拍等渠道反映问题"),
)

# (code, name, visit interval in days or None for monthly, basis)
TAGS: tuple[tuple[str, str, int | None, str], ...] = (
    ("lone_high_age", "高龄独居老人", 2, "威海市居民养老服务保障条例（2020）第二十二条：每两天探访或电话联系一次"),
    ("lone_elderly", "独居老人", None, ""),
    ("high_age", "高龄老人", None, ""),
    ("dibao", "低保", None, ""),
    ("tekun", "特困", None, ""),
    ("disabled", "残疾", None, ""),
    ("left_behind_child", "留守儿童", None, ""),
    ("veteran", "退役军人", None, ""),
)


def load_defaults(duty_type_model: Any, tag_model: Any) -> None:
    """Create the duty types and tags above that are missing (models passed in, so a data migration
    can hand over its historical ones)."""
    for sort, (code, category, name) in enumerate(DUTY_TYPES):
        duty_type_model.objects.get_or_create(code=code, defaults={"category": category, "name": name, "sort": sort})
    for sort, (code, name, interval, basis) in enumerate(TAGS):
        tag_model.objects.get_or_create(
            code=code, defaults={"name": name, "visit_interval_days": interval, "basis": basis, "sort": sort}
        )
