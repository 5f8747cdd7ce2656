"""The hall API (/api/v1/hall/): parse with a serializer, call a service or selector, render.

Errors are HuyingError / DRF exceptions that huying.core.drf renders as application/problem+json.
Taking a number and following a ticket need no account (the public id is the ticket); the window
actions need a clerk of the hall, the figures a hall manager, supervisor or administrator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.catalogue.models import Bundle, ServiceItem
from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound, ValidationFailed
from huying.core.ratelimit import limit

from .. import errors, selectors, services
from ..states import Action
from . import serializers as s

_PROBLEMS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作、窗口有未办结的号，或排队号已被他人修改"),
    429: gettext_lazy("请求过于频繁"),
}


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_PROBLEMS, codes)


HALL_ID = OpenApiParameter("hall_id", int, OpenApiParameter.PATH, description=gettext_lazy("大厅ID"))
WINDOW_ID = OpenApiParameter("window_id", int, OpenApiParameter.PATH, description=gettext_lazy("窗口ID"))
PUBLIC_ID = OpenApiParameter("public_id", str, OpenApiParameter.PATH, description=gettext_lazy("排队号公开编号"))


class TakeView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="hall_ticket_take",
        summary=gettext_lazy("取号（手机取号）"),
        description=gettext_lazy(
            "按事项实施编码（item）或一件事编码（bundle）取号，两者都不填为咨询。登录的市民取号时号码记在其账号下。"
            "返回的 public_id 用于查询进度。按客户端地址和电话限次（设置 HUYING_RATE_LIMITS 的 ticket_take，"
            "与取号机页面共用计数），超过时返回429和Retry-After。"
        ),
        parameters=[HALL_ID],
        request=s.HallTakeSerializer,
        responses={201: s.HallTicketSerializer, **problems(400, 404, 429)},
        tags=["hall"],
    )
    def post(self, request: Request, hall_id: int) -> Response:
        hall = selectors.hall_get(hall_id)
        data = validated(s.HallTakeSerializer, request.data)
        limit(request, "ticket_take", phone=data.get("phone", ""))
        item = bundle = None
        if data.get("item"):
            item = ServiceItem.objects.filter(code=data["item"]).first()
            if item is None:
                raise ValidationFailed(data={"item": _("该事项不存在，请重新选择。")})
        if data.get("bundle"):
            bundle = Bundle.objects.filter(code=data["bundle"]).first()
            if bundle is None:
                raise ValidationFailed(data={"bundle": _("该一件事不存在，请重新选择。")})
        actor = self.actor
        ticket = services.ticket_take(
            hall=hall,
            item=item,
            bundle=bundle,
            phone=data.get("phone", ""),
            user=request.user if actor.is_citizen else None,
            channel=data["channel"],
        )
        return Response(s.ticket_data(ticket, selectors.ticket_progress(ticket)), status=status.HTTP_201_CREATED)


class TicketView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="hall_ticket_status",
        summary=gettext_lazy("排队进度"),
        description=gettext_lazy(
            "排队号状态、前面等候人数、预计等待分钟（前面人数 × 近期平均办理时长 ÷ 开放窗口数）。"
        ),
        parameters=[PUBLIC_ID],
        responses={200: s.HallTicketSerializer, **problems(404)},
        tags=["hall"],
    )
    def get(self, request: Request, public_id: str) -> Response:
        ticket = selectors.ticket_by_public_id(public_id)
        return Response(s.ticket_data(ticket, selectors.ticket_progress(ticket)))


class CallNextView(ApiView):
    @extend_schema(
        operation_id="hall_window_call_next",
        summary=gettext_lazy("叫下一位"),
        description=gettext_lazy(
            "综合窗口叫最早取号的任意事项，专业窗口只叫本窗口服务部门的事项。没有可叫的号时返回 204。"
        ),
        parameters=[WINDOW_ID],
        request=None,
        responses={
            200: s.HallTicketSerializer,
            204: OpenApiResponse(description=gettext_lazy("没有可叫的号")),
            **problems(400, 401, 403, 404, 409),
        },
        tags=["hall"],
    )
    def post(self, request: Request, window_id: int) -> Response:
        window = selectors.window_for_clerk(self.actor, window_id)
        ticket = services.window_call_next(window=window, clerk=request.user)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ticket_data(ticket))


def _window_action(action: str, summary: Any) -> type[ApiView]:
    fn = {
        Action.RECALL: services.ticket_recall,
        Action.START: services.ticket_start,
        Action.FINISH: services.ticket_finish,
        Action.NO_SHOW: services.ticket_no_show,
    }[Action(action)]

    class WindowActionView(ApiView):
        @extend_schema(
            operation_id=f"hall_window_{action}",
            summary=summary,
            description=gettext_lazy("作用于该窗口当前的排队号（已叫号或办理中）。"),
            parameters=[WINDOW_ID],
            request=s.HallActSerializer,
            responses={200: s.HallTicketSerializer, **problems(400, 401, 403, 404, 409)},
            tags=["hall"],
        )
        def post(self, request: Request, window_id: int) -> Response:
            window = selectors.window_for_clerk(self.actor, window_id)
            data = validated(s.HallActSerializer, request.data)
            current = services.window_current_ticket(window)
            if current is None:
                raise NotFound(_("本窗口当前没有排队号。"), code=errors.NO_CURRENT_TICKET)
            ticket = fn(ticket=current, clerk=request.user, expected_version=data.get("version"))
            return Response(s.ticket_data(ticket))

    WindowActionView.__name__ = WindowActionView.__qualname__ = f"Window{action.title().replace('_', '')}View"
    return WindowActionView


WINDOW_ACTION_VIEWS = {
    "recall": _window_action(Action.RECALL, gettext_lazy("重呼")),
    "start": _window_action(Action.START, gettext_lazy("开始办理")),
    "finish": _window_action(Action.FINISH, gettext_lazy("办结")),
    "no-show": _window_action(Action.NO_SHOW, gettext_lazy("过号")),
}


class DisplayView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="hall_display",
        summary=gettext_lazy("叫号屏状态"),
        description=gettext_lazy("最近的叫号（“请 A012 号到 5 号窗口”）、各窗口当前号、各队列等候人数。"),
        parameters=[HALL_ID],
        responses={200: s.HallDisplaySerializer, **problems(404)},
        tags=["hall"],
    )
    def get(self, request: Request, hall_id: int) -> Response:
        return Response(selectors.hall_display_state(selectors.hall_get(hall_id)))


class FiguresView(ApiView):
    @extend_schema(
        operation_id="hall_figures",
        summary=gettext_lazy("大厅运行数据"),
        description=gettext_lazy(
            "按取号日期统计（默认最近30天，最长366天）：平均等待、90%分位等待、平均办理时长、按时段取号量、"
            "综合窗口占开放窗口和办结量的比例。"
        ),
        parameters=[HALL_ID, s.HallFiguresQuerySerializer],
        responses={200: s.HallFiguresSerializer, **problems(400, 401, 404)},
        tags=["hall"],
    )
    def get(self, request: Request, hall_id: int) -> Response:
        hall = selectors.hall_for_figures(self.actor, hall_id)
        query = validated(s.HallFiguresQuerySerializer, request.query_params)
        end: dt.date = query.get("end") or timezone.localdate()
        start: dt.date = query.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise ValidationFailed(data={"start": _("开始日期不能晚于结束日期。")})
        if (end - start).days + 1 > selectors.MAX_FIGURE_DAYS:
            raise ValidationFailed(data={"start": _("统计区间最长%(n)d天。") % {"n": selectors.MAX_FIGURE_DAYS}})
        return Response(selectors.figures_as_dict(selectors.hall_figures(hall, start=start, end=end)))
