"""A small hand-built catalogue: three items of two departments and one bundle of two of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huying.catalogue.models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from huying.licences.types import BUSINESS_LICENCE, ID_CARD
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create


@dataclass
class Catalogue:
    shenpi: OrgUnit
    renshe: OrgUnit
    food: ServiceItem  # 食品经营许可
    company: ServiceItem  # 公司设立登记
    insurance: ServiceItem  # 单位参保登记
    bank: ServiceItem  # 银行开户 (heteronym 行)
    bundle: Bundle  # 开办企业: company + insurance + bank


def make_item(code: str, name: str, unit: OrgUnit, **extra: Any) -> ServiceItem:
    values: dict[str, Any] = {
        "item_type": ServiceItem.ItemType.LICENSING,
        "level": ServiceItem.Level.CITY,
        "applicant_kind": ServiceItem.ApplicantKind.ENTERPRISE,
        "review_mode": ServiceItem.ReviewMode.SEQUENTIAL,
        "legal_days": 20,
        "promised_days": 5,
    }
    values.update(extra)
    return ServiceItem.objects.create(code=code, name=name, unit=unit, **values)


def add_materials(item: ServiceItem, *specs: tuple[str, str, str]) -> None:
    for sort, (key, name, code) in enumerate(specs):
        Material.objects.create(item=item, key=key, name=name, licence_type_code=code, sort=sort)


def add_fields(item: ServiceItem, *specs: tuple[str, str]) -> None:
    for sort, (key, label) in enumerate(specs):
        FormField.objects.create(item=item, key=key, label=label, sort=sort)


def build_catalogue(world: Any) -> Catalogue:
    shenpi = org_unit_create(
        name="滨州市行政审批服务局", short_name="市行政审批服务局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city
    )
    renshe = org_unit_create(
        name="滨州市人力资源和社会保障局", short_name="市人社局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city
    )
    food = make_item("11371600MB28531234000011730001", "食品经营许可", shenpi, basic_code="000117300000")
    company = make_item(
        "11371600MB28531234000011760002",
        "公司设立登记",
        shenpi,
        legal_days=15,
        promised_days=1,
        basic_code="000117600000",
    )
    insurance = make_item(
        "11371600MB2853999X000012010003",
        "单位参保登记",
        renshe,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        legal_days=5,
        promised_days=1,
    )
    bank = make_item(
        "11371600MB28531234000099990004",
        "银行开户",
        shenpi,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        applicant_kind=ServiceItem.ApplicantKind.BOTH,
        legal_days=3,
        promised_days=2,
    )
    add_materials(
        food,
        ("application_form", "食品经营许可申请书", ""),
        ("business_licence", "营业执照", BUSINESS_LICENCE),
        ("id_card", "法定代表人身份证", ID_CARD),
    )
    add_materials(
        company,
        ("application_form", "公司登记（备案）申请书", ""),
        ("articles_of_association", "公司章程", ""),
        ("id_card", "法定代表人身份证", ID_CARD),
        ("lease_contract", "住所使用证明", ""),
    )
    add_materials(
        insurance,
        ("business_licence", "营业执照", BUSINESS_LICENCE),
        ("id_card", "经办人身份证", ID_CARD),
    )
    add_materials(bank, ("business_licence", "营业执照", ""), ("seal", "单位公章", ""))
    add_fields(company, ("company_name", "企业名称"), ("credit_code", "统一社会信用代码"), ("phone", "联系电话"))
    add_fields(
        insurance, ("company_name", "单位名称"), ("credit_code", "统一社会信用代码"), ("staff_count", "参保人数")
    )
    add_fields(bank, ("company_name", "企业名称"), ("phone", "联系电话"), ("account_type", "账户类型"))
    add_fields(food, ("company_name", "经营者名称"), ("address", "经营场所"))
    ReviewStep.objects.create(item=company, stage=1, name="登记审查", unit=shenpi, days=1)
    ReviewStep.objects.create(item=food, stage=1, name="材料审查", unit=shenpi, days=2)
    ReviewStep.objects.create(item=food, stage=2, name="现场核查", unit=shenpi, days=2)
    ReviewStep.objects.create(item=food, stage=2, name="消防意见", unit=world.housing, days=2)
    bundle = Bundle.objects.create(code="kaiban", name="开办企业", lead_unit=shenpi)
    for sort, item in enumerate((company, insurance, bank)):
        BundleItem.objects.create(bundle=bundle, item=item, sort=sort)
    return Catalogue(
        shenpi=shenpi, renshe=renshe, food=food, company=company, insurance=insurance, bank=bank, bundle=bundle
    )
