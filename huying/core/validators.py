"""Validation of identifiers people type in: ID numbers, credit codes, phones.

python-stdnum does the ID-number check; its credit-code check rejects valid codes that start
with a letter (GB 32100-2015 allows Y… and other letters first), so the GB 32100 check is written out here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from . import errors
from .errors import ValidationFailed

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# GB 11643 (ISO 7064 MOD 11-2): the weight of digit i of the first 17 is 2**(17 - i) mod 11.
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"


def normalize_phone(value: str, *, field: str = "phone") -> str:
    """Return the phone with spaces and dashes removed; raise on anything not a CN mobile or landline."""
    cleaned = re.sub(r"[\s\u3000()（）]", "", value or "").replace("+86", "", 1)
    if _MOBILE.match(cleaned):
        return cleaned
    if _LANDLINE.match(cleaned):
        return cleaned.replace("-", "")
    raise ValidationFailed(
        _("电话号码格式不正确：请输入11位手机号或带区号的固定电话。"), code=errors.INVALID_PHONE, data={"field": field}
    )


def normalize_id_number(value: str, *, field: str = "id_number") -> str:
    """Validate an 18-digit 公民身份号码 (GB 11643, ISO 7064 MOD 11-2) and return it upper-cased."""
    cleaned = re.sub(r"\s", "", value or "").upper()
    try:
        if (
            len(cleaned) != 18
            or not (cleaned[:17].isascii() and cleaned[:17].isdigit())
            or id_check_char(cleaned[:17]) != cleaned[17]
        ):
            raise StdnumError()
        born = ric.get_birth_date(cleaned)
        # The region must be a real one, but not necessarily one in force in the year of birth: a number
        # carries the code of the place where it was first issued (李沧 370213 for someone born in 1945).
        place = {k: v for _part, props in numdb.get("cn/loc").info(cleaned[:6]) for k, v in props.items()}
        # A code ending 00 names a prefecture or province, never the county a number is issued in.
        if born > dt.date.today() or "county" not in place or cleaned[4:6] == "00":
            raise StdnumError()
        return cleaned
    except (StdnumError, KeyError, ValueError):
        # python-stdnum raises KeyError for some region codes it half-knows (e.g. 371699): invalid too.
        raise ValidationFailed(
            _("身份证号码无效：请核对18位号码及最后一位校验码。"), code=errors.INVALID_ID_NUMBER, data={"field": field}
        ) from None


def id_check_char(first17: str) -> str:
    """The 18th character of a 公民身份号码 whose first 17 digits are ``first17``."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    value = 11 - sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize_uscc(value: str, *, field: str = "credit_code") -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015), including codes that start with a letter."""
    cleaned = re.sub(r"\s", "", value or "").upper()
    error = ValidationFailed(
        _("统一社会信用代码无效：应为18位数字或大写字母（不含I、O、Z、S、V），且校验位正确。"),
        code=errors.INVALID_CREDIT_CODE,
        data={"field": field},
    )
    if len(cleaned) != 18 or any(c not in USCC_ALPHABET for c in cleaned):
        raise error
    if uscc_check_char(cleaned[:17]) != cleaned[17]:
        raise error
    return cleaned
