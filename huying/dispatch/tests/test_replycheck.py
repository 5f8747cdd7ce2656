"""Reply check (答复质量检查): synthetic Chinese appeals and replies, no database, no data files."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from huying.dispatch import replycheck
from huying.dispatch.replycheck import DEFAULT, ReplyCheck, check_reply, split_reply

APPEAL = (
    "幸福路小区东门路灯坏了两个多星期\n"
    "幸福路小区东门口一排路灯已经坏了两个多星期，晚上出行很不安全，老人孩子经常摔倒，"
    "给物业打过电话也没有人来维修，希望有关部门尽快修复路灯。"
)
GOOD_REPLY = (
    "网友“uu0081234”：您好！您的留言已收悉。现将有关情况回复如下：经查，幸福路小区东门口路灯因地下电缆老化短路"
    "导致不亮，市城市管理局已于3月5日安排维修人员更换电缆，目前该路段路灯已全部恢复正常照明。"
    "下一步我们将加强对路灯设施的巡查维护。感谢您对我们工作的关心、监督与支持。市城市管理局 2024年3月6日"
)
BOILERPLATE_REPLY = (
    "网友“uu0081234”：您好！您的留言已收悉。现将有关情况回复如下：感谢您对我们工作的关心、监督与支持。"
    "如有疑问，请致电0000-00000000。市城市管理局 2024年3月6日"
)
OTHER_MATTER_REPLY = (
    "网友：您好！来信收悉。现回复如下：经核实，您所在的建筑工地劳务公司拖欠农民工工资一事，区人社局劳动监察大队"
    "已约谈施工总承包单位负责人，责令其在十日内足额支付拖欠的三个月工资共一万二千元，并将该企业列入重点监控名单。"
    "感谢您的来信！2024年3月6日"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def codes(result: ReplyCheck) -> list[str]:
    return [w.code for w in result.warnings]


def test_substantive_on_topic_reply_passes() -> None:
    result = check_reply(APPEAL, GOOD_REPLY)
    assert result.ok, result.warnings
    assert result.warnings == []
    assert result.score >= DEFAULT.min_relevance
    assert any("路灯" in k for k in result.shared_keywords)
    assert any("幸福路小区" in k for k in result.shared_keywords)
    assert {"经查", "安排"} <= set(result.action_words)
    assert "您的留言已收悉" in result.boilerplate_phrases
    assert result.substantive_chars >= 50


@pytest.mark.parametrize("reply", ["", "   ", "已收悉，正在处理。", "收到。", "网友：您好！留言已收悉"])
def test_empty_or_very_short_reply_warns_too_short(reply: str) -> None:
    result = check_reply(APPEAL, reply)
    assert not result.ok
    assert codes(result) == ["too_short"]
    assert result.warnings[0].message.startswith("答复过短，未说明办理结果")


def test_boilerplate_only_reply_warns_boilerplate() -> None:
    result = check_reply(APPEAL, BOILERPLATE_REPLY)
    assert codes(result) == ["boilerplate"]
    warning = result.warnings[0]
    assert warning.message.startswith("答复为套话，未说明具体措施")
    assert "您的留言已收悉" in warning.evidence
    assert "现将有关情况回复如下" in warning.evidence
    assert result.substantive_chars < DEFAULT.min_substance


def test_echoing_the_appeal_title_is_not_substance() -> None:
    reply = "网友您好！您反映的“幸福路小区东门路灯坏了两个多星期”问题已收悉，感谢您的支持！"
    result = check_reply(APPEAL, reply)
    assert codes(result) == ["boilerplate"]
    assert result.substantive_chars == 0


def test_reply_about_another_matter_warns_off_topic() -> None:
    result = check_reply(APPEAL, OTHER_MATTER_REPLY)
    assert codes(result) == ["off_topic"]
    assert result.score < DEFAULT.min_relevance
    message = result.warnings[0].message
    assert message.startswith("答复与诉求内容关联度低")
    assert "共同关键词：" in message
    # the same reply fits its own appeal
    wages = "工地拖欠农民工工资三个月\n在建筑工地干活，劳务公司拖欠三个月工资共一万二千元，一直联系不上包工头。"
    assert check_reply(wages, OTHER_MATTER_REPLY).ok


def test_transfer_notice_warns_transfer_only() -> None:
    reply = "您的留言已收悉。关于您反映的问题，已转市住建局调查处理。"
    result = check_reply(APPEAL, reply)
    assert codes(result) == ["transfer_only"]
    assert result.warnings[0].message.startswith("答复仅说明已转交办理")
    assert result.warnings[0].evidence == ("已转市住建局调查处理",)
    lenient = check_reply(APPEAL, reply, config=replace(DEFAULT, warn_transfer_only=False))
    assert lenient.ok


def test_near_identical_reply_to_another_appeal_warns_duplicate() -> None:
    result = check_reply(APPEAL, GOOD_REPLY, others=[GOOD_REPLY.replace("3月5日", "3月8日"), OTHER_MATTER_REPLY])
    assert codes(result) == ["duplicate"]
    assert result.warnings[0].message.startswith("答复与另一工单答复几乎相同")
    assert check_reply(APPEAL, GOOD_REPLY, others=[OTHER_MATTER_REPLY]).ok


def test_no_action_warning_when_enabled() -> None:
    reply = "网友您好！幸福路小区东门的路灯属于小区物业公司的设施，路灯照明关系业主出行安全，业主委员会与物业公司协商。"
    assert check_reply(APPEAL, reply).ok  # off by default (calibration: only false warnings)
    result = check_reply(APPEAL, reply, config=replace(DEFAULT, no_action_max_chars=200))
    assert codes(result) == ["no_action"]
    assert result.action_words == []


def test_every_warning_has_a_stable_code_a_chinese_message_and_evidence() -> None:
    cases = [
        ("", "too_short"),
        (BOILERPLATE_REPLY, "boilerplate"),
        (OTHER_MATTER_REPLY, "off_topic"),
        ("您好，您所反映的问题已转交相关单位调查处置。感谢您的支持！", "transfer_only"),
    ]
    for reply, code in cases:
        result = check_reply(APPEAL, reply)
        assert codes(result) == [code]
        warning = result.warnings[0]
        assert CJK.search(warning.message), warning.message
        assert warning.code in {"too_short", "boilerplate", "transfer_only", "off_topic", "no_action", "duplicate"}
    assert check_reply(APPEAL, BOILERPLATE_REPLY).warnings[0].evidence
    assert check_reply(APPEAL, OTHER_MATTER_REPLY).shared_keywords == list(
        check_reply(APPEAL, OTHER_MATTER_REPLY).warnings[0].evidence
    )


def test_deterministic() -> None:
    for reply in (GOOD_REPLY, BOILERPLATE_REPLY, OTHER_MATTER_REPLY, ""):
        assert check_reply(APPEAL, reply) == check_reply(APPEAL, reply)


def test_normalises_full_width_and_traditional_text() -> None:
    traditional = GOOD_REPLY.replace("经查", "經查").replace("路灯", "路燈").replace("：", ":")
    result = check_reply(APPEAL, traditional)
    assert result.ok
    assert any("路灯" in k for k in result.shared_keywords)


def test_clause_tagging() -> None:
    tags = dict(split_reply("网友“uu0081234”:您好!来信收悉。经查,该路段路灯已修复。已转市住建局调查处理。2024年3月6日"))
    assert tags["网友“uu0081234”"] == "formula"
    assert tags["来信收悉"] == "formula"
    assert tags["经查"] == "content"
    assert tags["该路段路灯已修复"] == "content"
    assert tags["已转市住建局调查处理"] == "transfer"
    assert tags["2024年3月6日"] == "formula"


def test_builtin_idf_table_needs_no_data_files() -> None:
    table = replycheck._builtin_idf()
    assert len(table) > 500
    assert table["问题"] < 2 < table["路灯"]


def test_jieba_tokenizer_falls_back_to_bigrams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replycheck, "_jieba", lambda: None)
    result = check_reply(APPEAL, GOOD_REPLY, config=replace(DEFAULT, tokenizer="jieba"))
    assert result.tokenizer == "bigram"
    assert result == check_reply(APPEAL, GOOD_REPLY)
