"""网格代办: a visit finding turned, in one step, into an application in the service hall filed by the
grid worker on the resident's behalf (a worker finds an elderly resident with stroke after-effects
and gets him his disability certificate)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.applications import services as application_services
from huying.applications.models import Application
from huying.applications.states import ApplicantKind, AssistKind
from huying.applications.states import Channel as ApplicationChannel
from huying.catalogue.models import ServiceItem
from huying.core.errors import NotFound, ValidationFailed

from .. import errors
from ..models import Resident, VisitFinding
from ..permissions import HOUSEHOLD_STAFF, post_in_grid, resolve


def _converted() -> ValidationFailed:
    return ValidationFailed(_("该走访发现已转办，不能重复转办。"), code=errors.FINDING_CONVERTED)


def _applicant(finding: VisitFinding, resident: Resident | None) -> Resident:
    """The resident the application is for: the one named (of the visited household), else its 户主."""
    household = finding.visit.household
    if resident is not None:
        if resident.household_id != household.pk:
            raise ValidationFailed(data={"resident": _("申请人须为被走访户的成员。")})
        return resident
    members = list(Resident.objects.filter(household=household).order_by("id"))
    chosen = next((r for r in members if r.relation == Resident.Relation.HEAD), members[0] if members else None)
    if chosen is None:
        raise ValidationFailed(data={"resident": _("该户没有登记的成员，无法代办。")})
    return chosen


def visit_finding_to_application(
    *,
    actor: Actor | User | AnonymousUser,
    finding: VisitFinding,
    item_code: str,
    resident: Resident | None = None,
    form_data: dict[str, Any] | None = None,
    note: str = "",
) -> Application:
    """Turn a visit finding into a 网格代办 application for the resident, in one transaction.

    The applicant is the resident (name, ID number and phone from the household register; the
    household's phone when the resident has none); the grid worker is the application's agent and
    a 代办 record names them. Refuses (NotFound) an actor who does not serve the household's grid,
    an unknown or inactive item code, and a finding already converted (to an appeal or an
    application): a finding converts once.
    """
    resolved = resolve(actor)
    assert resolved is not None
    household = finding.visit.household
    if post_in_grid(resolved, household.grid_id, HOUSEHOLD_STAFF) is None:
        raise NotFound()
    if finding.appeal_id is not None or finding.application_id is not None:
        raise _converted()
    code = (item_code or "").strip()
    item = ServiceItem.objects.filter(code=code, is_active=True).first() if code else None
    if item is None:
        raise ValidationFailed(
            _("事项编码不存在或已停用。"), data={"item_code": code[:40]}, code=errors.UNKNOWN_SERVICE_ITEM
        )
    person = _applicant(finding, resident)
    now = timezone.now()
    with transaction.atomic():
        application = application_services.application_receive(
            actor=resolved,
            item=item,
            applicant_kind=ApplicantKind.PERSON,
            applicant_name=person.name,
            applicant_code=person.id_number,
            applicant_phone=person.phone or household.phone,
            form_data=form_data,
            channel=ApplicationChannel.GRID,
            grid_post_checked=True,
            now=now,
        )
        application_services.assisted_service_record(
            actor=resolved,
            kind=AssistKind.PROXY,
            person_name=person.name,
            person_phone=person.phone or household.phone,
            served_on=timezone.localdate(now),
            note=((note or "").strip() or finding.text)[:500],
            application=application,
            now=now,
        )
        claimed = VisitFinding.objects.filter(pk=finding.pk, appeal__isnull=True, application__isnull=True).update(
            application=application, outcome=VisitFinding.Outcome.APPLICATION, converted_at=now
        )
        if not claimed:
            raise _converted()
    finding.application, finding.outcome = application, VisitFinding.Outcome.APPLICATION
    return application
