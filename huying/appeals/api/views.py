"""The appeal API (/api/v1/): parse with a serializer, call a service or selector, render.

Views never save a model: every write goes through huying.appeals.services. Errors are
HuyingError / DRF exceptions that huying.core.drf renders as application/problem+json.
"""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from huying.accounts.api import ApiView
from huying.accounts.roles import CITIZEN, Role
from huying.accounts.selectors import Actor
from huying.accounts.services import login_check
from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.services import client_ip
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import handling_units

from .. import deadlines, selectors, services
from ..models import Appeal, Category
from ..states import FOLLOW_UP_FAILED_TARGET, TRANSITIONS, Action, Channel, Status
from . import serializers as s
from .queries import appeal_filter, category_time_limits, unit_filter

SELF_SERVICE_CHANNELS = frozenset({Channel.WEB, Channel.MOBILE})

_PROBLEM_DESCRIPTIONS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作（invalid_transition），或工单已被他人修改（changed_meanwhile）"),
    429: gettext_lazy("请求过于频繁"),
    503: gettext_lazy("系统繁忙（database_busy）：本次提交没有保存，请按 Retry-After 稍后重试"),
}


def problems(*codes: int) -> dict[Any, Any]:
    """Documented error responses: application/problem+json bodies."""
    return problem_responses(_PROBLEM_DESCRIPTIONS, codes)


APPEAL_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("工单ID"))


class TrackThrottle(AnonRateThrottle):
    """The public tracking endpoints send SMS and check codes: 10 requests a minute per client."""

    scope = "track"
    rate = "10/min"


class TokenThrottle(AnonRateThrottle):
    scope = "auth_token"
    rate = "10/min"


def _field_error(exc: ValidationFailed, field: str) -> ValidationFailed:
    """Attachment checks name the file in their data; point the error at the request field instead."""
    if exc.code.startswith("attachment_"):
        return ValidationFailed(exc.message, code=exc.code, data={"field": field})
    return exc


