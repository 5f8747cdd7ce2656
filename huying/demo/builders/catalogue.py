"""The catalogue builder: the demo 实施清单 of 滨州市 (about 120 items, 6 一件事) from ``catalogue_data``.
Idempotent: items and bundles are found by code and left alone when they exist; missing units are created."""

from __future__ import annotations

import time

from django.db import transaction

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create

from ..registry import DemoRun
from . import catalogue_data as cat

HOURS = "周一至周五 上午9:00—12:00，下午13:30—17:00（法定节假日除外）"
PROCESS = {
    "instant": "申请人提交材料→综合窗口受理→当场审查办结→统一窗口出件（或快递送达、电子证照）",
    "sequential": "申请→综合窗口受理→后台分类审查→作出决定→统一窗口出件（或快递送达、电子证照）",
    "parallel": "申请→综合窗口一次受理→相关部门并联审查（同一阶段同时进行）→作出决定→统一窗口出件",
}
CONDITIONS = {
    "licensing": "申请人符合法律、法规规定的许可条件，申请材料齐全、符合法定形式。",
    "benefit": "申请人符合相关政策规定的待遇条件，按规定参保缴费或经核对家庭经济状况符合标准。",
    "confirmation": "申请人具有相应事实依据，提交材料真实、完整、有效。",
    "public_service": "属于本地服务范围的个人或单位，材料齐全即可办理。",
    "other": "材料齐全、符合法定形式的，予以办理。",
}


def _place(unit: OrgUnit, level: str) -> str:
    if level in ("township", "village"):
        return f"{unit.name}便民服务窗口"
    if unit.name.startswith("邹平市"):
        return "邹平市政务服务中心综合受理窗口"
    return "滨州市政务服务中心综合受理区（任一综合窗口均可受理）"


def build(run: DemoRun) -> None:
    if run.if_empty and ServiceItem.objects.exists():
        run.write("已有政务服务事项，跳过演示清单生成。")
        return
    started = time.monotonic()
    with transaction.atomic():
        created, bundles = _build()
    plans = selectors.bundle_plans()
    run.write(
        run.success(
            f"政务服务事项演示清单：新增 {created} 项（现有 {ServiceItem.objects.count()} 项），"
            f"新增一件事 {bundles} 个，用时 {time.monotonic() - started:.1f} 秒。"
        )
    )
    for plan in plans:
        run.write(
            f"  {plan.bundle.name}：材料 {plan.separate_material_count}→{plan.bundle_material_count}"
            f"（少 {plan.materials_saved_pct}%），填写 {plan.separate_field_count}→{plan.bundle_field_count}"
            f"（少 {plan.fields_saved_pct}%），时限 {plan.promised_days} 个工作日"
        )


def _units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for key, (name, short, kind, parent_key) in cat.UNITS.items():
        unit = OrgUnit.objects.filter(name=name).order_by("pk").first()
        if unit is None:
            parent = units[parent_key] if parent_key else None
            unit = org_unit_create(
                name=name, short_name=short, kind=kind, parent=parent, division=parent.division if parent else None
            )
        units[key] = unit
    return units


class _Rows:
    """The materials, form fields and review steps of the new items, inserted together."""

    def __init__(self) -> None:
        self.materials: list[Material] = []
        self.fields: list[FormField] = []
        self.steps: list[ReviewStep] = []

    def add(self, item: ServiceItem, mats: str, flds: str, units: dict[str, OrgUnit]) -> None:
        for sort, token in enumerate(mats.split()):
            key, optional = token.rstrip("?"), token.endswith("?")
            m_name, licence, form, source = cat.MATERIALS[key]
            self.materials.append(
                Material(
                    item=item,
                    key=key,
                    name=m_name,
                    form=form,
                    source=source,
                    required=not optional,
                    licence_type_code=licence,
                    notes="可通过电子证照共享获取，免于提交" if licence else "",
                    sort=sort,
                )
            )
        for sort, token in enumerate(flds.split()):
            key, optional = token.rstrip("?"), token.endswith("?")
            label, kind, choices = cat.FIELDS[key]
            self.fields.append(
                FormField(item=item, key=key, label=label, kind=kind, choices=choices, required=not optional, sort=sort)
            )
        for stage, step_name, step_unit, days in cat.STEPS.get(item.name, []):
            self.steps.append(ReviewStep(item=item, stage=stage, name=step_name, unit=units[step_unit], days=days))

    def save(self) -> None:
        Material.objects.bulk_create(self.materials)
        FormField.objects.bulk_create(self.fields)
        ReviewStep.objects.bulk_create(self.steps)


def _item(code: str, spec: cat.ItemSpec, unit: OrgUnit) -> ServiceItem:
    (basic, name, _unit_key, item_type, level, applicant, mode, legal, promised, _m, _f, fee, result, result_code) = (
        spec
    )
    return ServiceItem.objects.create(
        code=code,
        basic_code=basic,
        name=name,
        unit=unit,
        item_type=item_type,
        level=level,
        applicant_kind=applicant,
        review_mode=mode,
        legal_days=legal,
        promised_days=promised,
        legal_basis=cat.LEGAL_BASIS.get(name, ""),
        conditions=CONDITIONS[item_type],
        process=PROCESS[mode],
        fee=fee,
        fee_basis="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
        if fee.startswith("住宅类")
        else ("按国家和省规定的收费标准" if fee else ""),
        place=_place(unit, level),
        hours=HOURS,
        contact_phone="0543-12345",
        online=level != "village",
        max_visits=0 if mode == "instant" and level == "city" else 1,
        result_name=result,
        result_licence_type_code=result_code,
    )


def _build() -> tuple[int, int]:
    units = _units()
    unit_index = {key: n for n, key in enumerate(cat.UNITS)}
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    by_name: dict[str, ServiceItem] = {}
    created = 0
    rows = _Rows()
    for spec in cat.ITEMS:
        basic, name, unit_key, level, mats, flds = spec[0], spec[1], spec[2], spec[4], spec[9], spec[10]
        code = f"11371600MB28{unit_index[unit_key]:05d}X{cat.LEVEL_DIGIT[level]}{basic}"
        if code in existing:
            by_name[name] = ServiceItem.objects.get(code=code)
            continue
        item = _item(code, spec, units[unit_key])
        created += 1
        by_name[name] = item
        rows.add(item, mats, flds, units)
    rows.save()
    return created, _bundles(units, by_name)


def _bundles(units: dict[str, OrgUnit], by_name: dict[str, ServiceItem]) -> int:
    bundles = 0
    for code, (name, lead, bundle_days, parallel, item_names, description) in cat.BUNDLES.items():
        bundle, was_created = Bundle.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "lead_unit": units[lead],
                "promised_days": bundle_days,
                "review_in_parallel": parallel,
                "description": description,
            },
        )
        bundles += int(was_created)
        if was_created:
            BundleItem.objects.bulk_create(
                BundleItem(bundle=bundle, item=by_name[item_name], sort=sort)
                for sort, item_name in enumerate(item_names)
            )
    return bundles
