"""Masked display of personal data (phone 3+4, ID number 6+4)."""

from __future__ import annotations

from huying.core.masking import mask_id_number, mask_name, mask_phone


def test_mobile_keeps_three_and_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_landline_is_masked_too() -> None:
    assert mask_phone("05433218765") == "054****8765"  # 11 digits: same rule as a mobile
    assert mask_phone("053112345678") == "0531******78"


def test_id_number_keeps_six_and_four() -> None:
    assert mask_id_number("371602199001011234") == "371602********1234"
    assert mask_id_number("37160220010101103X") == "371602********103X"


def test_names_and_empty_values() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修文") == "欧***"
    assert mask_phone("") == mask_id_number(None) == mask_name("") == ""
