"""The error codes open days answer with (besides core's not_found, forbidden, validation_failed)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("opendays")
NOTICE_TOO_SHORT = codes.add("notice_too_short", _("开放日须至少提前规定天数公告。"))
REGISTRATION_CLOSED = codes.add("registration_closed", _("报名未开始或已截止。"))
DUPLICATE_PHONE = codes.add("duplicate_phone", _("该手机号已报名本次开放日。"))
DUPLICATE_ID = codes.add("duplicate_id", _("该身份证号已报名本次开放日。"))
NOT_ELIGIBLE = codes.add("not_eligible", _("不符合报名条件。"))
BAD_CODE = codes.add("bad_code", _("验证码错误或已过期。"))
UNKNOWN_VALUE = codes.add("unknown_value", _("报名信息中的某项取值不在名额分配的类别中。"))
BAD_QUOTAS = codes.add("bad_quotas", _("名额分配无法满足。"))
SEED_PUBLISHED = codes.add("seed_published", _("公开种子已公布，不能用其他种子重新抽签。"))
SAME_HOUSEHOLD = codes.add("same_household", _("替补人选与已入选人员同一户。"))
NO_CANDIDATES = codes.add("no_candidates", _("没有符合剩余名额条件的候选人。"))
NOT_A_PARTICIPANT = codes.add("not_a_participant", _("提问人须为本次开放日的参加人。"))
