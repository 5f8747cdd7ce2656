"""The self-governance API (/api/v1/community/): the public notice board, a community's publication
duties for its staff, and a member's own vote at a meeting in session. Errors are problem+json."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.accounts.api import ApiView
from huying.core.drf import problem_responses, validated

from .. import selectors, services
from . import serializers as s

_DESCRIPTIONS = {
    400: gettext_lazy("输入有误，或不是该议事主体的组成人员（not_a_member）、未到会（not_present）"),
    401: gettext_lazy("未登录或令牌无效"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
}
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description=gettext_lazy("村（社区）公开页地址"))
MEETING = OpenApiParameter("meeting_id", int, OpenApiParameter.PATH, description=gettext_lazy("会议ID"))


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


class BoardView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="community_board",
        summary=gettext_lazy("村（居）务公开栏"),
        description=gettext_lazy("无需登录：正在公开的事项、异议期和满意度测评结果。"),
        parameters=[SLUG],
        responses={200: s.BoardSerializer, **problems(404)},
        tags=["community"],
    )
    def get(self, request: Request, slug: str) -> Response:
        board = selectors.public_board(selectors.profile_public(slug))
        postings = [
            {
                "id": e.publication.pk,
                "title": e.publication.title,
                "item": e.publication.item.name,
                "body": e.publication.body,
                "published_at": e.publication.published_at,
                "objection_until": e.objection_until,
                "on_board": e.posting is not None,
            }
            for e in board.entries
        ]
        surveys = [
            {"title": v.title, "sample_design": v.sample_design, "satisfaction": v.satisfaction} for v in board.surveys
        ]
        body = {"unit": board.profile.unit.name, "kind": board.profile.kind, "postings": postings, "surveys": surveys}
        return Response(s.BoardSerializer(body).data)


class DutiesView(ApiView):
    @extend_schema(
        operation_id="community_duties",
        summary=gettext_lazy("公开时限提醒"),
        description=gettext_lazy("本村（社区）工作人员：各公开目录事项的应公开日期和状态（按工作日计算）。"),
        parameters=[SLUG],
        responses={200: s.DutySerializer(many=True), **problems(401, 404)},
        tags=["community"],
    )
    def get(self, request: Request, slug: str) -> Response:
        profile = selectors.profile_for_staff(self.actor, slug)
        rows = [
            {
                "item": d.item_name,
                "cadence": d.cadence,
                "period_start": d.period_start,
                "period_end": d.period_end,
                "due_on": d.due_on,
                "state": d.state,
                "publication_id": d.publication_id,
            }
            for d in selectors.duties(profile)
        ]
        return Response(s.DutySerializer(rows, many=True).data)


class VoteView(ApiView):
    @extend_schema(
        operation_id="community_vote",
        summary=gettext_lazy("组成人员本人表决"),
        description=gettext_lazy("只有该议事主体的现任组成人员、且已签到的，才能表决。"),
        parameters=[MEETING],
        request=s.VoteSerializer,
        responses={200: s.VoteResultSerializer, **problems(400, 401, 404)},
        tags=["community"],
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        data = validated(s.VoteSerializer, request.data)
        services.meeting_cast(
            actor=self.actor, meeting_id=meeting_id, option_id=data["option"], opinion=data.get("opinion", "")
        )
        return Response({"meeting": meeting_id, "option": data["option"]})
