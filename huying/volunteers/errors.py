"""The error codes volunteering answers with (besides core's not_found, forbidden, changed_meanwhile)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("volunteers")
ALREADY_REGISTERED = codes.add("volunteer_already_registered", _("该身份证号码已经注册过志愿者。"))
GUARDIAN_REQUIRED = codes.add("guardian_consent_required", _("未满18周岁的志愿者需填写监护人并取得其同意。"))
UNKNOWN_SKILL = codes.add("unknown_skill", _("技能不在技能目录中。"))
NOT_A_VOLUNTEER = codes.add("not_a_volunteer", _("请先注册成为志愿者。"))
NEED_TAKEN = codes.add("need_already_claimed", _("该需求已被其他志愿者认领。"))
NEED_SKILL_MISMATCH = codes.add("need_skill_mismatch", _("您的服务技能与该需求不符，不能认领。"))
BAD_TIME = codes.add("bad_time_range", _("结束时间应晚于开始时间。"))
QR_EXPIRED = codes.add("qr_expired", _("签到码已过期，请扫描现场最新的二维码。"))
TOO_FAR = codes.add("too_far_from_place", _("您不在活动地点附近，不能签到。"))
OUTSIDE_TIME = codes.add("outside_activity_time", _("不在活动时间内，不能签到或签退。"))
NOT_SIGNED_UP = codes.add("not_signed_up", _("您没有报名该活动。"))
ALREADY_SIGNED_UP = codes.add("already_signed_up", _("您已报名该活动。"))
HOURS_INVALID = codes.add("hours_invalid", _("服务时长应在0到24小时之间。"))
NO_CONFIRMED_HOURS = codes.add("no_confirmed_hours", _("没有经组织方确认的服务时长，不能出具证明。"))
SHIFT_OVERLAP = codes.add("shift_overlap", _("该志愿者在这段时间已有其他值班。"))
NO_LOCATION = codes.add("location_required", _("需要您的位置才能签到，请允许定位后重试。"))
