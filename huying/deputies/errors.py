"""The error codes the deputies' loops answer with (besides core's not_found, forbidden, validation_failed)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue, ValidationFailed

codes = ErrorCatalogue("deputies")
PERIOD_TOO_SHORT = codes.add("period_too_short", _("征求意见期一般不少于30日；少于30日须写明理由。"))
CLOSE_EARLY_REASON = codes.add("close_early_reason", _("征求意见期未满，提前结束须写明理由。"))
COMMENT_CLOSED = codes.add("comment_closed", _("该草案的征求意见期已结束或尚未开始，不能再提出意见。"))
NODE_NOT_IN_VERSION = codes.add("node_not_in_version", _("所选条文不在该草案的现行文本中。"))
ANONYMOUS_NOT_ALLOWED = codes.add("anonymous_not_allowed", _("该草案要求实名提出意见。"))
NO_ARTICLES = codes.add("no_articles", _("草案文本中没有找到“第X条”，请检查文本。"))
BAD_DOCX = codes.add("bad_docx", _("无法读取该Word文件，请上传.docx格式的草案。"))
MERGE_TARGET = codes.add("merge_target", _("只能合并到同一草案中尚未合并的另一条意见。"))
OUTCOME_REQUIRED = codes.add("outcome_required", _("请选择采纳情况并说明理由。"))
SLOT_FULL = codes.add("slot_full", _("该接待日的预约名额已满，请选择其他日期或现场来访。"))
DAY_PAST = codes.add("day_past", _("只能预约今天及以后的接待日。"))
ALREADY_ROUTED = codes.add("already_routed", _("该接待记录已经处理，不能重复转办。"))
NOT_SINGLE_MATTER = codes.add("not_single_matter", _("建议应当一事一议，请确认后再交办。"))
UNIT_SELF_RETURN = codes.add("unit_self_return", _("承办单位不得擅自退回或转办，只能在期限内向交办机关提出异议。"))
OBJECTION_LATE = codes.add("objection_late", _("对交办有异议须在交办后5个工作日内提出，已超过期限。"))
CEILING_PASSED = codes.add("ceiling_passed", _("已超过答复期限且没有经批准的延期，答复最迟不得超过交办之日起六个月。"))
EXTENSION_TOO_LONG = codes.add("extension_too_long", _("延期后的答复期限不得超过交办之日起六个月。"))
REPLY_CLASS_REQUIRED = codes.add("reply_class_required", _("请选择答复类别（A–D）和答复方式。"))
SATISFACTION_REQUIRED = codes.add("satisfaction_required", _("请分别评价办理态度和办理结果；不满意须写明具体意见。"))
NOT_ALL_CONSENTED = codes.add("not_all_consented", _("各方当事人同意调解后才能开始调解；一方明确拒绝的，不得调解。"))
AGREEMENT_INCOMPLETE = codes.add(
    "agreement_incomplete", _("调解协议须写明纠纷事实、各方责任、协议内容及履行方式和期限。")
)
NOT_ALL_SIGNED = codes.add("not_all_signed", _("各方当事人和调解员签名后才能加盖印章，协议方可生效。"))
EXPERT_CONFLICT = codes.add("expert_conflict", _("专家与制定机关存在利害关系（同一单位或已申报回避），不能指派。"))
NO_ELIGIBLE_EXPERT = codes.add("no_eligible_expert", _("该领域没有可指派的在聘专家。"))
BOOKING_EXISTS = codes.add("booking_exists", _("您已预约该接待日。"))


def fail(code: str, field: str | None = None) -> ValidationFailed:
    """The ValidationFailed for ``code`` with its catalogue message (on ``field`` when given)."""
    message = codes.codes[code]
    return ValidationFailed(message, code=code, data={field: str(message)} if field else None)
