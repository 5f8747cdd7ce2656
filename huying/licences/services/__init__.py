"""Writes for e-licences: issue (versioned), revoke, expire, import, show tokens, verify, authorise.

Keyword-only arguments, one transaction each. Pages, the API, commands and other apps call these.
By sub-capability: ``issue`` (签发, types), ``lifecycle`` (吊销, 到期, 换发 through the TRANSITIONS
table), ``verification`` (亮证, 用证), ``authorisations`` (授权用证), ``imports`` (批量导入); the signing
keys are huying.licences.keys.
"""

from __future__ import annotations

from .. import errors  # noqa: F401  (the app's error codes are listed when its services load)
from .authorisations import MAX_AUTHORISATION_DAYS, authorisation_grant, authorisation_revoke
from .imports import (
    IMPORT_COLUMNS,
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportReport,
    RowError,
    licence_import,
)
from .issue import licence_issue, licence_types_load, normalize_holder_code
from .lifecycle import licence_revoke, licences_expire
from .verification import (
    FULL_VIEW_MINUTES,
    SHOW_TTL_SECONDS,
    ServiceUnavailable,
    licence_full_view,
    show_token_issue,
    token_verify,
    used_tokens_purge,
)

__all__ = [
    "FULL_VIEW_MINUTES",
    "IMPORT_COLUMNS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "MAX_AUTHORISATION_DAYS",
    "REQUIRED_COLUMNS",
    "SHOW_TTL_SECONDS",
    "ImportReport",
    "RowError",
    "ServiceUnavailable",
    "authorisation_grant",
    "authorisation_revoke",
    "licence_full_view",
    "licence_import",
    "licence_issue",
    "licence_revoke",
    "licence_types_load",
    "licences_expire",
    "normalize_holder_code",
    "show_token_issue",
    "token_verify",
    "used_tokens_purge",
]
