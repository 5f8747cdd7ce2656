"""The public catalogue API (/api/v1/services/): read-only, no login. Errors are
application/problem+json (huying.core.drf)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.core.drf import problem_responses

from .. import selectors
from ..models import Bundle, ServiceItem
from . import serializers as s

_DESCRIPTIONS = {
    400: gettext_lazy("查询参数有误（errors 中按参数列出）"),
    404: gettext_lazy("事项或一件事不存在（或已停用），或列表的页码超出范围"),
}


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


class PublicMixin:
    permission_classes: Any = [AllowAny]
    authentication_classes: Any = []


class ItemListView(PublicMixin, generics.ListAPIView):
    """Active service items, searched by name, code or pinyin initials."""

    serializer_class = s.ItemListSerializer

    @extend_schema(
        operation_id="services_items_list",
        parameters=[s.ItemQuerySerializer],
        responses={200: s.ItemListSerializer(many=True), **problems(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ServiceItem]:
        query = s.ItemQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.item_search(
            data.get("q", ""),
            unit_id=data.get("unit"),
            level=data.get("level"),
            applicant_kind=data.get("applicant_kind"),
        )


class ItemDetailView(PublicMixin, APIView):
    @extend_schema(
        operation_id="services_items_retrieve",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=gettext_lazy("实施编码"))],
        responses={200: s.ItemDetailSerializer, **problems(404)},
    )
    def get(self, request: Request, code: str) -> Response:
        """An item's 办事指南: materials, form fields and review stages."""
        return Response(s.ItemDetailSerializer(selectors.item_get(code)).data)


class BundleListView(PublicMixin, generics.ListAPIView):
    """Active 一件事 bundles."""

    serializer_class = s.BundleListSerializer

    @extend_schema(
        operation_id="services_bundles_list",
        parameters=[OpenApiParameter("q", str, description=gettext_lazy("名称或拼音首字母"))],
        responses={200: s.BundleListSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Bundle]:
        return selectors.bundle_search(str(self.request.query_params.get("q", ""))[:100])


class BundleDetailView(PublicMixin, APIView):
    @extend_schema(
        operation_id="services_bundles_retrieve",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=gettext_lazy("一件事编码"))],
        responses={200: s.BundleDetailSerializer, **problems(404)},
    )
    def get(self, request: Request, code: str) -> Response:
        """A bundle with its plan: merged form and materials, review stages, what it saves."""
        plan = selectors.bundle_plan(selectors.bundle_get(code))
        return Response(s.BundleDetailSerializer(plan).data)
