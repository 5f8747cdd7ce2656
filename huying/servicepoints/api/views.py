"""/api/v1/points-of-service/: the public register and "nearest that handles X" (no login).
Errors are application/problem+json (huying.core.drf)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.core.drf import problem_responses
from huying.core.errors import NotFound

from .. import selectors
from ..models import ServicePoint
from ..states import Kind

_DESCRIPTIONS = {
    400: gettext_lazy("查询参数有误：位置不在服务区域内、地址无法识别或事项编码无效"),
    404: gettext_lazy("服务点不存在或已停用"),
}


class NearestQuery(serializers.Serializer):
    item = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="事项实施编码")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    address = serializers.CharField(required=False, allow_blank=True, max_length=100)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)


class PointSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    level = serializers.CharField(help_text="层级：city 市级、county 县级、township 镇（街道）级、village 村（社区）级")

    class Meta:
        model = ServicePoint
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "level",
            "address",
            "longitude",
            "latitude",
            "hours",
            "windows",
            "contact_phone",
        ]


class NearbySerializer(serializers.Serializer):
    point = PointSerializer()
    km = serializers.FloatField(help_text="直线距离（公里）")
    within_band = serializers.BooleanField(help_text="是否在3公里内")
    modes = serializers.ListField(child=serializers.CharField())


class PublicMixin:
    permission_classes: Any = [AllowAny]
    authentication_classes: Any = []


class NearestView(PublicMixin, APIView):
    @extend_schema(
        operation_id="points_of_service_nearest",
        parameters=[NearestQuery],
        responses={200: NearbySerializer(many=True), **problem_responses(_DESCRIPTIONS, (400,))},
    )
    def get(self, request: Request) -> Response:
        """The points nearest to a location or a typed address, optionally of one kind and handling one item."""
        query = NearestQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        item = selectors.item_for(data.get("item", ""))
        origin = selectors.origin_from(lon=data.get("lon"), lat=data.get("lat"), address=data.get("address", ""))
        if origin is None:
            raise serializers.ValidationError({"address": [gettext_lazy("请提供经纬度或地址。")]})
        found = selectors.nearest(origin, kind=data.get("kind", ""), item=item, k=data["limit"])
        return Response(NearbySerializer(found, many=True).data)


class PointDetailView(PublicMixin, APIView):
    @extend_schema(
        operation_id="points_of_service_detail",
        responses={200: PointSerializer, **problem_responses(_DESCRIPTIONS, (404,))},
    )
    def get(self, request: Request, code: str) -> Response:
        """One active point."""
        point = ServicePoint.objects.filter(code=code[:40], is_active=True).first()
        if point is None:
            raise NotFound()
        return Response(PointSerializer(point).data)
