"""normalize_text: each kind of junk, converter artefacts, traditional → simplified, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huying.dispatch.normalize import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\n\t\t\t\t\t\n\t\t\t\t\t路灯不亮\n\t\t\t\t", "路灯不亮"),
        ("路灯\u3000\u3000不亮", "路灯 不亮"),
        ("路灯\xa0不亮\r\n请修", "路灯 不亮 请修"),
        ("路\u200b灯\ufeff", "路灯"),
        ("ＡＢＣ１２３，ｏｋ！（Ｄ１）", "abc123,ok!(d1)"),  # NFKC-like: ，！（） too
        ("请在Ｇ２栋处理", "请在g2栋处理"),
        ("。、“”《》…", "。、“”《》…"),  # Chinese punctuation outside the full-width block stays
        ("", ""),
    ],
)
def test_whitespace_and_width(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_none_is_empty() -> None:
    assert normalize_text(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("為激發(fā)青年干部", "为激发青年干部"),
        ("經(jīng)濟", "经济"),
        ("創（chuàng）業", "创业"),  # full-width brackets
        ("服務(wù)局", "服务局"),
        ("問(Fā)題", "问题"),
        ("專m(xiàng)行動", "专m行动"),  # after a garbled character too
        ("发(fa1)展", "发展"),  # tone digit
        ("楼（D1）", "楼(d1)"),  # not pinyin
        ("液化气（LPG）", "液化气(lpg)"),
        ("第(a)项", "第(a)项"),  # list marker, no tone
        ("北京(beijing)", "北京(beijing)"),  # not one syllable
        ("小区(an)", "小区(an)"),  # untoned: kept
    ],
)
def test_pinyin_artefacts(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_traditional_to_simplified() -> None:
    assert normalize_text("這裡的頭髮與衛生計生問題") == "这里的头发与卫生计生问题"


@pytest.mark.parametrize("masked", ["138****1234", "370***********1234", "电话：１３８****１２３４"])
def test_masked_numbers_survive(masked: str) -> None:
    assert "****" in normalize_text(masked)
    assert normalize_text("联系138****1234谢谢") == "联系138****1234谢谢"


JUNKY = st.text(
    alphabet=st.sampled_from(list("發展(fā)（ｚｈǔ）abcABCＡ１ 　\xa0\n\t\u200b經濟區域*12。，!")),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(JUNKY)
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
