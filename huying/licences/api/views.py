"""/api/v1/licences/: verification for scanning devices and integrations, the public keys for
offline verifiers, and the holder's licences, show tokens, uses and authorisations.

Views parse with a serializer and call a service or selector; errors render as
application/problem+json (huying.core.drf)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.accounts.api import ApiView
from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound

from .. import keys, selectors, services
from ..models import Authorisation
from . import serializers as s

TAGS = ["licences"]
_DESCRIPTIONS = {
    400: gettext_lazy("输入有误，或二维码无效、过期、已被使用，证照已吊销、过期或换发（见 code）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作"),
    503: gettext_lazy("签名密钥未配置"),
}


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


class VerifyView(ApiView):
    @extend_schema(
        operation_id="licences_verify",
        summary=gettext_lazy("核验亮证二维码"),
        description=gettext_lazy(
            "扫码设备或对接系统提交扫描到的二维码内容和用证事由。校验签名、有效期、证照状态，并保证每个二维码只能核验一次；"
            "通过后记录用证记录，返回脱敏的证照信息。需要窗口受理、审批、大厅管理或系统管理员角色的账号令牌。"
        ),
        request=s.VerifyRequestSerializer,
        responses={201: s.VerifyResultSerializer, **problems(400, 401, 403, 503)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = validated(s.VerifyRequestSerializer, request.data)
        use = services.token_verify(
            token=data["token"],
            verifier=request.user,
            place=data["place"],
            purpose=data["purpose"],
            item_code=data["item_code"],
            application_ref=data["application_ref"],
            via="api",
        )
        body = s.VerifyResultSerializer({"use": use, "licence": use.licence}).data
        return Response(body, status=status.HTTP_201_CREATED)


class KeysView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="licences_public_keys",
        summary=gettext_lazy("二维码验签公钥"),
        description=gettext_lazy(
            "离线核验用的Ed25519公钥文档（无需登录）。扫码设备定期同步后可离线校验签名和有效期；"
            "离线无法判断二维码是否已被使用、证照是否已吊销。"
        ),
        responses={200: s.KeysDocumentSerializer},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        response = Response(keys.published_keys())
        response["Cache-Control"] = "public, max-age=60"
        return response


class MyLicencesView(ApiView):
    @extend_schema(
        operation_id="licences_mine",
        summary=gettext_lazy("我的电子证照"),
        description=gettext_lazy("本人（按实名身份证号码）的证照，以及他人授权我使用的证照。"),
        responses={200: s.MyLicencesSerializer, **problems(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        body = s.MyLicencesSerializer(
            {
                "own": selectors.licences_of_holder(request.user),
                "authorised": selectors.authorisations_to(request.user),
            }
        ).data
        return Response(body)


class ShowTokenView(ApiView):
    @extend_schema(
        operation_id="licences_show_token",
        summary=gettext_lazy("生成亮证二维码令牌"),
        description=gettext_lazy("持证人或在授权期内的被授权人生成一个60秒有效、只能核验一次的令牌，放入二维码出示。"),
        request=None,
        responses={201: s.ShowTokenSerializer, **problems(400, 401, 404, 503)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        licence, _authorisation = selectors.licence_for_shower(user=request.user, pk=pk)
        value = services.show_token_issue(licence=licence, user=request.user)
        return Response({"token": value, "expires_in": services.SHOW_TTL_SECONDS}, status=status.HTTP_201_CREATED)


class UsesView(ApiView):
    @extend_schema(
        operation_id="licences_uses",
        summary=gettext_lazy("我的用证记录"),
        description=gettext_lazy("本人证照的每一次核验使用：单位、地点、事由、时间（最近200条）。"),
        responses={200: s.UseSerializer(many=True), **problems(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response(s.UseSerializer(selectors.uses_for_holder(request.user)[:200], many=True).data)


class AuthorisationsView(ApiView):
    @extend_schema(
        operation_id="licences_authorisations_list",
        summary=gettext_lazy("证照授权列表"),
        responses={200: s.AuthorisationSerializer(many=True), **problems(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        licence = selectors.licence_for_holder(user=request.user, pk=pk)
        items = licence.authorisations.select_related("grantee").order_by("-created_at", "-pk")
        return Response(s.AuthorisationSerializer(items, many=True).data)

    @extend_schema(
        operation_id="licences_authorisations_grant",
        summary=gettext_lazy("授权他人使用证照"),
        request=s.GrantRequestSerializer,
        responses={201: s.AuthorisationSerializer, **problems(400, 401, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        licence = selectors.licence_for_holder(user=request.user, pk=pk)
        data = validated(s.GrantRequestSerializer, request.data)
        authorisation = services.authorisation_grant(
            licence=licence,
            grantee=selectors.user_by_handle(data["grantee"]),
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            actor=request.user,
        )
        return Response(s.AuthorisationSerializer(authorisation).data, status=status.HTTP_201_CREATED)


class AuthorisationRevokeView(ApiView):
    @extend_schema(
        operation_id="licences_authorisations_revoke",
        summary=gettext_lazy("撤销证照授权"),
        request=None,
        responses={200: s.AuthorisationSerializer, **problems(401, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        authorisation = Authorisation.objects.select_related("licence", "grantee").filter(pk=pk).first()
        if authorisation is None:
            raise NotFound()
        updated = services.authorisation_revoke(authorisation=authorisation, actor=request.user)
        return Response(s.AuthorisationSerializer(updated).data)
