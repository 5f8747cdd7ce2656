import pytest

from huying.licences.identifier import ALPHABET_36, ROOT, build_identifier, mod37_36_check, parse_identifier

KNOWN_GOOD = [
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
]


@pytest.mark.parametrize("text", KNOWN_GOOD)
def test_known_good_identifiers_parse(text):
    lid = parse_identifier(text)
    assert str(lid) == text
    assert lid.definer_credit_code == "11100000000013338W"
    assert lid.check == text[-1]


def test_check_covers_parts_without_dots_and_root():
    assert mod37_36_check("11100000000013338W011" + "11430000006122244L" + "20230000403" + "001") == "U"
    assert mod37_36_check("11100000000013338W009" + "11330105002500287C" + "2025052201" + "002") == "0"


def test_parsed_fields():
    lid = parse_identifier(KNOWN_GOOD[0])
    assert (lid.type_code, lid.issuer_credit_code, lid.serial, lid.version) == (
        "11100000000013338W011",
        "11430000006122244L",
        "20230000403",
        "001",
    )
    assert lid.type_sequence == "011"


@pytest.mark.parametrize("text", KNOWN_GOOD)
def test_every_single_substitution_changes_the_check(text):
    payload = "".join(text[len(ROOT) + 1 :].split(".")[:4])
    check = mod37_36_check(payload)
    for i, original in enumerate(payload):
        for other in ALPHABET_36:
            if other != original:
                assert mod37_36_check(payload[:i] + other + payload[i + 1 :]) != check


def test_adjacent_transposition_detected():
    payload = "11100000000013338W01111430000006122244L20230000403001"
    check = mod37_36_check(payload)
    for i in range(len(payload) - 1):
        if payload[i] != payload[i + 1]:
            swapped = payload[:i] + payload[i + 1] + payload[i] + payload[i + 2 :]
            assert mod37_36_check(swapped) != check


def test_wrong_check_character_rejected():
    bad = KNOWN_GOOD[0][:-1] + "V"
    with pytest.raises(ValueError, match="校验位错误"):
        parse_identifier(bad)


def test_changed_serial_character_rejected():
    bad = KNOWN_GOOD[0].replace("20230000403", "20230000408")
    with pytest.raises(ValueError, match="校验位错误"):
        parse_identifier(bad)


def test_changed_credit_code_rejected_by_its_own_check_digit():
    bad = KNOWN_GOOD[0].replace("11430000006122244L", "11430000006122245L")
    with pytest.raises(ValueError, match="颁发机构代码"):
        parse_identifier(bad)
    bad_type = KNOWN_GOOD[0].replace("11100000000013338W011", "11100000000013339W011")
    with pytest.raises(ValueError, match="证照类型代码"):
        parse_identifier(bad_type)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U.X",
        "1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0000403.001.U",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.UU",
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L..001.U",
    ],
)
def test_malformed_rejected_with_chinese_message(text):
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        parse_identifier(text)


def test_lower_case_and_whitespace_normalised():
    assert str(parse_identifier("  " + KNOWN_GOOD[0].lower() + "\n")) == KNOWN_GOOD[0]


def test_build_parse_round_trip():
    built = build_identifier("11100000000013338W011", "11430000006122244L", "20230000403", "001")
    assert built == KNOWN_GOOD[0]
    built = build_identifier("11100000000013338W009", "11330105002500287C", "2025052201", 2)
    assert built == KNOWN_GOOD[1]
    for serial in ("A", "Z9Y8X7W6V5U4T3S2R1Q0", "0" * 64):
        text = build_identifier("11100000000013338W011", "11430000006122244L", serial, 7)
        lid = parse_identifier(text)
        assert (lid.serial, lid.version) == (serial, "007")


@pytest.mark.parametrize(
    "args",
    [
        ("11100000000013338W011", "11430000006122244X", "1", "001"),
        ("11100000000013338W011", "11430000006122244L", "abc", "001"),
        ("11100000000013338W011", "11430000006122244L", "1", "1000"),
        ("11100000000013338WX11", "11430000006122244L", "1", "001"),
    ],
)
def test_build_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        build_identifier(*args)


def test_check_rejects_foreign_characters():
    with pytest.raises(ValueError):
        mod37_36_check("ab")
    with pytest.raises(ValueError):
        mod37_36_check("")


def test_common_type_codes_are_valid_type_codes():
    from huying.licences.types import COMMON_TYPES

    codes = [spec.code for spec in COMMON_TYPES]
    assert len(set(codes)) == len(codes)
    for code in codes:
        # a type code builds a checked identifier: 18-character definer credit code + 3 digits
        assert parse_identifier(build_identifier(code, "91110000600037341L", "A1", 1)).type_code == code
