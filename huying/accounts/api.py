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
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from huying.core.drf import problem_responses, validated
from huying.core.errors import NotFound

from .authentication import TokenAuthentication
from .selectors import Actor, actor_for
from .services import login_check


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
    token = serializers.CharField(help_text=gettext_lazy("请求头 Authorization: Token <token>"))


_PROBLEMS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    429: gettext_lazy("请求过于频繁"),
}


class TokenThrottle(AnonRateThrottle):
    scope = "auth_token"
    rate = "10/min"


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
            "登录失败次数过多时暂时拒绝（429）。"
        ),
        request=AuthCredentialsSerializer,
        responses={200: TokenSerializer, **problem_responses(_PROBLEMS, (400, 429))},
        tags=["auth"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(AuthCredentialsSerializer, request.data)
        user = login_check(request=request, username=data["username"], password=data["password"])
        # What rest_framework.authtoken's own view does: one token per user, made on first use.
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
