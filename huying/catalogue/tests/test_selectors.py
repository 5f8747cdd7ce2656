from __future__ import annotations

from typing import Any

import pytest

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, ServiceItem
from huying.catalogue.services import catalogue_reindex_pinyin
from huying.licences.types import BUSINESS_LICENCE, ID_CARD

from .factories import Catalogue, add_materials, make_item

pytestmark = pytest.mark.django_db


def codes(qs: Any) -> set[str]:
    return {item.code for item in qs}


def test_blank_query_gives_all_active(catalogue: Catalogue) -> None:
    ServiceItem.objects.filter(pk=catalogue.bank.pk).update(is_active=False)
    assert codes(selectors.item_search("")) == {catalogue.food.code, catalogue.company.code, catalogue.insurance.code}


def test_chinese_substring(catalogue: Catalogue) -> None:
    assert codes(selectors.item_search("经营")) == {catalogue.food.code}
    assert codes(selectors.item_search("登记")) == {catalogue.company.code, catalogue.insurance.code}


def test_code_and_basic_code(catalogue: Catalogue) -> None:
    assert codes(selectors.item_search("000117300000")) == {catalogue.food.code}
    assert codes(selectors.item_search("2853999x")) == {catalogue.insurance.code}  # case-insensitive


def test_pinyin_initials_case_insensitive(catalogue: Catalogue) -> None:
    assert codes(selectors.item_search("spjy")) == {catalogue.food.code}
    assert codes(selectors.item_search("GSSL")) == {catalogue.company.code}


def test_pinyin_heteronym(world: Any, catalogue: Catalogue) -> None:
    item = make_item("X-1", "长山镇便民服务中心户籍业务", catalogue.shenpi)
    assert item.code in codes(selectors.item_search("cszbm"))
    assert item.code in codes(selectors.item_search("zszbm"))
    assert catalogue.bank.code in codes(selectors.item_search("yhkh"))


def test_initials_follow_renames(catalogue: Catalogue) -> None:
    catalogue.food.name = "食品生产许可"
    catalogue.food.save(update_fields=["name"])
    assert codes(selectors.item_search("spsc")) == {catalogue.food.code}
    assert not selectors.item_search("spjy").exists()


def test_reindex_after_bulk_update(catalogue: Catalogue) -> None:
    ServiceItem.objects.filter(pk=catalogue.food.pk).update(name="药品经营许可")
    assert catalogue_reindex_pinyin() == 1
    assert codes(selectors.item_search("ypjy")) == {catalogue.food.code}
    assert catalogue_reindex_pinyin() == 0


def test_filters(world: Any, catalogue: Catalogue) -> None:
    assert codes(selectors.item_search(unit_id=catalogue.renshe.pk)) == {catalogue.insurance.code}
    assert codes(selectors.item_search(unit_id=world.city.pk)) == codes(selectors.item_search())
    assert not selectors.item_search(unit_id=999999).exists()
    assert codes(selectors.item_search("登记", level="city", unit_id=catalogue.shenpi.pk)) == {catalogue.company.code}
    assert not selectors.item_search(level="village").exists()
    # "person" also keeps items serving both.
    assert codes(selectors.item_search(applicant_kind="person")) == {catalogue.bank.code}
    assert catalogue.bank.code in codes(selectors.item_search(applicant_kind="enterprise"))


def test_bundle_plan_counts(catalogue: Catalogue) -> None:
    plan = selectors.bundle_plan(catalogue.bundle)
    assert [i.code for i in plan.items] == [catalogue.company.code, catalogue.insurance.code, catalogue.bank.code]
    # Materials: company 4 + insurance 2 + bank 2 = 8; unique keys: application_form,
    # articles_of_association, id_card, lease_contract, business_licence, seal = 6.
    assert plan.separate_material_count == 8
    assert plan.bundle_material_count == 6
    assert plan.materials_saved == 2
    assert plan.materials_saved_pct == 25
    assert [m.key for m in plan.materials] == [
        "application_form",
        "articles_of_association",
        "id_card",
        "lease_contract",
        "business_licence",
        "seal",
    ]
    # Fields: 3 + 3 + 3 = 9; unique: company_name, credit_code, phone, staff_count, account_type = 5.
    assert plan.separate_field_count == 9
    assert plan.bundle_field_count == 5
    assert plan.fields_saved_pct == 44  # 4/9 = 44.4 %
    assert [f.key for f in plan.fields] == ["company_name", "credit_code", "phone", "staff_count", "account_type"]
    assert plan.fields[0].label == "企业名称"  # first occurrence
    assert plan.material_items["business_licence"] == (catalogue.insurance.code, catalogue.bank.code)
    assert [(r.material_count, r.field_count) for r in plan.rows] == [(4, 3), (2, 3), (2, 3)]


