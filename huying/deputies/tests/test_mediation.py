"""The mediation room: consent, the agreement's contents, signatures and seal, the PDF, private cases."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from huying.core.errors import NotFound, ValidationFailed
from huying.deputies import errors, states
from huying.deputies.services import mediation as services
from huying.deputies.services.pdf import agreement_pdf

from .factories import build

pytestmark = pytest.mark.django_db

PARTIES = [{"name": "刘一", "phone": "13500135000"}, {"name": "陈二", "phone": "13500135001"}]


def _case(d: Any, **extra: Any) -> Any:
    return services.mediation_register(
        actor=d.mediator, committee=d.committee, source="application", category="neighbour",
        facts="楼上漏水损坏楼下吊顶", claims="赔偿维修费", parties=PARTIES, **extra,
    )  # fmt: skip


def test_a_refusal_stops_the_mediation(world: Any) -> None:
    d = build(world)
    case = _case(d)
    with pytest.raises(ValidationFailed) as early:
        services.mediation_transition(actor=d.mediator, case_id=case.pk, version=0, action="start")
    assert early.value.code == errors.NOT_ALL_CONSENTED
    first, second = case.parties.all()
    services.party_consent(actor=d.mediator, case_id=case.pk, party_id=first.pk, consents=True)
    case = services.party_consent(actor=d.mediator, case_id=case.pk, party_id=second.pk, consents=False)
    assert case.status == states.REFUSED and "拒绝调解" in case.end_reason


def test_an_agreement_takes_effect_only_when_all_signed_and_sealed(world: Any) -> None:
    d = build(world)
    case = _case(d)
    for party in case.parties.all():
        services.party_consent(actor=d.mediator, case_id=case.pk, party_id=party.pk, consents=True)
    case = services.mediation_transition(actor=d.mediator, case_id=case.pk, version=0, action="start")
    services.session_log(actor=d.mediator, case_id=case.pk, note="双方到场，查看漏水现场")
    with pytest.raises(ValidationFailed) as incomplete:
        services.mediation_agree(
            actor=d.mediator, case_id=case.pk, version=case.version, responsibilities="x", agreement="", performance=""
        )
    assert incomplete.value.code == errors.AGREEMENT_INCOMPLETE
    case = services.mediation_agree(
        actor=d.mediator, case_id=case.pk, version=case.version, responsibilities="陈二负主要责任",
        agreement="陈二赔偿刘一维修费2000元", performance="2027年1月31日前微信转账",
    )  # fmt: skip
    first, second = case.parties.all()
    services.agreement_sign(actor=d.mediator, case_id=case.pk, party_id=first.pk)
    services.agreement_sign(actor=d.mediator, case_id=case.pk)
    with pytest.raises(ValidationFailed) as unsigned:
        services.agreement_seal(actor=d.mediator, case_id=case.pk, version=case.version)
    assert unsigned.value.code == errors.NOT_ALL_SIGNED
    services.agreement_sign(actor=d.mediator, case_id=case.pk, party_id=second.pk)
    case = services.agreement_seal(actor=d.mediator, case_id=case.pk, version=case.version)
    assert case.status == states.EFFECTIVE and case.effective_at is not None
    assert (case.confirmation_due - case.effective_at.date()).days == 30
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(agreement_pdf(case))).pages)
    for words in ("人民调解协议书", "陈二赔偿刘一维修费2000元", "履行协议的方式", "市西街道人民调解委员会", "三十日内"):
        assert words in text


def test_a_private_case_is_seen_only_by_its_mediators(world: Any) -> None:
    d = build(world)
    private = _case(d, is_private=True)
    public = _case(d)
    assert set(services.visible_cases(services.resolve(d.mediator2))) == {public}
    with pytest.raises(NotFound):
        services.case_for(services.resolve(d.mediator2), private.pk)
    assert set(services.visible_cases(services.resolve(d.mediator))) == {public, private}


def test_the_parties_are_reminded_once_before_the_confirmation_window_ends(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from huying.core.notify import sms_outbox
    from huying.deputies.services.sweep import deputies_sweep

    d = build(world)
    case = _case(d)
    for party in case.parties.all():
        services.party_consent(actor=d.mediator, case_id=case.pk, party_id=party.pk, consents=True)
    case = services.mediation_transition(actor=d.mediator, case_id=case.pk, version=0, action="start")
    case = services.mediation_agree(
        actor=d.mediator, case_id=case.pk, version=case.version, responsibilities="甲", agreement="乙", performance="丙"
    )
    for party in case.parties.all():
        services.agreement_sign(actor=d.mediator, case_id=case.pk, party_id=party.pk)
    services.agreement_sign(actor=d.mediator, case_id=case.pk)
    case = services.agreement_seal(actor=d.mediator, case_id=case.pk, version=case.version)
    assert deputies_sweep(now=case.effective_at + dt.timedelta(days=10)) == (0, 0)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deputies_sweep(now=case.effective_at + dt.timedelta(days=24)) == (0, 2)
    assert deputies_sweep(now=case.effective_at + dt.timedelta(days=25)) == (0, 0)
    assert any("司法确认" in text for _phone, text in sms_outbox)
