"""The irrigation-well caller (seed 004): one farmer calls six times about the electricity price of his
irrigation well; the order is re-handled twice and closed once the village publishes the upkeep fees.

The script is a list of steps, each a delay after the previous one and what happens then, run through
the services like the recent appeals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from huying.appeals import services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, AppealType, Channel, Resolution, Satisfaction

if TYPE_CHECKING:
    from .appeals_cases import DemoBuilder

_CONTENT = (
    "来电人反映：邹平市韩店镇孟家村本人耕地旁的灌溉用机井，电价每度比家里生活用电还高，"
    "浇一次地要多花几十块钱，认为不合理，希望核查机井电价。"
)
_DAY, _HOUR, _MINUTE = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)

# (delay, who, what, payload): who is op (the operator), sup (the supervisor), power (the lead unit's
# handler) or nongye (the assisting unit's handler); what is an action, "assist" (the assisting unit's
# report, which leaves the clock where it was) or "call" (the caller again, merged into the order).
_SCRIPT: list[tuple[dt.timedelta, str, str, dict[str, Any]]] = [
    (4 * _MINUTE, "op", Action.ACCEPT, {}),
    (6 * _MINUTE, "op", Action.DISPATCH, {"lead_unit": "gongdian", "assist_units": ["nongye"]}),
    (3 * _HOUR, "power", Action.SIGN, {}),
    (20 * _HOUR, "nongye", "assist", {"note": "农业农村局意见：该机井属小农水项目，产权已移交村集体。"}),
    (2 * _DAY, "op", "call", {"text": "来电人再次来电，至今没人给说法："}),
    (
        _DAY,
        "power",
        Action.REPLY,
        {"note": "经核实，该机井执行农业生产电价，每千瓦时低于居民生活电价，供电公司未多收费用。"},
    ),
    (_DAY, "op", Action.FOLLOW_UP, {"resolution": Resolution.UNRESOLVED, "satisfaction": Satisfaction.UNSATISFIED}),
    (2 * _HOUR, "op", Action.REOPEN, {"note": "诉求人称实际缴费高于生活电价，请核实村里收费情况。"}),
    (3 * _DAY, "op", "call", {"text": "来电人第三次来电，称村里收费标准不清楚："}),
    (2 * _DAY, "op", "call", {"text": "来电人又来电，称马上要春灌了："}),
    (_DAY, "sup", Action.SUPERVISE, {"note": "该诉求人多次来电，请供电公司会同农业农村部门、镇村查明原因。"}),
    (
        5 * _HOUR,
        "power",
        Action.REPLY,
        {"note": "经再次核实，供电公司按农业生产电价收费，差价系村里代收的机井维护费用。"},
    ),
    (_DAY, "op", Action.FOLLOW_UP, {"resolution": Resolution.PARTLY, "satisfaction": Satisfaction.UNSATISFIED}),
    (3 * _HOUR, "op", Action.REOPEN, {"note": "诉求人对维护费用收取标准仍有异议，请组织镇村联合处理。"}),
    (2 * _DAY, "op", "call", {"text": "来电人来电，要求村里公开机井维护费："}),
    (3 * _DAY, "op", "call", {"text": "来电人第六次来电，要求公开维护费用明细："}),
    (
        2 * _DAY,
        "power",
        Action.REPLY,
        {
            "note": (
                "韩店镇组织孟家村、管区、供电所、农业农村部门及小农水项目单位召开联席会议：机井属小农水项目，"
                "产权移交村集体，维护费用此前计入电费收取。现已由村委会公开维护费用明细，按实际支出分摊，"
                "诉求人认可。"
            )
        },
    ),
    (_DAY, "op", Action.FOLLOW_UP, {"resolution": Resolution.RESOLVED, "satisfaction": Satisfaction.BASICALLY}),
]


def irrigation_well_case(builder: DemoBuilder) -> Appeal:
    """Run the script 150 days ago; returns the lead order."""
    units = builder.structure.units
    people = {
        "op": builder.operator,
        "sup": builder.supervisor,
        "power": builder._handler(units["gongdian"]),
        "nongye": builder._handler(units["nongye"]),
    }
    fields: dict[str, Any] = {
        "channel": Channel.HOTLINE,
        "appeal_type": AppealType.COMPLAINT,
        "title": "灌溉机井电价高于家庭用电价",
        "category": builder.structure.categories["1101"],
        "division": builder.structure.divisions["371681101202"],
        "address": "邹平市韩店镇孟家村村东机井",
        "requester_name": "孟庆林",
        "requester_phone": "15054388216",
    }
    start = timezone.localtime(builder.now - dt.timedelta(days=150)).replace(hour=9, minute=12)
    lead = services.appeal_submit(actor=people["op"], now=start, content=_CONTENT, detect_repeat=False, **fields).appeal
    t = start
    for delay, who, what, payload in _SCRIPT:
        if what == "assist":
            # A report at a time of its own: the next step's delay counts from the step before it.
            services.appeal_assist_report(actor=people[who], appeal_id=lead.pk, note=payload["note"], now=t + delay)
            continue
        t += delay
        if what == "call":
            content = f"{payload['text']}{_CONTENT[6:]}"
            result = services.appeal_submit(actor=people[who], now=t, content=content, **fields)
            assert result.repeat_of is not None and result.repeat_of.pk == lead.pk, "irrigation repeat not merged"
            continue
        if what == Action.DISPATCH:
            payload = {"lead_unit": units["gongdian"], "assist_units": [units["nongye"]]}
        lead = services.appeal_transition(actor=people[who], appeal=lead.pk, action=what, now=t, **payload)
    return lead
