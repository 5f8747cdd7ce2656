"""The error codes the e-licence app answers with, beyond the platform's generic ones (huying.core.errors).

The token codes are the ``code`` of huying.licences.tokens' errors (that module stays free of Django).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

from . import tokens

codes = ErrorCatalogue("licences")

VERSION_EXHAUSTED = codes.add("version_exhausted", _("同一证照编号的版本号已达上限999，须更换证照编号后签发。"))
LICENCE_NOT_FOUND = codes.add("licence_not_found", _("二维码指向的证照不存在。"))
LICENCE_REVOKED = codes.add(tokens.LicenceRevoked.code, _("证照已吊销（或注销），不能使用。"))
LICENCE_SUPERSEDED = codes.add("licence_superseded", _("证照已换发新版本，此版本不能使用。"))
LICENCE_EXPIRED = codes.add("licence_expired", _("证照已过有效期，不能使用。"))
LICENCE_NOT_YET_VALID = codes.add("licence_not_yet_valid", _("证照尚未到有效期起始日期，不能使用。"))
AUTHORISATION_INACTIVE = codes.add("authorisation_inactive", _("亮证所依据的授权已撤销或已过期。"))
HOLDER_MISMATCH = codes.add("holder_mismatch", _("亮证人既不是持证人，也没有有效授权。"))
KEYS_MISSING = codes.add("licence_keys_missing", _("电子证照签名密钥未配置，不能签发亮证二维码。"))
TOKEN_INVALID = codes.add(tokens.TokenError.code, _("二维码无法识别。"))
TOKEN_FORGED = codes.add(tokens.TokenForged.code, _("二维码签名校验未通过，可能被伪造或篡改。"))
TOKEN_EXPIRED = codes.add(tokens.TokenExpired.code, _("二维码已过期（有效期60秒）。"))
TOKEN_NOT_YET_VALID = codes.add(tokens.TokenNotYetValid.code, _("二维码尚未生效（扫码设备时间可能不准）。"))
TOKEN_REPLAYED = codes.add(tokens.TokenReplayed.code, _("二维码已被使用过一次。"))
