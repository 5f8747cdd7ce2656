"""One error hierarchy for the whole platform.

Each error carries a stable ``code`` clients can branch on, a human message (translated),
optional ``data`` and the HTTP status the API renders it with (as application/problem+json).
Pages show the same message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class HuyingError(Exception):
    code = "error"
    status = 400
    default_message: Any = _("请求无法处理。")

    def __init__(self, message: Any = None, *, code: str | None = None, data: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.data = data or {}
        super().__init__(str(self.message))

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the problem body (none unless a subclass says)."""
        return {}


class ValidationFailed(HuyingError):
    code = "validation_failed"
    status = 400
    default_message = _("输入有误，请检查后重试。")


class NotFound(HuyingError):
    """Raised both for records that do not exist and records the actor may not see."""

    code = "not_found"
    status = 404
    default_message = _("记录不存在或您无权查看。")


class PermissionDenied(HuyingError):
    """The actor can see the record but may not perform this action on it."""

    code = "forbidden"
    status = 403
    default_message = _("您无权执行此操作。")


class InvalidTransition(HuyingError):
    code = "invalid_transition"
    status = 409
    default_message = _("当前状态下不能执行此操作。")


class ConcurrentModification(HuyingError):
    code = "changed_meanwhile"
    status = 409
    default_message = _("该记录已被他人修改，请刷新后查看最新状态再操作。")


class Throttled(HuyingError):
    code = "throttled"
    status = 429
    default_message = _("尝试次数过多，请稍后再试。")


class CalendarUnavailable(HuyingError):
    code = "calendar_unavailable"
    status = 503
    default_message = _("工作日历缺少该年度的节假日安排，请管理员录入。")


class DatabaseBusy(HuyingError):
    """Another write held the database longer than the configured wait (SQLite "database is locked")."""

    code = "database_busy"
    status = 503
    default_message = _("系统繁忙，本次操作没有保存，请稍后重试。")
    retry_after = 5  # seconds, sent as Retry-After

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def busy_database_error(exc: BaseException) -> DatabaseBusy | None:
    """The DatabaseBusy for a "database is locked" error, else None (any other error stays as it is)."""
    from django.db.utils import OperationalError

    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        return DatabaseBusy()
    return None


class ErrorCatalogue:
    """The error codes one app answers with, each with what it means.

    Every app lists its codes in its own ``errors.py``::

        codes = ErrorCatalogue("appeals")
        UNKNOWN_ACTION = codes.add("unknown_action", _("操作名称不在本业务的状态表中。"))

    and raises ``ValidationFailed(message, code=UNKNOWN_ACTION)``. The OpenAPI document lists every
    catalogue, so a client knows every ``code`` it may meet; a code string written anywhere else is
    a defect (a test checks).
    """

    def __init__(self, app: str) -> None:
        self.app = app
        self.codes: dict[str, Any] = {}
        CATALOGUES[app] = self

    def add(self, code: str, description: Any) -> str:
        if code in self.codes:
            raise ValueError(f"error code {code!r} listed twice in {self.app}")
        self.codes[code] = description
        return code


CATALOGUES: dict[str, ErrorCatalogue] = {}

codes = ErrorCatalogue("core")
for _error in (
    HuyingError,
    ValidationFailed,
    NotFound,
    PermissionDenied,
    InvalidTransition,
    ConcurrentModification,
    Throttled,
    CalendarUnavailable,
    DatabaseBusy,
):
    codes.add(_error.code, _error.default_message)

# Input every app validates through the kernel (huying.core.uploads, huying.core.validators).
ATTACHMENT_TOO_LARGE = codes.add("attachment_too_large", _("附件超过大小上限。"))
ATTACHMENT_EMPTY = codes.add("attachment_empty", _("附件为空文件。"))
ATTACHMENT_TYPE = codes.add("attachment_type", _("附件类型不在允许之列（按文件内容判断，不看扩展名）。"))
INVALID_PHONE = codes.add("invalid_phone", _("电话号码格式不正确。"))
INVALID_ID_NUMBER = codes.add("invalid_id_number", _("公民身份号码无效（位数、出生日期或校验码不对）。"))
INVALID_CREDIT_CODE = codes.add("invalid_credit_code", _("统一社会信用代码无效（字符或校验码不对）。"))
