"""Identifiers people type: ID numbers (GB 11643), credit codes (GB 32100), phones."""

from __future__ import annotations

import pytest

from huying.core.errors import ValidationFailed
from huying.core.validators import (
    id_check_char,
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
    org_code_check_char,
    uscc_check_char,
)


def test_valid_id_number() -> None:
    assert normalize_id_number("360426199101010071") == "360426199101010071"
    assert normalize_id_number(" 3604 2619 9101 0100 71 ") == "360426199101010071"


@pytest.mark.parametrize(
    "value",
    ["360426199101010072", "36042619910101007", "3604261991010100711", "36042619911301007X", "", "abc"],
)
def test_invalid_id_numbers_are_rejected(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        normalize_id_number(value)
    assert exc.value.code == "invalid_id_number"


def test_id_number_check_x_is_upper_cased() -> None:
    assert normalize_id_number("37160220010101103x") == "37160220010101103X"


@pytest.mark.parametrize(
    "number", ["360426199101010071", "37160220010101103X", "11010519491231002X", "440524188001010014"]
)
def test_id_check_char_agrees_with_python_stdnum(number: str) -> None:
    from stdnum.cn import ric

    assert id_check_char(number[:17]) == number[17] == ric.calc_check_digit(number)  # it drops the last character


@pytest.mark.parametrize("value", ["３６０４２６１９９１０１０１００７１", "٣60426199101010071"])
def test_id_numbers_in_other_digits_are_rejected(value: str) -> None:
    with pytest.raises(ValidationFailed):
        normalize_id_number(value)


def test_uscc_valid() -> None:
    assert normalize_uscc("91110000600037341L") == "91110000600037341L"
    assert normalize_uscc("91110000600037341l") == "91110000600037341L"


def test_uscc_starting_with_a_letter_is_accepted() -> None:
    first17 = "Y1371600MA000000"[:16] + "1"
    code = first17 + uscc_check_char(first17)
    assert normalize_uscc(code) == code


@pytest.mark.parametrize("value", ["91110000600037341M", "91110000600037341", "9111000060003734IL", ""])
def test_invalid_uscc_is_rejected(value: str) -> None:
    with pytest.raises(ValidationFailed):
        normalize_uscc(value)


def test_org_code_check_char() -> None:
    assert org_code_check_char("60003734") == "1"  # the organisation code inside 91110000600037341L


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("0543-3218765", "05433218765"),
        ("(0543)3218765", "05433218765"),
    ],
)
def test_phones_normalised(value: str, expected: str) -> None:
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("value", ["12345", "23800138000", "1380013800", "138001380001", "电话", ""])
def test_bad_phones_rejected(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        normalize_phone(value)
    assert exc.value.code == "invalid_phone"


def test_an_id_number_with_a_half_known_region_is_refused_not_a_crash() -> None:
    from stdnum.iso7064 import mod_11_2

    from huying.core.errors import ValidationFailed
    from huying.core.validators import normalize_id_number

    first17 = "371699" + "19900101" + "001"  # python-stdnum raises KeyError('county') on this region
    with pytest.raises(ValidationFailed):
        normalize_id_number(first17 + mod_11_2.calc_check_digit(first17))


@pytest.mark.parametrize("first17", ["37021319450301002", "37068519640815003"])
def test_an_older_residents_number_keeps_the_region_code_of_its_first_issue(first17: str) -> None:
    # 李沧区 (370213) and 招远市 (370685) were created after these births; real numbers still carry them.
    number = first17 + id_check_char(first17)
    assert normalize_id_number(number) == number


@pytest.mark.parametrize("first17", ["99999919800101001", "37021330000101001"])
def test_an_unknown_region_or_a_birth_in_the_future_is_refused(first17: str) -> None:
    with pytest.raises(ValidationFailed):
        normalize_id_number(first17 + id_check_char(first17))
