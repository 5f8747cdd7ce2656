"""The open-day API (/api/v1/opendays/): public reads of announced days and of every draw's record
(quotas, digest, seed, winning number, chances), so that anyone can re-run a draw. The M panels
themselves are the CSV at /opendays/<id>/draws/<n>/panels.csv."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.core.drf import problem_responses
from huying.core.errors import NotFound

from .. import selectors
from . import serializers as s

EVENT_ID = OpenApiParameter("event_id", int, OpenApiParameter.PATH, description=gettext_lazy("开放日ID"))
_PROBLEMS = {404: gettext_lazy("开放日不存在或未公告")}


class EventsView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # public: a stale token is not refused here

    @extend_schema(
        operation_id="opendays_events",
        summary=gettext_lazy("已公告的政府开放日"),
        responses={200: s.OpenDaySerializer(many=True)},
        tags=["opendays"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.OpenDaySerializer(selectors.public_events()[:100], many=True).data)


class DrawsView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # public: a stale token is not refused here

    @extend_schema(
        operation_id="opendays_draws",
        summary=gettext_lazy("开放日的抽签记录"),
        description=gettext_lazy(
            "每轮抽签（0为首轮，其后为替补）的名额、名单摘要（SHA-256）、公开种子、入选名单号"
            "（SHA-256(种子) 除以名单数的余数）、入选报名编号和每位报名人的入选概率。"
        ),
        parameters=[EVENT_ID],
        responses={200: s.OpenDayDrawSerializer(many=True), **problem_responses(_PROBLEMS, (404,))},
        tags=["opendays"],
    )
    def get(self, request: Request, event_id: int) -> Response:
        event = selectors.public_events().filter(pk=event_id).first()
        if event is None:
            raise NotFound()
        return Response(s.OpenDayDrawSerializer(selectors.draws(event), many=True).data)
