"""manage.py demo_services: the demo 实施清单 of 滨州市 (about 120 items, 6 一件事). Idempotent:
items and bundles are found by code and left alone when they exist; missing units are created."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create

from .. import demo_catalogue as cat

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


class Command(BaseCommand):
    help = "生成政务服务事项演示清单（约120项事项、6个一件事）；可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="已有事项时什么也不做")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and ServiceItem.objects.exists():
            self.stdout.write("已有政务服务事项，跳过演示清单生成。")
            return
        started = time.monotonic()
        with transaction.atomic():
            created, bundles = self.build()
        plans = selectors.bundle_plans()
        self.stdout.write(
            self.style.SUCCESS(
                f"政务服务事项演示清单：新增 {created} 项（现有 {ServiceItem.objects.count()} 项），"
                f"新增一件事 {bundles} 个，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
        for plan in plans:
            self.stdout.write(
                f"  {plan.bundle.name}：材料 {plan.separate_material_count}→{plan.bundle_material_count}"
                f"（少 {plan.materials_saved_pct}%），填写 {plan.separate_field_count}→{plan.bundle_field_count}"
                f"（少 {plan.fields_saved_pct}%），时限 {plan.promised_days} 个工作日"
            )

    def units(self) -> dict[str, OrgUnit]:
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

    def build(self) -> tuple[int, int]:
        units = self.units()
        unit_index = {key: n for n, key in enumerate(cat.UNITS)}
        existing = set(ServiceItem.objects.values_list("code", flat=True))
        by_name: dict[str, ServiceItem] = {}
        created = 0
        materials: list[Material] = []
        fields: list[FormField] = []
        steps: list[ReviewStep] = []
        for spec in cat.ITEMS:
            (
                basic,
                name,
                unit_key,
                item_type,
                level,
                applicant,
                mode,
                legal,
                promised,
                mats,
                flds,
                fee,
                result,
                result_code,
            ) = spec
            code = f"11371600MB28{unit_index[unit_key]:05d}X{cat.LEVEL_DIGIT[level]}{basic}"
            if code in existing:
                by_name[name] = ServiceItem.objects.get(code=code)
                continue
            unit = units[unit_key]
            item = ServiceItem.objects.create(
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
            created += 1
            by_name[name] = item
            for sort, token in enumerate(mats.split()):
                key, optional = token.rstrip("?"), token.endswith("?")
                m_name, licence, form, source = cat.MATERIALS[key]
                materials.append(
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
                fields.append(
                    FormField(
                        item=item, key=key, label=label, kind=kind, choices=choices, required=not optional, sort=sort
                    )
                )
            for stage, step_name, step_unit, days in cat.STEPS.get(name, []):
                steps.append(ReviewStep(item=item, stage=stage, name=step_name, unit=units[step_unit], days=days))
        Material.objects.bulk_create(materials)
        FormField.objects.bulk_create(fields)
        ReviewStep.objects.bulk_create(steps)

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
        return created, bundles
