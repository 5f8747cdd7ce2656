"""/api/v1/points/: a person's balances and one-time code, the cashier's redemption (idempotent with
``Idempotency-Key``) and the reviewer's actions on claims. Errors render as application/problem+json."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from huying.accounts.api import ApiView
from huying.core.drf import problem_responses, validated

from .. import selectors
from ..services import redeem
from ..services.review import claim_act
from . import serializers as s

TAGS = ["points"]
_DESCRIPTIONS = {
    400: gettext_lazy("输入有误，或兑换码无效、过期、已使用，积分不足、超过上限（见 code）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作（如为其他商户兑换）"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作，或记录已被他人修改"),
    503: gettext_lazy("签名密钥未配置"),
}
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy("收银设备为每笔兑换生成一次，重发时原样带上：不会重复扣分"),
)


def problems(*codes: int) -> dict[Any, Any]:
    return problem_responses(_DESCRIPTIONS, codes)


class MineView(ApiView):
    @extend_schema(
        operation_id="points_mine",
        summary=gettext_lazy("我的积分"),
        responses={200: s.MineSerializer, **problems(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        st = selectors.statement(request.user)
        body = {
            "accounts": [{"kind": a.kind, "balance": a.balance} for a in st.accounts],
            "earned": st.earned,
            "redeemed": st.redeemed,
            "expired": st.expired,
            "appraisal": st.appraisal,
        }
        return Response(s.MineSerializer(body).data)


class CodeView(ApiView):
    @extend_schema(
        operation_id="points_code",
        summary=gettext_lazy("生成积分兑换码"),
        description=gettext_lazy("本人生成一个两分钟有效、只能使用一次的兑换码令牌，放入二维码向商户出示。"),
        request=None,
        responses={201: s.CodeSerializer, **problems(401, 503)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        token = redeem.token_issue(actor=self.actor)
        return Response({"token": token, "expires_in": redeem.TOKEN_TTL_SECONDS}, status=status.HTTP_201_CREATED)


class RedeemView(ApiView):
    @extend_schema(
        operation_id="points_redeem",
        summary=gettext_lazy("商户扫码兑换"),
        description=gettext_lazy(
            "商户登记的收银人员提交顾客的兑换码和积分数；积分从顾客账户转入商户应付账户。"
            "同一 Idempotency-Key 重发返回第一次的结果（200），不会重复扣分；同一兑换码再次使用被拒绝。"
        ),
        parameters=[IDEMPOTENCY],
        request=s.RedeemRequestSerializer,
        responses={201: s.RedemptionSerializer, 200: s.RedemptionSerializer, **problems(400, 401, 403, 503)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = validated(s.RedeemRequestSerializer, request.data)
        done, created = redeem.redeem(
            actor=self.actor,
            token=data["token"],
            merchant_id=data.get("merchant"),
            points=str(data["points"]),
            request_key=request.headers.get("Idempotency-Key", ""),
        )
        body = s.RedemptionSerializer(
            {
                "id": done.pk,
                "merchant": done.merchant,
                "points": done.points,
                "value_yuan": done.value_yuan,
                "created_at": done.created_at,
                "replayed": not created,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ClaimActView(ApiView):
    @extend_schema(
        operation_id="points_claim_act",
        summary=gettext_lazy("积分申报审核操作"),
        description=gettext_lazy("审核、认定、不予认定、公示、入账、冲正；公示期间任何登录用户可提出异议。"),
        request=s.ClaimActSerializer,
        responses={200: s.ClaimSerializer, **problems(400, 401, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, claim_id: int) -> Response:
        data = validated(s.ClaimActSerializer, request.data)
        claim = claim_act(
            actor=self.actor,
            claim=claim_id,
            action=data["action"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(s.ClaimSerializer(claim).data)
