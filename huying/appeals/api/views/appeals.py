"""Appeals: list and intake, the hotline's recorded call, detail, timeline, personal data, assist reports and attachments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.accounts.roles import Role
from huying.core.drf import validated
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.ratelimit import limit
from huying.core.services import client_ip

from ... import selectors, services
from .. import serializers as s
from ..queries import appeal_filter
from .common import APPEAL_ID, SELF_SERVICE_CHANNELS, appeal_data, field_error, problems

# --- appeals ---------------------------------------------------------------------------------


class AppealListView(ApiView, generics.ListAPIView):
    """GET: the appeals visible to the actor. POST: submit a new appeal."""

    serializer_class = s.AppealListItemSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_permissions(self) -> list[BasePermission]:
        # Citizens may submit without an account through the self-service channels.
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self) -> Any:
        filters = validated(s.AppealFilterSerializer, self.request.query_params)
        qs = selectors.appeal_list_for(self.actor).select_related("category__parent")
        return appeal_filter(qs, filters).order_by("-submitted_at", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "actor": self.actor}

    @extend_schema(
        operation_id="appeals_list",
        summary=gettext_lazy("诉求工单列表"),
        description=gettext_lazy(
            "当前用户可见的工单：市民只看到自己的，承办单位只看到派给本单位（主办或协办）的，热线和督办看到全部或辖区内的。"
        ),
        parameters=[s.AppealFilterSerializer],
        responses={200: s.AppealListItemSerializer(many=True), **problems(400, 401, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="appeals_submit",
        summary=gettext_lazy("提交诉求"),
        description=gettext_lazy(
            "市民（可不登录）通过 web、mobile 渠道提交；工作人员和对接系统可用任意渠道登记。"
            "同一诉求人就同一事项已有在办工单时，新诉求并入该工单，返回的 repeat_of 给出该工单的编号和状态。"
            "附件请用 multipart/form-data 提交（attachments 字段，可多个）。"
            "未登录和市民提交按客户端地址和诉求人电话限次（设置 HUYING_RATE_LIMITS 的 appeal_submit，与网页表单共用计数），"
            "超过时返回429和Retry-After，不建工单。"
        ),
        request={
            "application/json": s.AppealSubmitSerializer,
            "multipart/form-data": s.AppealSubmitMultipartSerializer,
        },
        responses={201: s.AppealSubmitResultSerializer, **problems(400, 401, 403, 429, 503)},
        tags=["appeals"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        multipart = (request.content_type or "").startswith("multipart/")
        serializer_class = s.AppealSubmitMultipartSerializer if multipart else s.AppealSubmitSerializer
        data = validated(serializer_class, request.data)
        actor = self.actor
        if data["channel"] not in SELF_SERVICE_CHANNELS and not actor.is_staff_role:
            if not actor.is_authenticated:
                raise exceptions.NotAuthenticated(_("通过该渠道登记诉求需要工作人员登录。"))
            raise PermissionDenied(_("市民只能通过网站或手机渠道提交诉求。"))
        citizen = request.user if actor.is_citizen else None
        if citizen is not None and not data["is_anonymous"]:
            data["requester_phone"] = data["requester_phone"] or getattr(citizen, "phone", "")
            data["requester_name"] = data["requester_name"] or getattr(citizen, "display_name", "")
        if not actor.is_staff_role:
            limit(request, "appeal_submit", phone=data["requester_phone"])
        try:
            result = services.appeal_submit(actor=request.user, citizen=citizen, **data)
        except ValidationFailed as exc:
            raise field_error(exc, "attachments") from exc
        body = appeal_data(
            result.appeal, actor, s.AppealSubmitResultSerializer, repeat_of=result.repeat_of, warnings=result.warnings
        )
        return Response(body, status=status.HTTP_201_CREATED)


class AppealRecordCallView(ApiView):
    @extend_schema(
        operation_id="appeals_record_call",
        summary=gettext_lazy("坐席登记来电并受理、派单"),
        description=gettext_lazy(
            "热线坐席一步完成登记、受理和派单（services.appeal_record_call）。不填 lead_unit 时只受理，留待派单。"
            "同一诉求人就同一事项已有在办工单时只并单，不受理也不派单。"
        ),
        request=s.AppealRecordCallSerializer,
        responses={201: s.AppealRecordCallResultSerializer, **problems(400, 401, 403, 409, 503)},
        tags=["appeals"],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.AppealRecordCallSerializer, request.data)
        actor = self.actor
        if not (actor.has_role(Role.OPERATOR) or actor.has_role(Role.SUPERVISOR)):
            raise PermissionDenied(_("只有热线坐席可以登记来电。"))
        result = services.appeal_record_call(actor=request.user, **data)
        body = appeal_data(
            result.appeal,
            actor,
            s.AppealRecordCallResultSerializer,
            repeat_of=result.repeat_of,
            warnings=result.warnings,
        )
        return Response(body, status=status.HTTP_201_CREATED)


class AppealDetailView(ApiView):
    @extend_schema(
        operation_id="appeals_retrieve",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("工单详情"),
        description=gettext_lazy(
            "含 allowed_actions（当前用户此刻可执行的操作）和 version。诉求人电话、身份证号始终脱敏；"
            "为诉求人保密的工单，承办单位看不到诉求人的任何信息。"
        ),
        responses={200: s.AppealDetailSerializer, **problems(401, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:
        appeal = selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        return Response(appeal_data(appeal, self.actor))


class AppealTimelineView(ApiView):
    @extend_schema(
        operation_id="appeals_timeline",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("办理进度"),
        description=gettext_lazy("工单的全部历史；市民只看到公开的进度，且不显示工作人员姓名。"),
        responses={200: s.EventSerializer(many=True), **problems(401, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = self.actor
        appeal = selectors.appeal_get_for(actor=actor, appeal_id=pk)
        public_only = not actor.is_staff_role
        events = selectors.appeal_timeline(appeal, public_only=public_only)
        return Response(s.EventSerializer(events, many=True, context={"public_only": public_only}).data)


class AppealPersonalDataView(ApiView):
    @extend_schema(
        operation_id="appeals_personal_data",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("查看诉求人完整信息"),
        description=gettext_lazy(
            "返回诉求人完整电话和身份证号。仅热线坐席、督办人员和诉求人本人可用，须填写事由；每次查看记入审计日志。"
        ),
        request=s.PersonalDataRequestSerializer,
        responses={200: s.PersonalDataSerializer, **problems(400, 401, 403, 404)},
        tags=["appeals"],
    )
    def post(self, request: Request, pk: int) -> Response:
        appeal = selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        data = validated(s.PersonalDataRequestSerializer, request.data)
        revealed = services.appeal_reveal_personal_data(
            actor=request.user, appeal=appeal, purpose=data["purpose"], ip_address=client_ip(request)
        )
        return Response({"requester_name": appeal.requester_name, **revealed})


class AppealAssistReportView(ApiView):
    @extend_schema(
        operation_id="appeals_assist_report",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("协办单位反馈"),
        description=gettext_lazy("协办单位向主办单位反馈办理情况；工单状态不变。"),
        request=s.NoteSerializer,
        responses={201: s.EventSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["appeals"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.NoteSerializer, request.data)
        event = services.appeal_assist_report(actor=request.user, appeal_id=pk, note=data["note"])
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)


class AppealAttachmentsView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="appeals_attachments_list",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("附件列表"),
        responses={200: s.AttachmentSerializer(many=True), **problems(401, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:
        appeal = selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        return Response(s.AttachmentSerializer(appeal.attachments.order_by("created_at", "pk"), many=True).data)

    @extend_schema(
        operation_id="appeals_attachments_upload",
        parameters=[APPEAL_ID],
        summary=gettext_lazy("上传附件"),
        description=gettext_lazy("multipart/form-data，字段 file。按文件内容识别类型；超过大小限制返回 400。"),
        request=s.AttachmentUploadSerializer,
        responses={201: s.AttachmentSerializer, **problems(400, 401, 404, 409)},
        tags=["appeals"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.AttachmentUploadSerializer, request.data)
        try:
            attachment = services.appeal_attachment_add(actor=request.user, appeal_id=pk, upload=data["file"])
        except ValidationFailed as exc:
            raise field_error(exc, "file") from exc
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
