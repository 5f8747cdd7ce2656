"""The 办件 API (/api/v1/applications/): parse with a serializer, call a service or selector, render.

Errors are HuyingError / DRF exceptions that huying.core.drf renders as application/problem+json.
Token or session authentication; "not found" and "forbidden to see" answer the same 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.catalogue.models import Bundle, ServiceItem
from huying.core import params
from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.services import client_ip
from huying.core.uploads import private_file_response

from .. import selectors, services
from ..models import AssistedService, ProxyAuthorisation, ReviewTask
from ..states import SYSTEM, TRANSITIONS, Action
from . import serializers as s

_PROBLEMS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("办件不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作（invalid_transition），或办件已被他人修改（changed_meanwhile）"),
}


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_PROBLEMS, codes)


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description=gettext_lazy("办件编号"))
MATERIAL_KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description=gettext_lazy("材料标识"))
FILE_ID = OpenApiParameter("file_id", int, OpenApiParameter.PATH, description=gettext_lazy("材料电子件ID"))
TASK_ID = OpenApiParameter("task_id", int, OpenApiParameter.PATH, description=gettext_lazy("审批环节ID"))


def _detail(application: Any, actor: Actor) -> dict[str, Any]:
    return s.ApplicationDetailSerializer(application, context={"actor": actor}).data  # type: ignore[no-any-return]


class ApplicationListView(ApiView):
    @extend_schema(
        operation_id="applications_list",
        summary=gettext_lazy("办件列表"),
        description=gettext_lazy(
            "当前用户可见的办件（市民：本人及代办的；窗口：全部；审批部门：涉及本部门的），最近 100 件，可按 status 过滤。"
        ),
        parameters=[OpenApiParameter("status", str, description=gettext_lazy("状态"))],
        responses={200: s.ApplicationListSerializer(many=True), **problems(401)},
        tags=["applications"],
    )
    def get(self, request: Request) -> Response:
        qs = selectors.visible_applications(self.actor)
        wanted = params.text_param(request.query_params.get("status"), name="status", max_length=24)
        if wanted:
            qs = qs.filter(status=wanted)
        return Response(s.ApplicationListSerializer(qs.order_by("-received_at", "-pk")[:100], many=True).data)

    @extend_schema(
        operation_id="applications_receive",
        summary=gettext_lazy("收件（窗口收件或网上申请）"),
        description=gettext_lazy(
            "item（事项实施编码）与 bundle（一件事编码）二选一。channel=window 须综合窗口受理人员；online 为申请人本人，"
            "或帮办代办员凭已登记的授权委托（proxy）代为申请。持有有效电子证照的材料自动标记为免提交。"
        ),
        request=s.ApplicationReceiveSerializer,
        responses={201: s.ApplicationDetailSerializer, **problems(400, 401, 403)},
        tags=["applications"],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ApplicationReceiveSerializer, request.data)
        item = bundle = proxy = project = None
        if data.get("item"):
            item = ServiceItem.objects.filter(code=data["item"], is_active=True).first()
            if item is None:
                raise ValidationFailed(data={"item": _("该事项不存在或已停用。")})
        if data.get("bundle"):
            bundle = Bundle.objects.filter(code=data["bundle"], is_active=True).first()
            if bundle is None:
                raise ValidationFailed(data={"bundle": _("该一件事不存在或已停用。")})
        if data.get("proxy"):
            proxy = ProxyAuthorisation.objects.filter(pk=data["proxy"]).first()
            if proxy is None:
                raise ValidationFailed(data={"proxy": _("授权委托不存在。")})
        if data.get("project"):
            project = selectors.projects_for(self.actor).filter(pk=data["project"]).first()
            if project is None:
                raise ValidationFailed(data={"project": _("项目不存在。")})
        app = services.application_receive(
            actor=self.actor,
            item=item,
            bundle=bundle,
            channel=data["channel"],
            applicant_kind=data["applicant_kind"],
            applicant_name=data["applicant_name"],
            applicant_code=data["applicant_code"],
            applicant_phone=data["applicant_phone"],
            form_data=data.get("form_data") or {},
            materials=data.get("materials") or None,
            proxy=proxy,
            project=project,
            ticket_number=data.get("ticket", ""),
        )
        return Response(_detail(app, self.actor), status=status.HTTP_201_CREATED)


class ApplicationDetailView(ApiView):
    @extend_schema(
        operation_id="applications_detail",
        summary=gettext_lazy("办件详情"),
        parameters=[NUMBER],
        responses={200: s.ApplicationDetailSerializer, **problems(401, 404)},
        tags=["applications"],
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(_detail(selectors.application_get(self.actor, number), self.actor))


class ApplicationTimelineView(ApiView):
    @extend_schema(
        operation_id="applications_timeline",
        summary=gettext_lazy("办理进度"),
        parameters=[NUMBER],
        responses={200: s.ApplicationTimelineRowSerializer(many=True), **problems(401, 404)},
        tags=["applications"],
    )
    def get(self, request: Request, number: str) -> Response:
        actor = self.actor
        app = selectors.application_get(actor, number)
        staff = actor.is_staff_role
        return Response(s.ApplicationTimelineRowSerializer(selectors.timeline(app, staff=staff), many=True).data)


class ApplicationPersonalDataView(ApiView):
    @extend_schema(
        operation_id="applications_personal_data",
        summary=gettext_lazy("查看申请人完整信息"),
        description=gettext_lazy(
            "返回申请人完整的证件号码、电话及表单中的身份证号码和电话。仅综合窗口、审批部门、督办人员和申请人本人可用，"
            "须填写事由；每次查看记入审计日志。"
        ),
        parameters=[NUMBER],
        request=s.ApplicationRevealSerializer,
        responses={200: s.ApplicationPersonalDataSerializer, **problems(400, 401, 403, 404)},
        tags=["applications"],
    )
    def post(self, request: Request, number: str) -> Response:
        app = selectors.application_get(self.actor, number)
        data = validated(s.ApplicationRevealSerializer, request.data)
        values = services.application_reveal_personal_data(
            actor=self.actor, application=app, purpose=data["purpose"], ip_address=client_ip(request)
        )
        form = {k.removeprefix("form."): v for k, v in values.items() if k.startswith("form.")}
        return Response(
            {
                "applicant_name": app.applicant_name,
                "applicant_code": values["applicant_code"],
                "applicant_phone": values["applicant_phone"],
                "form_data": form,
            }
        )


class ApplicationMaterialsView(ApiView):
    @extend_schema(
        operation_id="applications_materials",
        summary=gettext_lazy("更新材料清单"),
        description=gettext_lazy("窗口：受理前调整材料收取情况；受理后登记容缺材料已补齐。"),
        parameters=[NUMBER],
        request=s.ApplicationMaterialsSerializer,
        responses={200: s.ApplicationDetailSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["applications"],
    )
    def post(self, request: Request, number: str) -> Response:
        data = validated(s.ApplicationMaterialsSerializer, request.data)
        app = services.application_materials_update(
            actor=self.actor, application=number, materials=data["materials"], expected_version=data.get("version")
        )
        return Response(_detail(app, self.actor))


class MaterialFilesView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="applications_material_file_upload",
        summary=gettext_lazy("上传材料电子件"),
        description=gettext_lazy(
            "multipart/form-data，字段 file（JPG、PNG 或 PDF）。申请人、代办人或窗口上传；受理前任何材料，"
            "受理后仅容缺待补的材料。材料标记为已上传电子件。"
        ),
        parameters=[NUMBER, MATERIAL_KEY],
        request=s.MaterialFileUploadSerializer,
        responses={201: s.MaterialFileSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["applications"],
    )
    def post(self, request: Request, number: str, key: str) -> Response:
        data = validated(s.MaterialFileUploadSerializer, request.data)
        stored = services.material_file_upload(actor=self.actor, application=number, key=key, upload=data["file"])
        return Response(s.MaterialFileSerializer(stored).data, status=status.HTTP_201_CREATED)


class MaterialFileDownloadView(ApiView):
    @extend_schema(
        operation_id="applications_material_file_download",
        summary=gettext_lazy("下载材料电子件"),
        description=gettext_lazy("文件内容。工作人员查看记入审计日志。"),
        parameters=[NUMBER, FILE_ID],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **problems(401, 404)},
        tags=["applications"],
    )
    def get(self, request: Request, number: str, file_id: int) -> FileResponse:
        stored = services.material_file_open(actor=self.actor, application=number, file_id=file_id)
        return private_file_response(stored.file, content_type=stored.content_type, name=stored.original_name)


def _action_view(action: str) -> type[ApiView]:
    class ActionView(ApiView):
        @extend_schema(
            operation_id=f"applications_action_{action}",
            summary=Action(action).label,
            description=gettext_lazy(
                "按状态表执行操作。accept/accept_with_promise 后自动分送后台审批。"
                "approve/refuse 为审批人员对本部门当前环节作出意见（最后一个环节同意即准予，任一不同意即不予许可）。"
            ),
            parameters=[NUMBER],
            request=s.ApplicationActionSerializer,
            responses={200: s.ApplicationDetailSerializer, **problems(400, 401, 403, 404, 409)},
            tags=["applications"],
        )
        def post(self, request: Request, number: str) -> Response:
            data = validated(s.ApplicationActionSerializer, request.data)
            payload = {k: v for k, v in data.items() if k not in ("version", "note")}
            with transaction.atomic():
                app = services.application_transition(
                    actor=self.actor,
                    application=number,
                    action=action,
                    note=data.get("note", ""),
                    expected_version=data.get("version"),
                    **payload,
                )
                if action in (Action.ACCEPT, Action.ACCEPT_WITH_PROMISE):
                    app = services.application_transition(actor=self.actor, application=app, action=Action.START_REVIEW)
            return Response(_detail(app, self.actor))

    ActionView.__name__ = ActionView.__qualname__ = f"Application{action.title().replace('_', '')}View"
    return ActionView


# The sweep's actions (deemed acceptance, 容缺 expiry) are not offered to people.
ACTION_VIEWS = {
    a.value.replace("_", "-"): _action_view(a.value)
    for a in Action
    if not all(t.roles == frozenset({SYSTEM}) for t in TRANSITIONS.transitions if t.action == a)
}


class TaskListView(ApiView):
    @extend_schema(
        operation_id="applications_tasks",
        summary=gettext_lazy("审批待办"),
        description=gettext_lazy("本部门（审批人员所在单位及下级）正在审查的环节，按期限排序。"),
        responses={200: s.ApplicationTaskSerializer(many=True), **problems(401)},
        tags=["applications"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.ApplicationTaskSerializer(selectors.reviewer_tasks(self.actor)[:200], many=True).data)


class TaskDecideView(ApiView):
    @extend_schema(
        operation_id="applications_task_decide",
        summary=gettext_lazy("审批环节作出意见"),
        description=gettext_lazy(
            "同意或不同意，均须写明审查意见（否则 400 opinion_required）；同意前审查人须已打开每项材料的电子件"
            "（否则 409 materials_not_opened）。同一阶段各部门并联审查，顺序不限。"
        ),
        parameters=[TASK_ID],
        request=s.ApplicationDecideSerializer,
        responses={200: s.ApplicationTaskSerializer, **problems(400, 401, 404, 409)},
        tags=["applications"],
    )
    def post(self, request: Request, task_id: int) -> Response:
        data = validated(s.ApplicationDecideSerializer, request.data)
        task = ReviewTask.objects.filter(pk=task_id).first()
        if task is None:
            raise NotFound()
        task = services.review_task_decide(
            actor=self.actor,
            task=task,
            approve=data["approve"],
            opinion=data.get("opinion", ""),
            expected_version=data.get("version"),
        )
        return Response(s.ApplicationTaskSerializer(task).data)


class ProxyListView(ApiView):
    @extend_schema(
        operation_id="applications_proxies",
        summary=gettext_lazy("授权委托列表"),
        responses={200: s.ApplicationProxySerializer(many=True), **problems(401, 403)},
        tags=["applications"],
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        if not (actor.has_role(Role.AGENT) or actor.has_role(Role.CLERK)):
            raise PermissionDenied()
        rows = ProxyAuthorisation.objects.select_related("agent").order_by("-created_at")
        if not actor.has_role(Role.CLERK):
            rows = rows.filter(agent=actor.user)
        return Response(s.ApplicationProxySerializer(rows[:200], many=True).data)

    @extend_schema(
        operation_id="applications_proxy_create",
        summary=gettext_lazy("登记授权委托"),
        request=s.ApplicationProxyInSerializer,
        responses={201: s.ApplicationProxySerializer, **problems(400, 401, 403)},
        tags=["applications"],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ApplicationProxyInSerializer, request.data)
        agent: Any = request.user
        if data.get("agent"):
            agent = User.objects.filter(username=data["agent"]).first()
        proxy = services.proxy_authorise(
            actor=self.actor,
            agent=agent,
            principal_kind=data["principal_kind"],
            principal_name=data["principal_name"],
            principal_code=data["principal_code"],
            principal_phone=data.get("principal_phone", ""),
            scope=data["scope"],
            valid_until=data["valid_until"],
        )
        return Response(s.ApplicationProxySerializer(proxy).data, status=status.HTTP_201_CREATED)


class AssistCreateView(ApiView):
    @extend_schema(
        operation_id="applications_assist_create",
        summary=gettext_lazy("登记帮办服务"),
        request=s.ApplicationAssistInSerializer,
        responses={201: s.ApplicationAssistSerializer, **problems(400, 401, 403)},
        tags=["applications"],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ApplicationAssistInSerializer, request.data)
        application = None
        if data.get("application"):
            try:
                application = selectors.application_get(self.actor, data["application"])
            except NotFound:
                raise ValidationFailed(data={"application": _("办件编号不存在。")}) from None
        row: AssistedService = services.assisted_service_record(
            actor=self.actor,
            kind=data["kind"],
            person_name=data["person_name"],
            person_phone=data.get("person_phone", ""),
            served_on=data["served_on"],
            note=data.get("note", ""),
            application=application,
        )
        return Response(s.ApplicationAssistSerializer(row).data, status=status.HTTP_201_CREATED)


class FiguresView(ApiView):
    @extend_schema(
        operation_id="applications_figures",
        summary=gettext_lazy("办件统计"),
        parameters=[
            OpenApiParameter("start", dt.date, description=gettext_lazy("起始日期")),
            OpenApiParameter("end", dt.date, description=gettext_lazy("截止日期")),
        ],
        responses={200: s.ApplicationFiguresSerializer, **problems(400, 401, 403)},
        tags=["applications"],
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        if not (request.user.is_superuser or any(actor.has_role(r) for r in selectors.FIGURE_ROLES)):
            raise PermissionDenied()
        today = timezone.localdate()
        query = request.query_params
        start = params.date_param(query.get("start"), name="start", default=today - dt.timedelta(days=90))
        end = params.date_param(query.get("end"), name="end", default=today)
        assert start is not None and end is not None
        if start > end or (end - start).days > 366 * 3:
            raise ValidationFailed(data={"start": _("起始不晚于截止，跨度不超过三年。")})
        return Response(s.figures_data(selectors.figures(start=start, end=end)))
