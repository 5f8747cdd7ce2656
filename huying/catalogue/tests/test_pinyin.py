from __future__ import annotations

from huying.catalogue.pinyin import initials, initials_variants, looks_like_initials


def test_main_reading_first() -> None:
    assert initials_variants("开办企业") == ["kbqy"]
    assert initials("食品经营许可").split()[0] == "spjyxk"


def test_heteronyms_keep_every_reading() -> None:
    # pypinyin reads 长山镇 as "zsz"; people type "csz".
    variants = initials("长山镇").split()
    assert "csz" in variants and "zsz" in variants
    assert "yhkh" in initials("银行开户").split()
    assert {"cxsl", "zxsl"} <= set(initials("重新申领").split())


def test_ascii_kept_and_punctuation_dropped() -> None:
    assert initials("ABC许可（变更）").split()[0] == "abcxkbg"
    assert initials("") == ""


def test_length_is_capped_at_whole_variants() -> None:
    value = initials("长行重长行重长行重长行重长行重", max_length=40)
    assert len(value) <= 40
    assert all(len(v) == 15 for v in value.split())


def test_looks_like_initials() -> None:
    assert looks_like_initials("kbqy")
    assert not looks_like_initials("开办")
    assert not looks_like_initials("")
