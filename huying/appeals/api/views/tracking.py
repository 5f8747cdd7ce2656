"""Tracking without an account (SMS code) and tokens for integrations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.core.drf import validated
from huying.core.ratelimit import limit

from ... import services
from ...services.personal_data import TRACKING_CODE_SENT
from .. import serializers as s
from .common import problems

# --- citizen tracking without an account -----------------------------------------------------


class TrackSendCodeView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="track_send_code",
        summary=gettext_lazy("发送查询验证码"),
        description=gettext_lazy(
            "工单号与电话相符时向该电话发送验证码，并作废该工单此前的验证码。无论是否相符都返回相同结果，"
            "以免探测某电话是否反映过某工单。按客户端地址和电话限次（设置 HUYING_RATE_LIMITS 的 track_send，"
            "与查询页面共用计数），超过时返回429和Retry-After。"
        ),
        request=s.TrackSendSerializer,
        responses={202: s.MessageSerializer, **problems(400, 429)},
        tags=["tracking"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.TrackSendSerializer, request.data)
        limit(request, "track_send", phone=data["phone"])
        services.tracking_code_send(number=data["number"], phone=data["phone"])
        return Response({"detail": str(TRACKING_CODE_SENT)}, status=status.HTTP_202_ACCEPTED)


class TrackVerifyView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="track_verify",
        summary=gettext_lazy("凭验证码查询诉求进度"),
        description=gettext_lazy(
            "验证码正确时返回工单的公开信息和公开进度。只有最新的验证码有效；验证码只能用一次，错5次作废。"
            "按客户端地址限次（track_verify，与查询页面共用计数），超过时返回429和Retry-After。"
        ),
        request=s.TrackVerifySerializer,
        responses={200: s.PublicAppealSerializer, **problems(400, 429)},
        tags=["tracking"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        limit(request, "track_verify")
        data = validated(s.TrackVerifySerializer, request.data)
        appeal = services.tracking_code_verify(number=data["number"], code=data["code"])
        return Response(s.PublicAppealSerializer(appeal).data)


# --- tokens for integrations -------------------------------------------------------------------