def _detail(
    appeal: Appeal, actor: Actor, serializer_class: Any = s.AppealDetailSerializer, **context: Any
) -> dict[str, Any]:
    return serializer_class(appeal, context={"actor": actor, **context}).data  # type: ignore[no-any-return]


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
        ),
        request={
            "application/json": s.AppealSubmitSerializer,
            "multipart/form-data": s.AppealSubmitMultipartSerializer,
        },
        responses={201: s.AppealSubmitResultSerializer, **problems(400, 401, 403, 503)},
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
        try:
            result = services.appeal_submit(actor=request.user, citizen=citizen, **data)
        except ValidationFailed as exc:
            raise _field_error(exc, "attachments") from exc
        body = _detail(
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
        body = _detail(
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
        return Response(_detail(appeal, self.actor))


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
        responses={201: s.EventSerializer, **problems(400, 401, 403, 404)},
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
            raise _field_error(exc, "file") from exc
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


# --- actions of the state machine ------------------------------------------------------------

ACTION_INPUTS: dict[str, type[s.ActionSerializer]] = {
    Action.DISPATCH: s.DispatchActionSerializer,
    Action.APPROVE_RETURN: s.DispatchActionSerializer,
    Action.REFER: s.ReferActionSerializer,
    Action.MERGE: s.MergeActionSerializer,
    Action.REQUEST_EXTENSION: s.RequestExtensionActionSerializer,
    Action.APPROVE_EXTENSION: s.ApproveExtensionActionSerializer,
    Action.FOLLOW_UP: s.FollowUpActionSerializer,
}


def _role_label(role: str) -> str:
    return str(gettext_lazy("市民（本人）")) if role == CITIZEN else str(Role(role).label)


def _action_description(action: Action) -> str:
    """Where the action applies, who may take it and whether a note is needed, from TRANSITIONS."""
    rows = [t for t in TRANSITIONS.transitions if t.action == action]
    lines = []
    for t in rows:
        roles = "、".join(sorted(_role_label(r) for r in t.roles))
        note = str(gettext_lazy("，须填写说明")) if t.needs_note else ""
        lines.append(f"- {Status(t.source).label} → {Status(t.target).label}（{roles}{note}）")
    if action == Action.FOLLOW_UP:
        lines.append(
            str(gettext_lazy("未解决或不满意时转为「%(status)s」，由热线退回重办。"))
            % {"status": Status(FOLLOW_UP_FAILED_TARGET).label}
        )
    return "\n".join(lines)


class AppealActionView(ApiView):
    action_code: str
    input_class: type[s.ActionSerializer] = s.ActionSerializer

    def perform(self, request: Request, pk: int) -> Response:
        data = validated(self.input_class, request.data)
        note = data.pop("note", "")
        expected_version = data.pop("version", None)
        if self.action_code == Action.MERGE:
            data["merge_into"] = self._merge_target(data["merge_into"])
        if data.get("extension_days", 0) is None:
            data.pop("extension_days")
        services.appeal_transition(
            actor=request.user,
            appeal=pk,
            action=self.action_code,
            note=note,
            expected_version=expected_version,
            **data,
        )
        appeal = selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        return Response(_detail(appeal, self.actor))

    def _merge_target(self, value: str) -> Appeal:
        value = value.strip()
        try:
            return selectors.appeal_get_for(actor=self.actor, number=value)
        except NotFound:
            pass
        if value.isdigit() and len(value) <= 12:
            try:
                return selectors.appeal_get_for(actor=self.actor, appeal_id=int(value))
            except NotFound:
                pass
        message = _("目标工单不存在或已办结。")
        raise ValidationFailed(message, data={"merge_into": message})


def _make_action_view(action: Action) -> type[AppealActionView]:
    input_class = ACTION_INPUTS.get(action, s.ActionSerializer)

    def post(self: AppealActionView, request: Request, pk: int) -> Response:
        return self.perform(request, pk)

    schema = extend_schema(
        operation_id=f"appeals_action_{action.value}",
        parameters=[APPEAL_ID],
        summary=f"{action.label}（{action.value}）",
        description=_action_description(action),
        request=input_class,
        responses={200: s.AppealDetailSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["appeal-actions"],
    )
    name = "".join(part.title() for part in action.value.split("_"))
    attrs = {"post": schema(post), "action_code": action.value, "input_class": input_class, "__module__": __name__}
    return type(f"Appeal{name}ActionView", (AppealActionView,), attrs)


# Joint replies close many orders at once and go through a key problem (huying.dispatch), not one order.
ACTION_VIEWS: dict[str, type[AppealActionView]] = {
    action.value: _make_action_view(action) for action in Action if action != Action.JOINT_REPLY
}


@extend_schema(exclude=True)
class UnknownActionView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        action = str(kwargs.get("action", ""))[:40]
        raise NotFound(_("未知操作：%(action)s。") % {"action": action}, code="unknown_action", data={"action": action})


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """Any other path under /api/v1/: a problem+json 404 rather than an HTML page."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        path = request.path_info
        if not path.endswith("/"):
            try:
                match = resolve(f"{path}/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not ApiNotFoundView:
                raise NotFound(_("接口地址须以斜杠结尾：%(path)s/") % {"path": request.path})
        raise NotFound(_("接口不存在。"))


# --- catalogue --------------------------------------------------------------------------------


class CategoryListView(ApiView, generics.ListAPIView):
    serializer_class = s.CategorySerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> Any:
        return selectors.category_choices().order_by("code")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            categories: list[Category] = list(args[0])
            kwargs["context"] = {**self.get_serializer_context(), "time_limits": category_time_limits(categories)}
            return self.serializer_class(categories, *args[1:], **kwargs)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        operation_id="categories_list",
        summary=gettext_lazy("派单目录"),
        description=gettext_lazy("可选的诉求分类（末级），含默认承办单位和各紧急程度的默认办理时限。"),
        responses={200: s.CategorySerializer(many=True), **problems(404)},
        tags=["catalogue"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitListView(ApiView, generics.ListAPIView):
    serializer_class = s.UnitSerializer

    def get_queryset(self) -> Any:
        filters = validated(s.UnitFilterSerializer, self.request.query_params)
        return unit_filter(handling_units().select_related("division"), filters).order_by("path")

    @extend_schema(
        operation_id="units_list",
        summary=gettext_lazy("承办单位"),
        description=gettext_lazy("可派单的单位。"),
        parameters=[s.UnitFilterSerializer],
        responses={200: s.UnitSerializer(many=True), **problems(400, 401, 404)},
        tags=["catalogue"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SuggestUnitView(ApiView):
    @extend_schema(
        operation_id="suggest_unit",
        summary=gettext_lazy("派单建议"),
        description=gettext_lazy("按派单目录（含属地派单规则）建议主办单位，并给出该分类和紧急程度的办理时限。"),
        parameters=[s.SuggestUnitQuerySerializer],
        responses={200: s.SuggestUnitSerializer, **problems(400, 401)},
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        data = validated(s.SuggestUnitQuerySerializer, request.query_params)
        division = None
        raw_division = (data.get("division") or "").strip()
        if raw_division:
            division = s.division_lookup(raw_division)
            if division is None and raw_division.isdigit() and len(raw_division) <= 9:
                division = s.division_lookup(int(raw_division))
            if division is None:
                message = _("行政区划不存在：%(value)s。") % {"value": raw_division[:20]}
                raise ValidationFailed(message, data={"division": message})
        category = data.get("category")
        unit: OrgUnit | None = selectors.suggest_unit(category, division)
        amount, time_unit = deadlines.time_limit_for(category, data["urgency"])
        return Response(
            {
                "unit": s.UnitRefSerializer(unit).data if unit else None,
                "urgency": data["urgency"],
                "time_limit": {"amount": amount, "unit": str(time_unit)},
            }
        )


# --- citizen tracking without an account -----------------------------------------------------


class TrackSendCodeView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [TrackThrottle]

    @extend_schema(
        operation_id="track_send_code",
        summary=gettext_lazy("发送查询验证码"),
        description=gettext_lazy(
            "工单号与电话相符时向该电话发送验证码。无论是否相符都返回相同结果，以免工单号被探测。每分钟最多10次。"
        ),
        request=s.TrackSendSerializer,
        responses={202: s.MessageSerializer, **problems(400, 429)},
        tags=["tracking"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.TrackSendSerializer, request.data)
        services.tracking_code_send(number=data["number"], phone=data["phone"])
        return Response({"detail": _("如工单号与电话相符，验证码已发送到该电话。")}, status=status.HTTP_202_ACCEPTED)


class TrackVerifyView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [TrackThrottle]

    @extend_schema(
        operation_id="track_verify",
        summary=gettext_lazy("凭验证码查询诉求进度"),
        description=gettext_lazy("验证码正确时返回工单的公开信息和公开进度；验证码只能用一次，错5次作废。"),
        request=s.TrackVerifySerializer,
        responses={200: s.PublicAppealSerializer, **problems(400, 429)},
        tags=["tracking"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.TrackVerifySerializer, request.data)
        appeal = services.tracking_code_verify(number=data["number"], code=data["code"])
        return Response(s.PublicAppealSerializer(appeal).data)


# --- tokens for integrations -------------------------------------------------------------------


class AuthTokenView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="auth_token",
        summary=gettext_lazy("获取接口令牌"),
        description=gettext_lazy(
            "对接系统用用户名和密码换取令牌，之后在请求头中携带 Authorization: Token <token>。"
            "登录失败次数过多时暂时拒绝（429）。"
        ),
        request=s.AuthCredentialsSerializer,
        responses={200: s.TokenSerializer, **problems(400, 429)},
        tags=["auth"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.AuthCredentialsSerializer, request.data)
        user = login_check(request=request, username=data["username"], password=data["password"])
        # What rest_framework.authtoken's own view does: one token per user, made on first use.
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
