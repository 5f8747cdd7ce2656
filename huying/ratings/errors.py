"""The error codes 好差评 answers with (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("ratings")

RATING_WINDOW_CLOSED = codes.add("rating_window_closed", _("已超过评价期限（办事之日起若干个工作日内可以评价）。"))
ALREADY_RATED = codes.add("already_rated", _("该事项已评价，每件只能评价一次。"))
UNKNOWN_ACTION = codes.add("unknown_action", _("操作名称不在整改单的状态表中。"))
ALREADY_COMPLAINED = codes.add("already_complained", _("该差评已提出过申诉，每条差评只能申诉一次。"))
OWN_ACT = codes.add("own_act", _("不能评价本人办理或审批的事项：评价由办事人本人在评价器、短信链接或网上作出。"))
LINK_INVALID = codes.add("rating_link_invalid", _("评价链接无效，请使用短信或评价器上的完整链接。"))
LINK_EXPIRED = codes.add("rating_link_expired", _("评价链接已过期。"))
