"""E-licences (免提交 on receipt/acceptance, the verified hook, result issue), permissions and bad input."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from huying.accounts.selectors import actor_for
from huying.applications import selectors, services
from huying.applications.states import Action, MaterialStatus, Status
from huying.catalogue.models import FormField
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import licence_hooks, rating_acts
from huying.licences.selectors import valid_licence_for
from huying.licences.services import licence_issue
from huying.licences.types import BUSINESS_LICENCE, FOOD_BUSINESS_LICENCE, ID_CARD

from .conftest import CITIZEN_ID, COMPANY, Hall, in_review, local, person_app, receive

NOW = local(2026, 3, 2, 9, 0)


def business_licence() -> Any:
    return licence_issue(
        type_code=BUSINESS_LICENCE,
        holder_code=COMPANY,
        holder_name="滨州示例科技有限公司",
        issuer_name="滨州市市场监督管理局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2025, 1, 1),
    )


def test_held_licence_needs_no_paper(hall: Hall) -> None:
    licence = business_licence()
    app = receive(hall, item=hall.cat.food, now=NOW)
    material = app.materials.get(key="business_licence")
    assert material.status == MaterialStatus.E_LICENCE
    assert material.licence_identifier == licence.identifier
    assert app.materials.get(key="id_card").status == MaterialStatus.MISSING
    with pytest.raises(ValidationFailed):  # a clerk cannot just tick "e-licence"
        services.application_transition(
            actor=hall.clerk, application=app, action=Action.ACCEPT, materials={"id_card": "e_licence"}, now=NOW
        )


def test_no_licence_no_marking(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    assert not app.materials.filter(status=MaterialStatus.E_LICENCE).exists()


def test_verified_hook_marks_the_material(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    id_card = licence_issue(
        type_code=ID_CARD,
        holder_code=CITIZEN_ID,
        holder_name="张三",
        issuer_name="滨州市公安局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2025, 1, 1),
    )
    licence_hooks.call("verified", SimpleNamespace(application_ref=app.number, licence=id_card, verifier=hall.clerk))
    material = app.materials.get(key="id_card")
    assert material.status == MaterialStatus.E_LICENCE and material.licence_identifier == id_card.identifier
    assert app.events.filter(action="material_e_licence").exists()


def test_verified_licence_of_someone_else_is_refused_and_nothing_is_marked(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)  # an enterprise applicant (COMPANY)
    from huying.core.validators import uscc_check_char

    code = "91371600MA3C0000" + "1"
    other_company = licence_issue(
        type_code=BUSINESS_LICENCE,
        holder_code=code + uscc_check_char(code),
        holder_name="另一家公司",
        issuer_name="滨州市市场监督管理局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        licence_hooks.call(
            "verified", SimpleNamespace(application_ref=app.number, licence=other_company, verifier=hall.clerk)
        )
    assert refused.value.code == "licence_holder_mismatch"
    assert app.materials.get(key="business_licence").status != MaterialStatus.E_LICENCE


def test_a_representatives_licence_must_be_the_person_named_on_the_form(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    app.form_data = {**app.form_data, "legal_representative_id": "110105198001010032"}
    app.save(update_fields=["form_data"])
    stranger = licence_issue(
        type_code=ID_CARD,
        holder_code=CITIZEN_ID,  # 11010519491231002X: not the representative named on the form
        holder_name="张三",
        issuer_name="滨州市公安局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        licence_hooks.call(
            "verified", SimpleNamespace(application_ref=app.number, licence=stranger, verifier=hall.clerk)
        )
    assert refused.value.code == "licence_holder_mismatch"
    assert app.materials.get(key="id_card").status != MaterialStatus.E_LICENCE


def test_approval_issues_the_result_licence(hall: Hall) -> None:
    item = hall.cat.company
    item.result_licence_type_code = BUSINESS_LICENCE
    item.save()
    assert valid_licence_for(COMPANY, BUSINESS_LICENCE) is None
    app = in_review(hall, item=item, now=NOW)
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=NOW
    )
    licence = valid_licence_for(COMPANY, BUSINESS_LICENCE)
    assert licence is not None and licence.issuer_unit_id == hall.cat.shenpi.pk
    assert app.result_licences[0]["identifier"] == licence.identifier


def test_a_licence_that_cannot_be_issued_does_not_block_approval(hall: Hall) -> None:
    item = hall.cat.company
    item.result_licence_type_code = "11100000000013127D001"  # ID card: a person's licence, not an enterprise's
    item.save()
    app = in_review(hall, item=item, now=NOW)
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=NOW
    )
    assert app.status == Status.APPROVED and app.result_licences == []
    assert app.events.filter(action="licence_issue_failed").exists()
    assert valid_licence_for(COMPANY, FOOD_BUSINESS_LICENCE) is None


def test_rating_act_only_for_issued_applications(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    assert rating_acts.get("application")(app.number) is None
    services.application_transition(actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=NOW)
    services.application_transition(actor=hall.clerk, application=app, action=Action.ISSUE, method="window", now=NOW)
    act = rating_acts.get("application")(app.number)
    assert act is not None and act.ref == app.number and act.unit_id == hall.cat.shenpi.pk


# --- permissions -------------------------------------------------------------------------------


def test_citizen_sees_own_only(hall: Hall) -> None:
    mine = person_app(hall)
    other = receive(hall, item=hall.cat.food, now=NOW)
    citizen = actor_for(hall.citizen)
    assert selectors.application_get(citizen, mine.number) == mine
    with pytest.raises(NotFound):
        selectors.application_get(citizen, other.number)
    with pytest.raises(NotFound):
        selectors.application_get(actor_for(hall.world.other_citizen), mine.number)
    assert list(selectors.applications_of(hall.citizen)) == [mine]
    # The applicant may withdraw; another citizen cannot even find it.
    with pytest.raises(NotFound):
        services.application_transition(actor=hall.world.other_citizen, application=mine, action=Action.WITHDRAW)
    services.application_transition(actor=hall.citizen, application=mine, action=Action.WITHDRAW)


def test_window_application_of_a_verified_citizen_is_theirs(hall: Hall) -> None:
    app = services.application_receive(
        actor=hall.clerk,
        item=hall.cat.bank,
        applicant_kind="person",
        applicant_name="张三",
        applicant_code=CITIZEN_ID,
        applicant_phone="13800138001",
        form_data={"company_name": "张三个体户", "phone": "13800138001", "account_type": "个人账户"},
        now=NOW,
    )
    assert app.applicant_user == hall.citizen


def test_citizen_cannot_act_as_clerk_or_apply_for_someone_else(hall: Hall) -> None:
    app = person_app(hall)
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=hall.citizen, application=app, action=Action.ACCEPT)
    with pytest.raises(PermissionDenied):
        receive(hall, item=hall.cat.food, actor=hall.citizen, channel="window")
    with pytest.raises(ValidationFailed):
        services.application_receive(
            actor=hall.citizen,
            item=hall.cat.bank,
            channel="online",
            applicant_kind="person",
            applicant_name="李四",
            applicant_code="110101199003074477",
            applicant_phone="13800138001",
            form_data={"company_name": "x", "phone": "13800138001", "account_type": "y"},
        )


def test_reviewer_of_an_uninvolved_unit_sees_nothing(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    with pytest.raises(NotFound):
        selectors.application_get(actor_for(hall.renshe_reviewer), app.number)
    assert selectors.application_get(actor_for(hall.reviewer), app.number) == app


def test_agent_files_only_under_an_active_authorisation(hall: Hall) -> None:
    kwargs: dict[str, Any] = dict(  # noqa: C408
        actor=hall.agent,
        item=hall.cat.food,
        channel="online",
        applicant_kind="enterprise",
        applicant_name="滨州示例科技有限公司",
        applicant_code=COMPANY,
        applicant_phone="13800138001",
        form_data={"company_name": "滨州示例科技有限公司", "address": "滨城区"},
        now=NOW,
    )
    proxy = services.proxy_authorise(
        actor=hall.agent,
        agent=hall.agent,
        principal_kind="enterprise",
        principal_name="滨州示例科技有限公司",
        principal_code=COMPANY,
        scope="食品经营许可",
        valid_until=dt.date.today() + dt.timedelta(days=30),
    )
    app = services.application_receive(proxy=proxy, **kwargs)
    assert app.agent == hall.agent
    assert selectors.application_get(actor_for(hall.agent), app.number) == app
    services.proxy_revoke(actor=hall.agent, proxy=proxy)
    with pytest.raises(ValidationFailed):
        services.application_receive(proxy=proxy, **kwargs)
    with pytest.raises(ValidationFailed):
        services.proxy_authorise(
            actor=hall.agent,
            agent=hall.agent,
            principal_kind="enterprise",
            principal_name="x",
            principal_code="91371600MA3C123450",
            scope="",
            valid_until="2020-01-01",
        )


# --- bad input ---------------------------------------------------------------------------------


def test_applicant_identifiers_are_validated(hall: Hall) -> None:
    with pytest.raises(ValidationFailed) as exc:
        receive(hall, item=hall.cat.food, applicant_code="91371600MA3C123450", applicant_phone="12345")
    assert set(exc.value.data) == {"applicant_code", "applicant_phone"}
    with pytest.raises(ValidationFailed):
        receive(hall, item=hall.cat.food, applicant_kind="robot")


@pytest.mark.parametrize(
    ("kind", "bad", "good"),
    [
        (FormField.Kind.ID_NUMBER, "110101199003074470", "110101199003074477"),
        (FormField.Kind.CREDIT_CODE, "91371600MA3C123450", COMPANY),
        (FormField.Kind.PHONE, "1234", "0543-3161234"),
        (FormField.Kind.DATE, "2026-02-30", "2026-02-28"),
        (FormField.Kind.NUMBER, "十二", "12.5"),
    ],
)
def test_form_fields_are_validated_by_kind(hall: Hall, kind: str, bad: str, good: str) -> None:
    FormField.objects.create(item=hall.cat.food, key="extra", label="附加", kind=kind, sort=9)
    form = {"company_name": "滨州示例科技有限公司", "address": "滨城区", "extra": bad}
    with pytest.raises(ValidationFailed) as exc:
        receive(hall, item=hall.cat.food, form_data=form)
    assert "extra" in exc.value.data["form_data"]
    form["extra"] = good
    assert receive(hall, item=hall.cat.food, form_data=form).form_data["extra"]


def test_required_form_field_missing(hall: Hall) -> None:
    with pytest.raises(ValidationFailed) as exc:
        receive(hall, item=hall.cat.food, form_data={"address": "x"})
    assert "company_name" in exc.value.data["form_data"]


def test_bad_material_payloads(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    for bad in (
        {"nope": "provided"},
        {"id_card": "lost"},
        {"id_card": {"status": "promised"}},
        {"id_card": {"status": "promised", "promised_by": "2020-01-01"}},
        "x",
    ):
        with pytest.raises(ValidationFailed):
            services.application_transition(
                actor=hall.clerk, application=app, action=Action.ACCEPT_WITH_PROMISE, materials=bad, now=NOW
            )
    with pytest.raises(ValidationFailed) as exc:
        services.application_transition(actor=hall.clerk, application=app, action=Action.ACCEPT, now=NOW)
    assert exc.value.code == "materials_incomplete"
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_bad_issue_and_special_payloads(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    with pytest.raises(ValidationFailed):
        services.application_transition(
            actor=hall.reviewer, application=app, action=Action.START_SPECIAL, kind="party", note="x"
        )
    with pytest.raises(ValidationFailed):
        services.application_transition(
            actor=hall.reviewer, application=app, action=Action.START_SPECIAL, kind="hearing"
        )
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=NOW
    )
    with pytest.raises(ValidationFailed) as exc:
        services.application_transition(actor=hall.clerk, application=app, action=Action.ISSUE, method="post")
    assert set(exc.value.data) == {"tracking_number", "postal_address"}
    with pytest.raises(ValidationFailed):
        services.application_transition(actor=hall.clerk, application=app, action=Action.ISSUE, method="pigeon")
    with pytest.raises(ValidationFailed):
        services.application_transition(actor=hall.clerk, application=app, action="teleport")
    app = services.application_transition(
        actor=hall.clerk,
        application=app,
        action=Action.ISSUE,
        method="post",
        tracking_number="SF1234567890",
        postal_address="滨州市滨城区黄河五路1号",
        now=NOW,
    )
    assert app.tracking_number == "SF1234567890" and app.issued_at is not None


def test_an_id_number_with_an_unknown_region_is_refused_not_a_crash(hall: Hall) -> None:
    # 371600 is the city itself (no county): python-stdnum cannot place it and raises KeyError.
    body = "37160019800101123"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    with pytest.raises(ValidationFailed) as exc:
        receive(hall, item=hall.cat.bank, applicant_kind="person", applicant_code=number)
    assert "applicant_code" in exc.value.data


def test_window_application_is_linked_to_the_one_citizen_account_with_that_phone(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, applicant_phone="13800138001", now=NOW)  # 张三's phone
    assert app.applicant_user == hall.citizen
    assert receive(hall, item=hall.cat.food, applicant_phone="13700137000", now=NOW).applicant_user is None
