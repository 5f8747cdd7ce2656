"""The error codes the service-hall queue answers with (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("halls")

TOO_MANY_TICKETS = codes.add("too_many_tickets", _("同一手机号或账号当天在本大厅未办结的排队号已达上限。"))
WINDOW_CLOSED = codes.add("window_closed", _("窗口已暂停服务，开放后才能叫号。"))
WINDOW_BUSY = codes.add("window_busy", _("窗口还有未办结的排队号：先办结或标记过号，才能叫下一位或暂停窗口。"))
NO_CURRENT_TICKET = codes.add("no_current_ticket", _("窗口当前没有排队号，或该排队号已不在本窗口。"))
TICKET_NOT_FOUND = codes.add("ticket_not_found", _("排队号不存在（凭号查询、取消时号码有误）。"))
UNKNOWN_ACTION = codes.add("unknown_action", _("窗口操作名称无效。"))
