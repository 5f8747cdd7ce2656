"""村级全程代办 through the one-window loop: filed at the centre, accepted and decided at the window,
returned to the centre, handed to the resident, followed by SMS code."""

from __future__ import annotations

import re

import pytest

from huying.applications import services as app_services
from huying.applications.models import Application, AssistedService, ReviewTask
from huying.applications.states import Channel, Status
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.notify import sms_outbox
from huying.servicepoints import errors, services
from huying.servicepoints.models import ProxyCase
from huying.servicepoints.states import CaseStatus, IdentityCheck

from .factories import DISABILITY, PENSION, RESIDENT_ID, Doorstep

pytestmark = pytest.mark.django_db(transaction=True)


def file(door: Doorstep, **extra: object) -> ProxyCase:
    values: dict[str, object] = {
        "actor": door.clerk,
        "point": door.centre,
        "item_code": PENSION,
        "resident_name": "柴秀英",
        "resident_id_number": RESIDENT_ID,
        "resident_phone": "13905351234",
        "identity_check": IdentityCheck.ID_CARD,
        "authorised": True,
        "home": "张星镇石棚村",
        "materials": {"id_card": "provided", "bank_card": "provided"},
    }
    values.update(extra)
    return services.case_file(**values)  # type: ignore[arg-type]


def test_refusals_change_nothing(door: Doorstep) -> None:
    for extra, code in (
        ({"authorised": False}, errors.PROXY_NOT_AUTHORISED),
        ({"identity_check": ""}, errors.IDENTITY_NOT_CHECKED),
        ({"item_code": DISABILITY}, errors.ITEM_NOT_HANDLED),
        ({"home": "火星基地"}, errors.ADDRESS_NOT_FOUND),
    ):
        with pytest.raises(ValidationFailed) as exc:
            file(door, **extra)
        assert exc.value.code == code
    with pytest.raises(ValidationFailed) as exc:
        file(door, resident_id_number="372725196411070028")
    assert "applicant_code" in exc.value.data
    with pytest.raises(NotFound):
        file(door, actor=door.other_clerk)
    assert not Application.objects.exists() and not ProxyCase.objects.exists()
    # The window's own channel cannot be used to pose as a village filing.
    with pytest.raises(PermissionDenied):
        app_services.application_receive(
            actor=door.clerk,
            item=door.pension,
            applicant_kind="person",
            applicant_name="柴秀英",
            applicant_code=RESIDENT_ID,
            applicant_phone="13905351234",
            channel=Channel.VILLAGE,
        )


def test_the_whole_loop(door: Doorstep) -> None:
    sms_outbox.clear()
    case = file(door)
    app = case.application
    assert app.channel == Channel.VILLAGE and app.agent == door.clerk and app.status == Status.RECEIVED
    assert app.proxy is not None and "徐家党建示范区党群服务中心" in app.proxy.scope
    assert "ZY-ZX-XJ" in AssistedService.objects.get(application=app).note
    # Trips: the item needs 2 visits; the nearest accepting hall from 石棚村 is 张星镇's centre.
    assert case.hall == door.town_centre and case.trips_saved == 2 and case.km_saved > 0
    assert any(case.number in text for _phone, text in sms_outbox)
    with pytest.raises(ValidationFailed) as exc:
        services.case_act(actor=door.clerk, case=case, action="return")
    assert exc.value.code == errors.RESULT_NOT_READY

    app_services.application_transition(actor=door.window, application=app, action="accept", materials={})
    app_services.application_transition(actor=door.window, application=app, action="start_review")
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    task = ReviewTask.objects.get(application=app, status="active")
    app_services.review_task_decide(actor=door.reviewer, task=task, approve=True, opinion="符合领取条件。")
    app_services.application_transition(actor=door.window, application=app, action="issue", method="window")
    case = services.case_act(actor=door.clerk, case=case, action="return")
    assert case.status == CaseStatus.RETURNED and case.returned_at
    with pytest.raises(NotFound):
        services.case_act(actor=door.other_clerk, case=case, action="collect")
    with pytest.raises(ValidationFailed):
        services.case_act(actor=door.clerk, case=case, action="deliver", note="")
    case = services.case_act(actor=door.clerk, case=case, action="collect")
    app.refresh_from_db()
    assert case.status == CaseStatus.COLLECTED and app.status == Status.CLOSED
    with pytest.raises(InvalidTransition):
        services.case_act(actor=door.clerk, case=case, action="deliver", note="再送一次")

    # The resident follows it by number and code.
    services.case_tracking_send(number=case.number, phone="13905351234")
    text = sms_outbox[-1][1]
    code = re.search(r"验证码为 (\d{6})", text).group(1)  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        services.case_tracking_verify(number=case.number, code="000000" if code != "000000" else "111111")
    assert services.case_tracking_verify(number=case.number, code=code) == case
    with pytest.raises(ValidationFailed):  # spent
        services.case_tracking_verify(number=case.number, code=code)
    sent = len(sms_outbox)
    services.case_tracking_send(number=case.number, phone="13900000000")  # not the case's phone
    assert len(sms_outbox) == sent

    figures = services.proxy_figures()
    assert figures["cases"] == 1 and figures["done"] == 1 and figures["trips_saved"] == 2
    assert figures["share_under_proxy"] == 1.0 and figures["days_to_result"] is not None


def test_stale_version_loses(door: Doorstep) -> None:
    case = file(door)
    Application.objects.filter(pk=case.application_id).update(status=Status.ISSUED)
    services.case_act(actor=door.clerk, case=case, action="return")
    from huying.core.errors import ConcurrentModification

    with pytest.raises(ConcurrentModification):
        services.case_act(actor=door.clerk, case=case, action="collect", expected_version=1)
