"""The only calls from the 办件 loop into the e-licence app (huying.licences), kept in one place."""

from __future__ import annotations

from django.conf import settings

from huying.accounts.models import User
from huying.licences.selectors import valid_licence_for
from huying.licences.services import licence_issue
from huying.organisations.models import OrgUnit

# A valid-format placeholder 统一社会信用代码 for the issuing units of a deployment that has not
# entered its units' real codes (HUYING_ISSUER_CREDIT_CODE in settings overrides it).
DEFAULT_ISSUER_CREDIT_CODE = "11371600MB2854970C"


def issuer_credit_code() -> str:
    return str(getattr(settings, "HUYING_ISSUER_CREDIT_CODE", DEFAULT_ISSUER_CREDIT_CODE))


def held_licence_identifier(holder_code: str, type_code: str) -> str:
    """The identifier of the holder's valid e-licence of this type, or "" when they hold none."""
    licence = valid_licence_for(holder_code, type_code)
    return licence.identifier if licence is not None else ""


def issue_result_licence(
    *, type_code: str, holder_code: str, holder_name: str, unit: OrgUnit, source_ref: str, actor: User | None = None
) -> tuple[str, str]:
    """Issue the approved item's result licence; returns (identifier, type name). Raises HuyingError."""
    licence = licence_issue(
        type_code=type_code,
        holder_code=holder_code,
        holder_name=holder_name,
        issuer_name=unit.name,
        issuer_credit_code=issuer_credit_code(),
        issuer_unit=unit,
        source_ref=source_ref,
        actor=actor,
    )
    return licence.identifier, licence.type.name
