"""The ratings API (/api/v1/ratings/): parse with a serializer, call a service or selector, render.

Errors are HuyingError / DRF exceptions that huying.core.drf renders as application/problem+json.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.accounts.api import ApiView
from huying.core import params
from huying.core.drf import problem_responses, validated
from huying.core.errors import PermissionDenied
from huying.core.personal_data import PurposeSerializer
from huying.core.services import client_ip

from .. import selectors, services
from ..permissions import is_supervisor
from ..states import NOT_A_BUTTON, STAFF_ENTRY_ROLES, CaseAction, kind_label
from . import serializers as s

_DESCRIPTIONS = {
    400: gettext_lazy(
        "输入有误（errors 中按字段列出），或已评价（already_rated）、已过评价期限（rating_window_closed）"
    ),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容），或列表的页码超出范围"),
    409: gettext_lazy("当前状态不允许此操作（invalid_transition），或已被他人修改（changed_meanwhile）"),
}
CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("整改单ID"))
COMPLAINT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("申诉ID"))
ACTION = OpenApiParameter(
    "action",
    str,
    OpenApiParameter.PATH,
    enum=[a.value for a in CaseAction if a not in NOT_A_BUTTON],
    description=gettext_lazy(
        "verify 核实（note=核实情况，contact_person）→ rectify 立行立改（note=措施）| explain 说明理由（resolution="
        "scheduled 限期整改须 ledger_entry、rectify_by；explained 解释说明）→ answer 反馈（note 以短信发给评价人）→ "
        "revisit 回访（revisit_view、note）→ close 办结"
    ),
)


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


# --- ratings ----------------------------------------------------------------------------------


class RatingSubmitView(ApiView):
    @extend_schema(
        operation_id="ratings_submit",
        summary=gettext_lazy("提交评价"),
        description=gettext_lazy(
            "一次一评、一事一评：每个事项只能评价一次，办事之日起5个工作日内有效。市民评价本人的事项；"
            "窗口人员（窗口评价器、自助终端）和12345坐席（热线）可代为录入。差评（不满意、非常不满意）须写明原因，"
            "自动生成整改单，承办单位须在5个工作日内整改反馈。"
        ),
        request=s.RatingSubmitSerializer,
        responses={201: s.RatingSerializer, **problems(400, 401, 404)},
        tags=["ratings"],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.RatingSubmitSerializer, request.data)
        staff = request.user if self.actor.role_names() & STAFF_ENTRY_ROLES else None
        rating = services.rating_submit(
            kind=data["kind"],
            ref=data["ref"],
            level=data["level"],
            channel=data["channel"],
            user=request.user,
            staff=staff,
            comment=data.get("comment", ""),
            dimensions=data.get("dimensions"),
        )
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class RatedActView(ApiView):
    @extend_schema(
        operation_id="ratings_act",
        summary=gettext_lazy("可评价事项"),
        description=gettext_lazy(
            "评价页面所需信息：事项名称、评价截止时间、是否已评价。只有事项本人和可代录的工作人员可见。"
        ),
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("ref", str, OpenApiParameter.QUERY, required=True),
        ],
        responses={200: s.RatedActSerializer, **problems(401, 404)},
        tags=["ratings"],
    )
    def get(self, request: Request) -> Response:
        kind, ref = request.query_params.get("kind", ""), request.query_params.get("ref", "")
        act = services.rated_act_resolve(kind=kind, ref=ref)
        mode = services.rating_entry_mode(act=act, user=request.user)
        rating = selectors.rating_for_act(kind=act.kind, ref=act.ref)
        body = {
            "kind": act.kind,
            "kind_label": kind_label(act.kind),
            "ref": act.ref,
            "title": act.title,
            "occurred_at": act.occurred_at,
            "rate_until": services.rating_window_closes_at(act),
            "entry_mode": mode,
            "rating": rating,
        }
        return Response(s.RatedActSerializer(body).data)


# --- cases ------------------------------------------------------------------------------------


class CaseListView(ApiView, generics.ListAPIView):
    serializer_class = s.CaseSerializer

    def get_queryset(self) -> Any:
        filters = validated(s.CaseFilterSerializer, self.request.query_params)
        return selectors.case_list_for(self.actor, status=filters.get("status", "open"))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "actor": self.actor}

    @extend_schema(
        operation_id="ratings_cases_list",
        summary=gettext_lazy("差评整改单列表"),
        description=gettext_lazy("被评价单位（及其上级）的工作人员和督查人员可见；按反馈期限排序。"),
        parameters=[s.CaseFilterSerializer],
        responses={200: s.CaseSerializer(many=True), **problems(400, 401, 404)},
        tags=["ratings"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailView(ApiView):
    @extend_schema(
        operation_id="ratings_cases_retrieve",
        parameters=[CASE_ID],
        summary=gettext_lazy("差评整改单详情"),
        description=gettext_lazy("含 allowed_actions 和 version；评价人电话脱敏。"),
        responses={200: s.CaseSerializer, **problems(401, 404)},
        tags=["ratings"],
    )
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for(actor=self.actor, case_id=pk)
        return Response(s.CaseSerializer(case, context={"actor": self.actor}).data)


class CaseRaterPhoneView(ApiView):
    @extend_schema(
        operation_id="ratings_cases_personal_data",
        parameters=[CASE_ID],
        summary=gettext_lazy("查看评价人完整电话"),
        description=gettext_lazy("整改单位和督办人员回访评价人时使用，须填写事由；每次查看记入审计日志。"),
        request=PurposeSerializer,
        responses={200: s.RaterPhoneSerializer, **problems(400, 401, 403, 404)},
        tags=["ratings"],
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for(actor=self.actor, case_id=pk)
        data = validated(PurposeSerializer, request.data)
        revealed = services.case_reveal_rater_phone(
            actor=self.actor, case=case, purpose=data["purpose"], ip_address=client_ip(request)
        )
        return Response(revealed)


class CaseActionView(ApiView):
    @extend_schema(
        operation_id="ratings_cases_action",
        parameters=[CASE_ID, ACTION],
        summary=gettext_lazy("整改单操作"),
        request=s.CaseActionSerializer,
        responses={200: s.CaseSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["ratings"],
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        data = validated(s.CaseActionSerializer, request.data)
        note = data.pop("note", "")
        version = data.pop("version", None)
        services.case_transition(
            actor=self.actor, case=pk, action=action[:24], note=note, expected_version=version, **data
        )
        case = selectors.case_get_for(actor=self.actor, case_id=pk)
        return Response(s.CaseSerializer(case, context={"actor": self.actor}).data)


class CaseComplaintView(ApiView):
    @extend_schema(
        operation_id="ratings_cases_complaint",
        parameters=[CASE_ID],
        summary=gettext_lazy("申诉（恶意或误评）"),
        description=gettext_lazy("被评价单位提出；每条差评只能申诉一次（already_complained）；复核期间整改继续。"),
        request=s.ComplaintFileSerializer,
        responses={201: s.ComplaintSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["ratings"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.ComplaintFileSerializer, request.data)
        complaint = services.complaint_file(
            actor=self.actor, case=pk, reason=data["reason"], statement=data["statement"]
        )
        return Response(s.ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


# --- complaints -------------------------------------------------------------------------------


class ComplaintListView(ApiView):
    @extend_schema(
        operation_id="ratings_complaints_list",
        summary=gettext_lazy("待复核的申诉"),
        description=gettext_lazy("督查人员辖区内的申诉；?status=all 含已复核的。"),
        parameters=[OpenApiParameter("status", str, OpenApiParameter.QUERY, enum=["pending", "all"])],
        responses={200: s.ComplaintSerializer(many=True), **problems(401, 403)},
        tags=["ratings"],
    )
    def get(self, request: Request) -> Response:
        if not is_supervisor(self.actor):
            raise PermissionDenied()
        tab = "all" if request.query_params.get("status") == "all" else "pending"
        return Response(
            s.ComplaintSerializer(selectors.complaint_list_for(self.actor, status=tab)[:500], many=True).data
        )


class ComplaintReviewView(ApiView):
    @extend_schema(
        operation_id="ratings_complaints_review",
        parameters=[COMPLAINT_ID],
        summary=gettext_lazy("复核申诉"),
        description=gettext_lazy("uphold：申诉成立，差评不计入公开数据，整改单办结；reject：申诉不成立，整改继续。"),
        request=s.ComplaintReviewSerializer,
        responses={200: s.ComplaintSerializer, **problems(400, 401, 404, 409)},
        tags=["ratings"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.ComplaintReviewSerializer, request.data)
        complaint = services.complaint_review(
            actor=self.actor,
            complaint=pk,
            decision=data["decision"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(s.ComplaintSerializer(complaint).data)


# --- figures ----------------------------------------------------------------------------------


class FiguresView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="ratings_figures",
        summary=gettext_lazy("好差评公开数据"),
        description=gettext_lazy("无需登录，不含个人信息。口径见 definitions。"),
        parameters=[s.FiguresQuerySerializer],
        responses={200: s.FiguresSerializer, **problems(400)},
        tags=["ratings"],
    )
    def get(self, request: Request) -> Response:
        query = validated(s.FiguresQuerySerializer, request.query_params)
        month = params.month_param(query.get("month"), name="month")
        qs = selectors.published_ratings(month=month, kind=query.get("kind", ""))
        group = query.get("group", "unit")
        body = {
            "overall": selectors.figures(qs).as_dict(),
            "group": group,
            "rows": [
                {"key": r.key, "label": r.label, "figures": r.figures.as_dict()}
                for r in selectors.figures_by(group, qs)
            ],
            "definitions": {str(k): str(v) for k, v in selectors.DEFINITIONS},
        }
        return Response(s.FiguresSerializer(body).data)
