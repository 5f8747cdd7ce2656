"""An application's personal data: masked everywhere, shown in full to the staff who handle it, audited.

Who may reveal: the comprehensive window (CLERK, who receives and accepts), the reviewing units (the
application's unit and the units of its review tasks), supervisors, and the applicant side (applicant
or their registered agent). Never other citizens, never a unit the application does not concern.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.catalogue.models import FormField
from huying.core import personal_data
from huying.core.errors import HuyingError
from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy

from ..models import Application
from ..permissions import is_applicant_side, roles_for
from ..states import APPLICANT, ApplicantKind
from .common import ActorArg, _resolve, application_plan

REVEALERS = frozenset({Role.CLERK, Role.REVIEWER, APPLICANT})
FORM_PREFIX = "form."


def form_kinds(application: Application) -> dict[str, str]:
    """Form keys that hold an ID number or a phone, by kind (``id_number`` / ``phone``)."""
    try:
        fields = application_plan(application).fields
    except HuyingError:
        return {}
    wanted: dict[str, str] = {
        FormField.Kind.ID_NUMBER: personal_data.ID_NUMBER,
        FormField.Kind.PHONE: personal_data.PHONE,
    }
    return {f.key: wanted[f.kind] for f in fields if f.kind in wanted}


def masked_applicant(application: Application, *, own: bool) -> dict[str, Any]:
    """What a page or the API shows: the ID number masked for everyone (the applicant too), the phone in
    full only to the applicant side, the form's ID numbers and phones likewise."""
    code = application.applicant_code
    if application.applicant_kind == ApplicantKind.PERSON or personal_data.looks_like_id_number(code):
        code = personal_data.mask_value(code, personal_data.ID_NUMBER)
    phone = application.applicant_phone if own else personal_data.mask_value(application.applicant_phone, "phone")
    kinds = form_kinds(application)
    form: dict[str, Any] = {}
    for key, value in (application.form_data or {}).items():
        kind = kinds.get(key, "")
        if own and (kind == personal_data.PHONE or (not kind and personal_data.looks_like_mobile(value))):
            form[key] = value
        else:
            form[key] = personal_data.mask_value(value, kind)
    return {"applicant_code": code, "applicant_phone": phone, "form_data": form}


def may_reveal(actor: Actor, application: Application) -> bool:
    roles = roles_for(actor, application)
    return bool(roles & REVEALERS) or actor.has_role(Role.SUPERVISOR) or is_applicant_side(actor, application)


def _values(application: Application) -> dict[str, str]:
    values = {"applicant_code": application.applicant_code, "applicant_phone": application.applicant_phone}
    data = application.form_data or {}
    kinds = form_kinds(application)
    for key, value in data.items():
        if key in kinds or personal_data.looks_like_id_number(value) or personal_data.looks_like_mobile(value):
            values[FORM_PREFIX + key] = str(value)
    return values


register_reveal_policy(
    Application,
    RevealPolicy(
        may_reveal=may_reveal,
        values=_values,
        describe=lambda app: f"查看办件 {app.number} 申请人完整信息",
        denied=gettext_lazy("您无权查看该办件申请人的完整信息。"),
    ),
)


def application_reveal_personal_data(
    *, actor: ActorArg, application: Application, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    """The applicant's full ID number and phone, and the form's: for the staff handling it; audited."""
    resolved = _resolve(actor)
    assert resolved is not None
    return personal_data_reveal(actor=resolved, record=application, purpose=purpose, ip_address=ip_address)
