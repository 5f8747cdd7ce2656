"""The 派单目录 (categories with time limits), handling units and the unit suggestion."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.core.drf import validated
from huying.core.errors import ValidationFailed
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import handling_units

from ... import deadlines, selectors
from ...models import Category
from .. import serializers as s
from ..queries import category_time_limits, unit_filter
from .common import problems

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
