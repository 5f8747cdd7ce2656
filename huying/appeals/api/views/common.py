"""What the appeal API views share: documented error responses, the appeal body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from huying.accounts.selectors import Actor
from huying.core.drf import problem_responses
from huying.core.errors import ValidationFailed

from ...models import Appeal
from ...states import Channel
from .. import serializers as s

SELF_SERVICE_CHANNELS = frozenset({Channel.WEB, Channel.MOBILE})

_PROBLEM_DESCRIPTIONS = {
    400: gettext_lazy("输入有误（errors 中按字段列出）"),
    401: gettext_lazy("未登录或令牌无效"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("记录不存在或无权查看（两者返回相同内容）"),
    409: gettext_lazy("当前状态不允许此操作（invalid_transition），或工单已被他人修改（changed_meanwhile）"),
    429: gettext_lazy("请求过于频繁"),
    503: gettext_lazy("系统繁忙（database_busy）：本次提交没有保存，请按 Retry-After 稍后重试"),
}


def problems(*codes: int) -> dict[Any, Any]:
    """Documented error responses: application/problem+json bodies."""
    return problem_responses(_PROBLEM_DESCRIPTIONS, codes)


APPEAL_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("工单ID"))


def field_error(exc: ValidationFailed, field: str) -> ValidationFailed:
    """Attachment checks name the file in their data; point the error at the request field instead."""
    if exc.code.startswith("attachment_"):
        return ValidationFailed(exc.message, code=exc.code, data={"field": field})
    return exc


def appeal_data(
    appeal: Appeal, actor: Actor, serializer_class: Any = s.AppealDetailSerializer, **context: Any
) -> dict[str, Any]:
    return serializer_class(appeal, context={"actor": actor, **context}).data  # type: ignore[no-any-return]
