"""Kinds of service point and the states of a village proxy case (全程代办). Pure data, no DB.

A proxy case runs beside its application: the application's own loop (收件 → 受理 → 审批 → 出件)
happens at the town or county window; the case records what happens at the village centre before and
after it: filed at the centre, the result returned to the centre, collected by the resident or
delivered to their door.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.core.statemachine import Transition, TransitionTable


class Kind(models.TextChoices):
    CITY_HALL = "city_hall", _("市级政务服务中心")
    COUNTY_HALL = "county_hall", _("县级政务服务中心")
    TOWNSHIP_CENTRE = "township_centre", _("镇（街道）便民服务中心")
    PARTY_CENTRE = "party_centre", _("党群服务中心（党建示范区）")
    VILLAGE_STATION = "village_station", _("村（社区）便民服务站")
    SELF_SERVICE = "self_service", _("24小时自助服务区")
    VOLUNTEER_STATION = "volunteer_station", _("志愿服务站")
    DEPUTY_STATION = "deputy_station", _("人大代表联络站")
    CANTEEN = "canteen", _("助老食堂")


class Level(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("镇（街道）级")
    VILLAGE = "village", _("村（社区）级")


# The level a kind sits at (the 百事通 map's three levels plus villages).
KIND_LEVEL = {
    Kind.CITY_HALL: Level.CITY,
    Kind.COUNTY_HALL: Level.COUNTY,
    Kind.TOWNSHIP_CENTRE: Level.TOWNSHIP,
    Kind.PARTY_CENTRE: Level.VILLAGE,
    Kind.VILLAGE_STATION: Level.VILLAGE,
    Kind.SELF_SERVICE: Level.TOWNSHIP,
    Kind.VOLUNTEER_STATION: Level.VILLAGE,
    Kind.DEPUTY_STATION: Level.TOWNSHIP,
    Kind.CANTEEN: Level.VILLAGE,
}
# Places that file applications under full proxy (全程代办) for the residents around them.
PROXY_KINDS = frozenset({Kind.PARTY_CENTRE, Kind.VILLAGE_STATION, Kind.TOWNSHIP_CENTRE})
# Places counted as "a centre" for the 3 km band (the 家门口 service circle).
CENTRE_KINDS = frozenset({Kind.PARTY_CENTRE, Kind.VILLAGE_STATION, Kind.TOWNSHIP_CENTRE})
# Halls where applications are accepted (the trip a proxy filing saves goes to one of these).
HALL_KINDS = frozenset({Kind.CITY_HALL, Kind.COUNTY_HALL, Kind.TOWNSHIP_CENTRE})


class CaseStatus(models.TextChoices):
    FILED = "filed", _("已在服务站代办提交")
    RETURNED = "returned", _("结果已送回服务站")
    COLLECTED = "collected", _("居民已领取")
    DELIVERED = "delivered", _("已送达居民家中")


class CaseAction(models.TextChoices):
    RETURN = "return", _("结果送回服务站")
    COLLECT = "collect", _("居民领取")
    DELIVER = "deliver", _("送达上门")


class IdentityCheck(models.TextChoices):
    ID_CARD = "id_card", _("核验居民身份证原件")
    SOCIAL_CARD = "social_card", _("核验社会保障卡")
    FACE = "face", _("人脸识别核验")


class Handover(models.TextChoices):
    COLLECT = "collect", _("到服务站领取")
    DELIVER = "deliver", _("送达上门")


CLERK = "centre_clerk"  # a village clerk (代办员) posted at the case's centre

CASE_TRANSITIONS = TransitionTable(
    [
        Transition(CaseStatus.FILED, CaseAction.RETURN, CaseStatus.RETURNED, frozenset({CLERK})),
        Transition(CaseStatus.RETURNED, CaseAction.COLLECT, CaseStatus.COLLECTED, frozenset({CLERK})),
        Transition(CaseStatus.RETURNED, CaseAction.DELIVER, CaseStatus.DELIVERED, frozenset({CLERK}), needs_note=True),
    ]
)
DONE_STATUSES = frozenset({CaseStatus.COLLECTED, CaseStatus.DELIVERED})
