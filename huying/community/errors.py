"""The error codes self-governance answers with (besides core's not_found, forbidden, validation_failed...)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("community")
NO_QUORUM = codes.add("no_quorum", _("到会人数未达到法定人数，不能开会表决。"))
NOT_A_MEMBER = codes.add("not_a_member", _("只有该议事主体的现任组成人员才能到会和表决。"))
NOT_PRESENT = codes.add("not_present", _("未到会的组成人员不能表决。"))
UNKNOWN_OPTION = codes.add("unknown_option", _("表决方案不属于本次会议。"))
NOTICE_TOO_LATE = codes.add("notice_too_late", _("会议通知时间不足，须按议事规则提前通知参会人员。"))
NEEDS_ASSEMBLY = codes.add(
    "needs_assembly", _("该事项依法须经村民会议或村民代表会议讨论决定，当前议事主体不能作出决议。")
)
NO_PATH = codes.add("no_path", _("本村（社区）尚未设置议事路径，请先在议事规则中配置。"))
MEETING_PENDING = codes.add("meeting_pending", _("本步骤已有未结束的会议。"))
ALREADY_SIGNED = codes.add("already_signed", _("您已联名，不能重复联名。"))
POSTED_TOO_SHORT = codes.add("posted_too_short", _("公开内容张贴未满五日，不能撤下（条例第十三条）。"))
NOT_POSTED = codes.add("not_posted", _("该公开事项当前没有张贴在公开栏上。"))
OBJECTION_WINDOW_CLOSED = codes.add("objection_window_closed", _("已超过公布之日起五日的异议期。"))
ANSWER_LATE_NO_REASON = codes.add("answer_late_no_reason", _("已超过五日答复期限，须填写逾期答复的原因。"))
ALREADY_ANSWERED = codes.add("already_answered", _("该异议已经答复。"))
NOT_IN_SAMPLE = codes.add("not_in_sample", _("该人员不在本次测评的样本中，不能参加测评。"))
ALREADY_RATED = codes.add("already_rated", _("该样本人员已经测评。"))
SURVEY_CLOSED = codes.add("survey_closed", _("本次测评已结束。"))
NO_RATINGS = codes.add("no_ratings", _("尚无测评票，不能结束测评。"))
APPRAISAL_EXISTS = codes.add("appraisal_exists", _("该组成人员本年度已评议。"))
SUPERVISOR_CONFLICT = codes.add("supervisor_conflict", _("两委成员不能担任本村监委会成员（条例第十四条）。"))
ALREADY_SUPPORTED = codes.add("already_supported", _("您已参加联名。"))
