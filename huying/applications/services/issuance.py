"""统一出件 (行政许可法 Art. 44) and 办结; the approved items' result e-licences issued on approval."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor
from huying.core.errors import HuyingError, ValidationFailed

from .. import integrations
from ..models import Application
from ..states import IssueMethod
from .common import Step, _event, application_plan


def _clean_post(tracking: str, address: str) -> None:
    problems = {}
    if not tracking:
        problems["tracking_number"] = _("邮寄送达须填写快递单号。")
    elif len(tracking) > 40 or not tracking.replace("-", "").isalnum():
        problems["tracking_number"] = _("快递单号应为不超过40位的字母和数字。")
    if not address:
        problems["postal_address"] = _("邮寄送达须填写送达地址。")
    elif len(address) > 200:
        problems["postal_address"] = _("送达地址不能超过200字。")
    if problems:
        raise ValidationFailed(data=problems)


def issue(step: Step) -> None:
    method = str(step.payload.get("method") or "")
    if method not in IssueMethod.values:
        raise ValidationFailed(data={"method": _("请选择出件方式。")})
    tracking = str(step.payload.get("tracking_number") or "").strip()
    address = str(step.payload.get("postal_address") or "").strip()
    if method == IssueMethod.POST:
        _clean_post(tracking, address)
    else:
        tracking, address = "", ""
    step.updates.update(issue_method=method, tracking_number=tracking, postal_address=address, issued_at=step.now)
    step.data.update(method=method, tracking_number=tracking)


def close(step: Step) -> None:
    step.updates["closed_at"] = step.now


def _issue_result_licences(actor: Actor, application: Application, now: dt.datetime) -> None:
    """Each approved item's result e-licence; one that fails is logged (not public) and the rest go on."""
    items = [application.item] if application.item is not None else list(application_plan(application).items)
    issued: list[dict[str, str]] = []
    for item in items:
        if item is None or not item.result_licence_type_code:
            continue
        try:
            with transaction.atomic():
                identifier, type_name = integrations.issue_result_licence(
                    type_code=item.result_licence_type_code,
                    holder_code=application.applicant_code,
                    holder_name=application.applicant_name,
                    unit=item.unit,
                    source_ref=application.number or "",
                    actor=actor.user,
                )
        except HuyingError as exc:
            _event(
                application,
                action="licence_issue_failed",
                from_status=application.status,
                actor=actor.user,
                now=now,
                note=str(exc.message),
                data={"item": item.code},
                is_public=False,
            )
            continue
        issued.append(
            {"item": item.code, "type_code": item.result_licence_type_code, "name": type_name, "identifier": identifier}
        )
        _event(
            application,
            action="licence_issued",
            from_status=application.status,
            actor=actor.user,
            now=now,
            data={"identifier": identifier, "name": type_name},
        )
    if issued:
        # Written in the transaction that approved the application, at the version that approval made.
        Application.objects.filter(pk=application.pk).update(result_licences=issued)
        application.result_licences = issued
