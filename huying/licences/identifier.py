"""电子证照标识 (GB/T 36904-2018): build, parse and check licence identifiers.

Layout, dot-separated (GB/T 36904-2018 电子证照 标识规范; check character ISO/IEC 7064 MOD 37,36)::

    1.2.156.3005.2 . 证照类型代码 . 证照颁发机构代码 . 流水号 . 版本号 . 校验位

- 证照类型代码: the defining authority's 18-character 统一社会信用代码 + a 3-digit sequence (21 chars);
- 证照颁发机构代码: the issuing body's 18-character 统一社会信用代码;
- 流水号: serial, 1-64 characters of 0-9A-Z;
- 版本号: 3 digits;
- 校验位: ISO/IEC 7064 MOD 37,36 (hybrid) over 证照类型代码 + 颁发机构代码 + 流水号 + 版本号,
  concatenated without dots and without the root; 0-9 → 0-9, A-Z → 10-35.

Plain Python: no direct Django import. The GB 32100 credit-code check digit is reused from
:mod:`huying.core.validators` (it only needs Django importable, not configured).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from huying.core.validators import USCC_ALPHABET, uscc_check_char

__all__ = ["ROOT", "LicenceId", "build_identifier", "mod37_36_check", "parse_identifier", "uscc_is_valid"]

ROOT = "1.2.156.3005.2"
ALPHABET_36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUES = {c: i for i, c in enumerate(ALPHABET_36)}
_TYPE_CODE = re.compile(r"^[0-9A-Z]{18}[0-9]{3}$")
_SERIAL = re.compile(r"^[0-9A-Z]{1,64}$")
_VERSION = re.compile(r"^[0-9]{3}$")


def mod37_36_check(payload: str) -> str:
    """Return the ISO/IEC 7064 MOD 37,36 check character of ``payload`` (characters 0-9A-Z only)."""
    if not payload:
        raise ValueError("校验位计算失败：内容为空。")
    p = 36
    for ch in payload:
        value = _VALUES.get(ch)
        if value is None:
            raise ValueError(f"校验位计算失败：包含非法字符“{ch}”（只允许数字和大写字母）。")
        p = (p + value) % 36 or 36
        p = (p * 2) % 37
    return ALPHABET_36[(37 - p) % 36]


def uscc_is_valid(code: str) -> bool:
    """True for an 18-character 统一社会信用代码 whose GB 32100 check character is correct."""
    return len(code) == 18 and all(c in USCC_ALPHABET for c in code) and uscc_check_char(code[:17]) == code[17]


@dataclass(frozen=True, slots=True)
class LicenceId:
    """A parsed, checked 电子证照标识."""

    type_code: str
    issuer_credit_code: str
    serial: str
    version: str
    check: str

    @property
    def definer_credit_code(self) -> str:
        """统一社会信用代码 of the authority that defines the licence type."""
        return self.type_code[:18]

    @property
    def type_sequence(self) -> str:
        return self.type_code[18:]

    def __str__(self) -> str:
        return ".".join((ROOT, self.type_code, self.issuer_credit_code, self.serial, self.version, self.check))


def _validate_parts(type_code: str, issuer_credit_code: str, serial: str, version: str) -> None:
    if not _TYPE_CODE.match(type_code):
        raise ValueError("证照类型代码格式错误：应为18位统一社会信用代码加3位数字顺序号，共21位。")
    if not uscc_is_valid(type_code[:18]):
        raise ValueError("证照类型代码无效：其中证照定义机构的统一社会信用代码校验位不正确。")
    if not uscc_is_valid(issuer_credit_code):
        raise ValueError("证照颁发机构代码无效：应为18位统一社会信用代码，且校验位正确。")
    if not _SERIAL.match(serial):
        raise ValueError("流水号格式错误：应为1至64位数字或大写字母。")
    if not _VERSION.match(version):
        raise ValueError("版本号格式错误：应为3位数字，例如001。")


def build_identifier(type_code: str, issuer_credit_code: str, serial: str, version: str | int) -> str:
    """Return the full identifier, check character included; raise ``ValueError`` on a bad part."""
    if isinstance(version, int):
        if not 0 <= version <= 999:
            raise ValueError("版本号格式错误：应为3位数字，例如001。")
        version = f"{version:03d}"
    _validate_parts(type_code, issuer_credit_code, serial, version)
    check = mod37_36_check(type_code + issuer_credit_code + serial + version)
    return str(LicenceId(type_code, issuer_credit_code, serial, version, check))


def parse_identifier(text: str) -> LicenceId:
    """Parse and check an identifier (surrounding whitespace ignored, letters upper-cased)."""
    cleaned = (text or "").strip().upper()
    prefix = ROOT + "."
    if not cleaned.startswith(prefix):
        raise ValueError(f"电子证照标识格式错误：应以根代码{ROOT}开头。")
    parts = cleaned[len(prefix) :].split(".")
    if len(parts) != 5:
        raise ValueError("电子证照标识格式错误：根代码之后应有证照类型代码、颁发机构代码、流水号、版本号、校验位5段。")
    type_code, issuer, serial, version, check = parts
    _validate_parts(type_code, issuer, serial, version)
    if len(check) != 1:
        raise ValueError("电子证照标识格式错误：校验位应为1个字符。")
    expected = mod37_36_check(type_code + issuer + serial + version)
    if check != expected:
        raise ValueError("电子证照标识校验位错误：标识可能输入有误或被篡改。")
    return LicenceId(type_code, issuer, serial, version, check)