def test_bundle_plan_merges_required_and_licence_code(catalogue: Catalogue) -> None:
    # bank asks for the business licence first (without an e-licence), insurance later with one.
    link = catalogue.bundle.bundle_items.get(item=catalogue.bank)
    link.sort = 0
    link.save()
    catalogue.bundle.bundle_items.filter(item=catalogue.company).update(sort=5)
    catalogue.insurance.materials.filter(key="business_licence").update(required=False)
    catalogue.bank.materials.filter(key="business_licence").update(required=True)
    plan = selectors.bundle_plan(catalogue.bundle)
    licence = next(m for m in plan.materials if m.key == "business_licence")
    assert licence.licence_type_code == BUSINESS_LICENCE
    assert licence.required is True
    # The stored rows are untouched.
    assert catalogue.bank.materials.get(key="business_licence").licence_type_code == ""


def test_bundle_plan_days_and_stages(world: Any, catalogue: Catalogue) -> None:
    plan = selectors.bundle_plan(catalogue.bundle)
    assert plan.promised_days == 1 + 1 + 2  # sequential: the sum
    assert [[s.name for s in stage] for stage in plan.review_stages] == [["登记审查"], ["审查决定"], ["审查决定"]]
    assert plan.review_stages[1][0].unit == catalogue.renshe
    assert plan.review_stages[1][0].pk is None

    bundle = catalogue.bundle
    bundle.review_in_parallel = True
    bundle.save()
    plan = selectors.bundle_plan(bundle)
    assert plan.promised_days == 2  # the longest item
    assert len(plan.review_stages) == 1 and len(plan.review_stages[0]) == 3

    bundle.promised_days = 3
    bundle.save()
    assert selectors.bundle_plan(bundle).promised_days == 3
    assert selectors.bundle_plan(bundle).separate_promised_days == 4


def test_bundle_plan_empty_bundle(catalogue: Catalogue) -> None:
    empty = Bundle.objects.create(code="empty", name="空", lead_unit=catalogue.shenpi)
    plan = selectors.bundle_plan(empty)
    assert plan.items == () and plan.materials_saved_pct == 0 and plan.promised_days == 0


def test_item_review_stages_parallel(world: Any, catalogue: Catalogue) -> None:
    stages = selectors.item_review_stages(selectors.item_get(catalogue.food.code))
    assert [[s.name for s in stage] for stage in stages] == [["材料审查"], ["现场核查", "消防意见"]]


def test_item_get_inactive_is_not_found(catalogue: Catalogue) -> None:
    from huying.core.errors import NotFound

    ServiceItem.objects.filter(pk=catalogue.food.pk).update(is_active=False)
    with pytest.raises(NotFound):
        selectors.item_get(catalogue.food.code)


def test_paperless_figures(catalogue: Catalogue) -> None:
    figures = selectors.paperless_figures()
    # food: business_licence + id_card; company: id_card; insurance: business_licence + id_card.
    assert figures["items"] == 3
    assert figures["materials"] == 5
    assert figures["required_materials"] == 11
    assert figures["share_pct"] == round(5 * 100 / 11, 1)
    assert {row["name"]: row["count"] for row in figures["by_type"]} == {"居民身份证": 3, "营业执照": 2}
    add_materials(catalogue.bank, ("id_card", "经办人身份证", ID_CARD))
    assert selectors.paperless_figures()["items"] == 4
