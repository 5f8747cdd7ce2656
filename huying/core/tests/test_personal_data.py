"""The kernel's personal-data helpers: masking by kind and by shape, the template filters, the reveal."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template

from huying.core import personal_data as pd
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.models import AuditLog, CalendarYear

ID = "11010519491231002X"


def test_shapes_and_masks() -> None:
    assert pd.looks_like_id_number(ID) and not pd.looks_like_id_number("110105194912310021")
    assert pd.looks_like_mobile("13800138000") and not pd.looks_like_mobile("12345678901")
    assert pd.mask_value(ID) == "110105********002X" and pd.mask_value("13800138000") == "138****8000"
    assert pd.mask_value("滨城区") == "滨城区" and pd.mask_value(12) == 12
    assert pd.mask_value("0543-1234567", pd.PHONE) != "0543-1234567"
    text = f"身份证{ID}，电话13800138000，编号9913800138000"
    assert pd.mask_text(text) == "身份证110105********002X，电话138****8000，编号9913800138000"
    assert pd.mask_form_data({"a": ID, "b": "x", "c": "13800138000"}, {"b": pd.ID_NUMBER}) == {
        "a": "110105********002X",
        "b": "*",
        "c": "138****8000",
    }


def test_serializer_fields() -> None:
    assert pd.MaskedIdNumberField().to_representation(ID) == "110105********002X"
    assert pd.MaskedIdNumberField(only_if_id=True).to_representation("91371600MA3C0000XX") == "91371600MA3C0000XX"
    assert pd.MaskedPhoneField().to_representation("13800138000") == "138****8000"


def test_template_filters() -> None:
    html = Template(
        "{% load personal_data %}{{ a|mask_id }} {{ b|mask_phone }} {{ c|mask_personal }} {{ d|mask_id }}"
    ).render(Context({"a": ID, "b": "13800138000", "c": f"号码{ID}", "d": "91371600MA3C0000XX"}))
    assert html == "110105********002X 138****8000 号码110105********002X 91371600MA3C0000XX"


@pytest.mark.django_db
def test_reveal_checks_the_policy_the_purpose_and_the_fields_and_audits(django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(username="u", password="p-123456789")
    record = CalendarYear.objects.create(year=2026)
    allowed = {"yes": True}
    pd.register_reveal_policy(
        CalendarYear,
        pd.RevealPolicy(
            may_reveal=lambda actor, r: allowed["yes"],
            values=lambda r: {"phone": "13800138000", "id_number": ID},
            describe=lambda r: f"年份 {r.year}",
        ),
    )
    try:
        actor = SimpleNamespace(user=user)
        assert pd.personal_data_reveal(actor=actor, record=record, purpose="核实", fields=["phone"]) == {
            "phone": "13800138000"
        }
        log = AuditLog.objects.get()
        assert log.kind == AuditLog.Kind.PERSONAL_DATA_VIEW and log.data == {"purpose": "核实", "fields": ["phone"]}
        with pytest.raises(ValidationFailed):
            pd.personal_data_reveal(actor=actor, record=record, purpose="核实", fields=["address"])
        with pytest.raises(ValidationFailed):
            pd.personal_data_reveal(actor=actor, record=record, purpose="  ")
        allowed["yes"] = False
        with pytest.raises(PermissionDenied):
            pd.personal_data_reveal(actor=actor, record=record, purpose="核实")
        assert AuditLog.objects.count() == 1
    finally:
        pd._policies.pop(CalendarYear._meta.label, None)
    with pytest.raises(LookupError):
        pd.reveal_policy(record)
