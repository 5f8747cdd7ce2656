"""The base of every app's REST views (who may call, how, and who is acting), token sign-in for
integrations, and the answer for an address under /api/v1/ that no app serves."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from huying.core.clientip import client_ip as client_address
from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound

from .authentication import TokenAuthentication
from .models import ApiToken
from .selectors import Actor, actor_for
from .services import login_check
from .tokens import token_issue, token_revoke, tokens_of


# Token first (a request without credentials gets 401 with ``WWW-Authenticate: Token``), then the
# session; JSON bodies and a signed-in caller unless a view says otherwise. (A comment, not a
# docstring: drf-spectacular would publish a class docstring as every view's description.)
class ApiView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @property
    def actor(self) -> Actor:
        return actor_for(self.request.user)


# --- tokens for integrations -------------------------------------------------------------------


class AuthCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("吊销时使用：DELETE /api/v1/auth/tokens/<id>/"))
    token = serializers.CharField(help_text=gettext_lazy("请求头 Authorization: Token <token>；只显示这一次"))
    prefix = serializers.CharField(help_text=gettext_lazy("令牌的前8位，用于辨认"))
    expires_at = serializers.DateTimeField(help_text=gettext_lazy("到期时间，之后须重新获取"))


class TokenInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField(help_text=gettext_lazy("令牌的前8位，用于辨认"))
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("最近一次使用（每分钟至多记录一次）")
    )
    revoked_at = serializers.DateTimeField(allow_null=True)
    live = serializers.SerializerMethodField(help_text=gettext_lazy("未过期且未吊销"))

    def get_live(self, token: ApiToken) -> bool:
        return token.is_live()


_PROBLEMS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    401: gettext_lazy(
        "未登录，或令牌无效（code：not_authenticated、authentication_failed）、已过期（api_token_expired）、已吊销（api_token_revoked）"
    ),
    404: gettext_lazy("令牌不存在或不属于您"),
    429: gettext_lazy("登录失败次数过多而暂时锁定（code：login_locked、address_locked），或请求过于频繁"),
}


class TokenThrottle(AnonRateThrottle):
    scope = "auth_token"
    rate = "10/min"

    def get_ident(self, request: Request) -> str:
        # The address as the login throttle sees it: X-Forwarded-For only from a trusted proxy.
        return client_address(request) or ""


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
            "每次调用签发一个新令牌，到期时间见 expires_at；令牌只在此时显示一次。"
            "同一用户名在同一地址登录失败次数过多时暂时锁定（429），与登录页面、管理后台共用同一计数。"
        ),
        request=AuthCredentialsSerializer,
        responses={200: TokenSerializer, **problem_responses(_PROBLEMS, (400, 429))},
        tags=["auth"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(AuthCredentialsSerializer, request.data)
        user = login_check(request=request, username=data["username"], password=data["password"])
        token, key = token_issue(user=user)
        body = {"id": token.pk, "token": key, "prefix": token.prefix, "expires_at": token.expires_at}
        return Response(TokenSerializer(body).data)


class TokenListView(ApiView):
    @extend_schema(
        operation_id="auth_tokens_list",
        summary=gettext_lazy("我的接口令牌"),
        description=gettext_lazy(
            "调用者自己的令牌：前缀、签发时间、最近使用、到期与吊销时间（近30天内失效的也列出）。"
        ),
        responses={200: TokenInfoSerializer(many=True), **problem_responses(_PROBLEMS, (401,))},
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        return Response(TokenInfoSerializer(tokens_of(self.actor.user), many=True).data)


class TokenDetailView(ApiView):
    @extend_schema(
        operation_id="auth_tokens_revoke",
        summary=gettext_lazy("吊销接口令牌"),
        description=gettext_lazy("吊销调用者自己的一个令牌，立即失效；重复吊销无害。"),
        request=None,
        responses={204: None, **problem_responses(_PROBLEMS, (401, 404))},
        tags=["auth"],
    )
    def delete(self, request: Request, token_id: int) -> Response:
        token_revoke(token_id=token_id, actor=self.actor)
        return Response(status=204)


# --- the rest of /api/v1/ -----------------------------------------------------------------------


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
