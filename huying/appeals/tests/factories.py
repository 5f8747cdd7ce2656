"""Build appeals in any status by walking the real services (no impossible rows)."""

from __future__ import annotations

from typing import Any

from huying.appeals import services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, AppealType, Channel, Resolution, Satisfaction, Status

_counter = {"n": 0}


def submit(
    world: Any, *, citizen: Any = None, phone: str | None = None, content: str | None = None, **kw: Any
) -> Appeal:
    _counter["n"] += 1
    n = _counter["n"]
    defaults: dict[str, Any] = {
        "channel": Channel.WEB,
        "appeal_type": AppealType.COMPLAINT,
        "title": f"测试诉求{n}",
        "content": content
        or f"第{n}号测试：小区门口道路编号{n}处有坑洼，车辆通行困难，请尽快处理。{'甲乙丙丁戊己庚辛'[n % 8]}" * 2,
        "requester_name": "张三",
        "requester_phone": phone or f"138{n:08d}",
        "category": world.cat_noise,
        "detect_repeat": False,
    }
    defaults.update(kw)
    return services.appeal_submit(actor=citizen or world.operator, citizen=citizen, **defaults).appeal


PATH_TO: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    Status.SUBMITTED: [],
    Status.ACCEPTED: [("operator", Action.ACCEPT, {})],
    Status.ANSWERED: [("operator", Action.ANSWER, {"note": "已当场解答"})],
    Status.REFERRED: [("operator", Action.REFER, {"note": "属于报警事项", "refer_target": "110"})],
    Status.REFUSED: [("operator", Action.REFUSE, {"note": "诉求不属于受理范围"})],
    Status.WITHDRAWN: [("operator", Action.WITHDRAW, {})],
    Status.DISPATCHED: [("operator", Action.ACCEPT, {}), ("operator", Action.DISPATCH, {"unit": "urban"})],
}
PATH_TO[Status.HANDLING] = [*PATH_TO[Status.DISPATCHED], ("handler", Action.SIGN, {})]
PATH_TO[Status.RETURN_REQUESTED] = [
    *PATH_TO[Status.DISPATCHED],
    ("handler", Action.REQUEST_RETURN, {"note": "非本单位职责"}),
]
PATH_TO[Status.EXTENSION_REQUESTED] = [
    *PATH_TO[Status.HANDLING],
    ("handler", Action.REQUEST_EXTENSION, {"note": "需协调施工单位", "extension_days": 5}),
]
PATH_TO[Status.SUSPENDED] = [*PATH_TO[Status.HANDLING], ("handler", Action.SUSPEND, {"note": "等待司法鉴定"})]
PATH_TO[Status.REPLIED] = [*PATH_TO[Status.HANDLING], ("handler", Action.REPLY, {"note": "已责令施工单位夜间停工"})]
PATH_TO[Status.UNSATISFIED] = [
    *PATH_TO[Status.REPLIED],
    ("operator", Action.FOLLOW_UP, {"resolution": Resolution.UNRESOLVED, "satisfaction": Satisfaction.UNSATISFIED}),
]
PATH_TO[Status.CLOSED] = [
    *PATH_TO[Status.REPLIED],
    ("operator", Action.FOLLOW_UP, {"resolution": Resolution.RESOLVED, "satisfaction": Satisfaction.SATISFIED}),
]


def appeal_in(world: Any, status: str, **kw: Any) -> Appeal:
    """An appeal in ``status``, reached through the services."""
    if status == Status.MERGED:
        lead = appeal_in(world, Status.HANDLING)
        repeat = submit(world, **kw)
        return services.appeal_transition(actor=world.operator, appeal=repeat, action=Action.MERGE, merge_into=lead.pk)
    if status == Status.VERIFYING:
        # A grid report: the unit's reply waits for on-site verification.
        kw.setdefault("channel", Channel.GRID)
        status, target = Status.REPLIED, Status.VERIFYING
    else:
        target = status
    appeal = submit(world, **kw)
    for who, action, payload in PATH_TO[status]:
        payload = dict(payload)
        if payload.pop("unit", None):
            payload["lead_unit"] = world.urban
        appeal = services.appeal_transition(actor=getattr(world, who), appeal=appeal, action=action, **payload)
    assert appeal.status == target
    return appeal
