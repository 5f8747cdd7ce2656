"""The volunteering API (/api/v1/volunteers/): the volunteer's suggested needs and the claim.

Errors are HuyingError / DRF exceptions rendered as application/problem+json by huying.core.drf.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.core.drf import problem_responses, validated

from .. import selectors, services, skills
from ..models import Need
from ..permissions import require_volunteer

_DESCRIPTIONS = {
    400: gettext_lazy("输入有误，或尚未注册为志愿者（not_a_volunteer）、技能不符（need_skill_mismatch）"),
    401: gettext_lazy("未登录或令牌无效"),
    404: gettext_lazy("记录不存在或无权查看"),
    409: gettext_lazy("需求已被其他志愿者认领（need_already_claimed），或状态不允许（invalid_transition）"),
}
NEED_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("需求ID"))


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


class NeedSerializer(serializers.ModelSerializer[Need]):
    skill_names = serializers.SerializerMethodField(help_text=gettext_lazy("所需技能名称"))
    station = serializers.CharField(source="station.name", read_only=True, help_text=gettext_lazy("受理站点"))

    class Meta:
        model = Need
        fields = ["id", "number", "title", "status", "source", "address", "latitude", "longitude", "starts_at",
                  "ends_at", "skill_names", "station", "version"]  # fmt: skip
        read_only_fields = fields

    def get_skill_names(self, need: Need) -> list[str]:
        return skills.names(need.skills)


class SuggestedNeedSerializer(serializers.Serializer[Any]):
    need = NeedSerializer()
    score = serializers.FloatField(help_text=gettext_lazy("匹配度（技能、距离、时间）"))


class ClaimSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=0, help_text=gettext_lazy("页面上需求的版本号（并发控制）"))


class SuggestedNeedsView(ApiView):
    @extend_schema(
        operation_id="volunteers_needs_suggested",
        summary=gettext_lazy("为我推荐的需求"),
        description=gettext_lazy("附近与本人技能、可服务时间相符的待认领需求，按匹配度排序（最多20条）。"),
        responses={200: SuggestedNeedSerializer(many=True), **problems(400, 401)},
        tags=["volunteers"],
    )
    def get(self, request: Request) -> Response:
        volunteer = require_volunteer(self.actor)
        rows = [{"need": need, "score": score} for need, score in selectors.needs_for_volunteer(volunteer)]
        return Response(SuggestedNeedSerializer(rows, many=True).data)


class NeedClaimView(ApiView):
    @extend_schema(
        operation_id="volunteers_need_claim",
        summary=gettext_lazy("认领需求"),
        description=gettext_lazy("一对一认领：两人同时认领时只有一人成功，另一人收到 need_already_claimed。"),
        parameters=[NEED_ID],
        request=ClaimSerializer,
        responses={200: NeedSerializer, **problems(400, 401, 404, 409)},
        tags=["volunteers"],
    )
    def post(self, request: Request, id: int) -> Response:
        data = validated(ClaimSerializer, request.data)
        need = services.need_claim(actor=self.actor, need_id=id, version=data["version"])
        return Response(NeedSerializer(need).data)
