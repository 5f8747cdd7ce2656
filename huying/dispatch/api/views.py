"""/api/v1/dispatch/: category suggestion, similar open appeals, hot issues, key problems."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.accounts.roles import Role
from huying.appeals import selectors as appeal_selectors
from huying.appeals.api.serializers import UnitRefSerializer
from huying.appeals.api.views import problems
from huying.core.errors import PermissionDenied
from huying.organisations.models import Division, OrgUnit
from huying.organisations.selectors import handling_units

from .. import selectors, services

TAGS = ["dispatch"]


class AlternativeSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    name = serializers.CharField()
    confidence = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer):
    category = serializers.IntegerField(allow_null=True)
    category_name = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    confidence = serializers.FloatField(help_text=gettext_lazy("0–1；模型的置信度经交叉验证校准"))
    alternatives = AlternativeSerializer(many=True, help_text=gettext_lazy("前三个候选分类"))
    source = serializers.ChoiceField(choices=["model", "keywords", "none"])  # type: ignore[assignment]
    model_version = serializers.IntegerField(allow_null=True)
    auto = serializers.BooleanField(help_text=gettext_lazy("置信度达到自动派单阈值"))


class SuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    division = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("行政区划代码"))


class SimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    unit = serializers.CharField()
    similarity = serializers.FloatField()
    same_requester = serializers.BooleanField()
    same_place = serializers.BooleanField()


class HotIssueSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    title = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())
    size = serializers.IntegerField()
    previous = serializers.IntegerField(help_text=gettext_lazy("上一周期的件数"))
    growth = serializers.FloatField(allow_null=True)
    votes = serializers.IntegerField()
    address = serializers.CharField(help_text=gettext_lazy("成员工单最常见的地点；都没有记录地点时为空"))
    address_count = serializers.IntegerField(help_text=gettext_lazy("成员工单记录了几个不同的地点"))
    appeals = serializers.SerializerMethodField()

    def get_appeals(self, issue: Any) -> list[str]:
        return list(issue.numbers)  # every member the caller may see, newest first


class KeyProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    lead_unit = UnitRefSerializer()
    joint_units = UnitRefSerializer(many=True, source="joint_units.all")
    appeals = serializers.SerializerMethodField()
    reply_text = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_appeals(self, kp: Any) -> list[dict[str, Any]]:
        return [{"number": a.number, "status": a.status} for a in kp.appeals.order_by("pk")]


class KeyProblemCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=handling_units())
    joint_units = serializers.PrimaryKeyRelatedField(queryset=handling_units(), many=True, required=False, default=list)
    appeals = serializers.ListField(child=serializers.IntegerField(), min_length=1, help_text=gettext_lazy("工单ID"))


class MeetingSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attendees = serializers.CharField()
    findings = serializers.CharField()
    decision = serializers.CharField()


class JointReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(required=False, allow_null=True)


class JointReplyResultSerializer(serializers.Serializer):
    key_problem = KeyProblemSerializer()
    closed = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("本次办结的工单编号"))
    skipped = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("此前已办结的工单编号"))


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class HotlineApiView(ApiView):
    roles: tuple[str, ...] = (Role.OPERATOR, Role.SUPERVISOR)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not any(self.actor.has_role(r) for r in self.roles):
            raise PermissionDenied()


class SupervisorApiView(HotlineApiView):
    roles: tuple[str, ...] = (Role.SUPERVISOR,)


class SuggestView(HotlineApiView):
    @extend_schema(
        operation_id="dispatch_suggest",
        summary=gettext_lazy("智能分类建议"),
        description=gettext_lazy("按诉求内容建议分类（及派单目录中的承办单位），给出置信度和前三个候选。"),
        request=SuggestRequestSerializer,
        responses={200: SuggestionSerializer, **problems(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = _valid(SuggestRequestSerializer, request.data)
        code = (data.get("division") or "").strip()
        division = Division.objects.filter(code=code, valid_to__isnull=True).first() if code else None
        return Response(services.suggest(data["text"], division).as_dict())


class SimilarView(HotlineApiView):
    @extend_schema(
        operation_id="dispatch_similar",
        summary=gettext_lazy("可能重复的在办工单"),
        description=gettext_lazy("按文本指纹索引查找同一事项的在办工单（同一诉求人、同一地点优先），供并单。"),
        responses={200: SimilarSerializer(many=True), **problems(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        appeal = appeal_selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        found = services.similar_open_appeals(self.actor, appeal)
        rows = [
            {
                "pk": s.appeal.pk,
                "number": s.appeal.number,
                "title": s.appeal.title,
                "status": s.appeal.status,
                "unit": s.appeal.lead_unit.label if s.appeal.lead_unit else "",
                "similarity": s.similarity,
                "same_requester": s.same_requester,
                "same_place": s.same_place,
            }
            for s in found
        ]
        return Response(SimilarSerializer(rows, many=True).data)


class HotIssuesView(HotlineApiView):
    @extend_schema(
        operation_id="dispatch_hot_issues",
        summary=gettext_lazy("热点问题"),
        responses={200: HotIssueSerializer(many=True), **problems(401, 403)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        days = 7 if request.query_params.get("days") not in ("14", "30") else int(request.query_params["days"])
        return Response(HotIssueSerializer(selectors.hot_issues(self.actor, days=days), many=True).data)


class KeyProblemListView(SupervisorApiView):
    @extend_schema(
        operation_id="key_problem_create",
        summary=gettext_lazy("列入重点问题清单"),
        request=KeyProblemCreateSerializer,
        responses={201: KeyProblemSerializer, **problems(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = _valid(KeyProblemCreateSerializer, request.data)
        lead: OrgUnit = data["lead_unit"]
        problem = services.key_problem_create(
            actor=self.actor,
            title=data["title"],
            description=data["description"],
            lead_unit=lead,
            joint_units=list(data["joint_units"]),
            appeal_ids=data["appeals"],
        )
        return Response(KeyProblemSerializer(problem).data, status=status.HTTP_201_CREATED)


class KeyProblemDetailView(SupervisorApiView):
    @extend_schema(
        operation_id="key_problem_detail",
        summary=gettext_lazy("重点问题详情"),
        responses={200: KeyProblemSerializer, **problems(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(KeyProblemSerializer(selectors.key_problem_get(self.actor, pk)).data)


class KeyProblemMeetingView(SupervisorApiView):
    @extend_schema(
        operation_id="key_problem_meeting",
        summary=gettext_lazy("记录联席会议"),
        request=MeetingSerializer,
        responses={201: MeetingSerializer, **problems(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        problem = selectors.key_problem_get(self.actor, pk)
        data = _valid(MeetingSerializer, request.data)
        meeting = services.key_problem_add_meeting(actor=self.actor, key_problem=problem, **data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class KeyProblemReplyView(SupervisorApiView):
    @extend_schema(
        operation_id="key_problem_reply",
        summary=gettext_lazy("统一答复并办结关联工单"),
        request=JointReplySerializer,
        responses={200: JointReplyResultSerializer, **problems(400, 401, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        problem = selectors.key_problem_get(self.actor, pk)
        data = _valid(JointReplySerializer, request.data)
        result = services.key_problem_reply(
            actor=self.actor, key_problem=problem, reply=data["reply"], expected_version=data.get("version")
        )
        body = {"key_problem": result.key_problem, "closed": result.closed, "skipped": result.skipped}
        return Response(JointReplyResultSerializer(body).data)
