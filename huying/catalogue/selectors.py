"""Reads of the service catalogue. The catalogue is public: no permission scoping here, only
``is_active`` (withdrawn items and bundles are not offered)."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from huying.core.errors import NotFound
from huying.licences.types import COMMON_TYPES
from huying.organisations.models import OrgUnit

from .models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from .pinyin import looks_like_initials

LICENCE_TYPE_NAMES: dict[str, str] = {spec.code: spec.name for spec in COMMON_TYPES}
DEFAULT_STEP_NAME = "审查决定"


def licence_type_name(code: str) -> str:
    """The e-licence type's name for a GB/T 36904 type code, or the code itself when unknown."""
    return LICENCE_TYPE_NAMES.get(code, code)


# --- items -----------------------------------------------------------------------------------


def item_search(
    query: str = "",
    *,
    unit_id: int | None = None,
    level: str | None = None,
    applicant_kind: str | None = None,
) -> QuerySet[ServiceItem]:
    """Active items whose name, 实施编码 or 基本编码 contains each word of ``query`` (case-insensitive),
    or whose 拼音首字母 contain it ("spjy" → 食品经营许可). A blank query gives every active item.

    ``unit_id`` keeps the unit's items and those of units under it; ``applicant_kind`` "person" or
    "enterprise" also keeps items serving both (BOTH).
    """
    qs = ServiceItem.objects.filter(is_active=True).select_related("unit")
    for word in (query or "").split():
        match = Q(name__icontains=word) | Q(code__icontains=word) | Q(basic_code__icontains=word)
        if looks_like_initials(word):
            match |= Q(pinyin_initials__contains=word.lower())
        qs = qs.filter(match)
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).only("path").first()
        if unit is None:
            return qs.none()
        qs = qs.filter(unit__path__startswith=unit.path)
    if level:
        qs = qs.filter(level=level)
    if applicant_kind:
        if applicant_kind in (ServiceItem.ApplicantKind.PERSON, ServiceItem.ApplicantKind.ENTERPRISE):
            qs = qs.filter(applicant_kind__in=[applicant_kind, ServiceItem.ApplicantKind.BOTH])
        else:
            qs = qs.filter(applicant_kind=applicant_kind)
    return qs.order_by("code")


def item_units() -> QuerySet[OrgUnit]:
    """Units that implement at least one active item (the department filter)."""
    return (
        OrgUnit.objects.filter(service_items__is_active=True)
        .annotate(n=Count("service_items", filter=Q(service_items__is_active=True)))
        .order_by("path")
    )


def item_get(code: str) -> ServiceItem:
    """An active item with its materials, form fields and review steps, by 实施编码."""
    item = (
        ServiceItem.objects.filter(code=code, is_active=True)
        .select_related("unit")
        .prefetch_related(
            "materials", "form_fields", Prefetch("review_steps", ReviewStep.objects.select_related("unit"))
        )
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def item_review_stages(item: ServiceItem) -> list[list[ReviewStep]]:
    """The item's review steps grouped by stage (steps of a stage run in parallel). An item with
    no steps is decided by its implementing unit alone: one unsaved step (pk None) says so."""
    steps = list(item.review_steps.all())
    if not steps:
        return [[ReviewStep(item=item, stage=1, name=DEFAULT_STEP_NAME, unit=item.unit, days=item.promised_days)]]
    stages: dict[int, list[ReviewStep]] = {}
    for step in sorted(steps, key=lambda s: (s.stage, s.pk or 0)):
        stages.setdefault(step.stage, []).append(step)
    return [stages[key] for key in sorted(stages)]


# --- bundles ---------------------------------------------------------------------------------


def bundle_search(query: str = "") -> QuerySet[Bundle]:
    qs = Bundle.objects.filter(is_active=True).select_related("lead_unit").annotate(item_count=Count("bundle_items"))
    for word in (query or "").split():
        match = Q(name__icontains=word) | Q(code__icontains=word)
        if looks_like_initials(word):
            match |= Q(pinyin_initials__contains=word.lower())
        qs = qs.filter(match)
    return qs.order_by("code")


def bundle_get(code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=code, is_active=True).select_related("lead_unit").first()
    if bundle is None:
        raise NotFound()
    return bundle


@dataclass(frozen=True)
class ItemCounts:
    """One row of the item-by-item vs bundle table."""

    item: ServiceItem
    material_count: int
    field_count: int


@dataclass(frozen=True)
class BundlePlan:
    """What applying for a bundle asks for, against applying for its items one by one.

    ``fields`` and ``materials`` are de-duplicated by key in first-occurrence order (items in bundle
    order, each item's rows in their ``sort`` order). They are unsaved copies of the first
    occurrence, ``required`` when any item requires the key and with the first non-blank
    ``licence_type_code``; ``material_items[key]`` lists the codes of the items that ask for it.
    Counts include optional rows: a guide lists them and an applicant reads them all.
    ``review_stages`` has the items' ReviewSteps by stage (see ``bundle_plan``).
    """

    bundle: Bundle
    items: tuple[ServiceItem, ...]
    fields: tuple[FormField, ...]
    materials: tuple[Material, ...]
    material_items: dict[str, tuple[str, ...]]
    rows: tuple[ItemCounts, ...]
    separate_material_count: int
    bundle_material_count: int
    separate_field_count: int
    bundle_field_count: int
    materials_saved_pct: int
    fields_saved_pct: int
    promised_days: int
    separate_promised_days: int
    review_stages: tuple[tuple[ReviewStep, ...], ...]

    @property
    def materials_saved(self) -> int:
        return self.separate_material_count - self.bundle_material_count

    @property
    def fields_saved(self) -> int:
        return self.separate_field_count - self.bundle_field_count


def saved_pct(separate: int, together: int) -> int:
    """Percentage saved, rounded half up to a whole percent; 0 when there was nothing to save."""
    if separate <= 0:
        return 0
    return int((separate - together) * 100 / separate + 0.5)


def _merge(rows: list[Any], *, code_field: str | None = None) -> tuple[list[Any], dict[str, list[str]]]:
    merged: dict[str, Any] = {}
    owners: dict[str, list[str]] = {}
    for row in rows:
        first = merged.get(row.key)
        if first is None:
            merged[row.key] = copy.copy(row)
            owners[row.key] = [row.item.code]
            continue
        first.required = first.required or row.required
        if code_field and not getattr(first, code_field) and getattr(row, code_field):
            setattr(first, code_field, getattr(row, code_field))
        if row.item.code not in owners[row.key]:
            owners[row.key].append(row.item.code)
    return list(merged.values()), owners


# Form fields that ask again for the applicant (name, ID number or credit code, phone): the applicant
# block above the form answers them, so a form never shows them (``applicant_field_values`` fills them).
APPLICANT_FIELD_KEYS = {
    "applicant_name": "name",
    "company_name": "name",
    "id_number": "code",
    "credit_code": "code",
    "phone": "phone",
}
CODE_KEY_OF_KIND = {"person": "id_number", "enterprise": "credit_code"}


def applicant_field_values(*, kind: str, name: str, code: str, phone: str) -> dict[str, str]:
    """The form-field answers the applicant block gives: the code only to the field of the applicant's kind."""
    values = {"name": name, "phone": phone}
    out = {key: values[part] for key, part in APPLICANT_FIELD_KEYS.items() if part in values}
    if kind in CODE_KEY_OF_KIND:
        out[CODE_KEY_OF_KIND[kind]] = code
    return out


def issued_within(material: Material, items: list[ServiceItem]) -> bool:
    """Whether one of ``items`` issues the document ``material`` asks for (by licence type or by name)."""
    return any(
        (material.licence_type_code and material.licence_type_code == item.result_licence_type_code)
        or (item.result_name and material.name == item.result_name)
        for item in items
    )


def bundle_plan(bundle: Bundle) -> BundlePlan:
    """The merged form and material list of a 一件事, its review stages and what it saves.

    ``promised_days``: the bundle's own promise when it has one (社会投资简易低风险项目: 15);
    otherwise the longest item's promised days when the items are reviewed in parallel
    (``bundle.review_in_parallel``), else the sum of the items' promised days.

    ``review_stages``: each item's stages (see ``item_review_stages``; an item without steps has
    one unsaved step of its implementing unit). Parallel bundles line the items' stages up (stage 1
    of every item is one stage); sequential bundles run each item's stages after the previous
    item's. Each stage is a tuple of ReviewSteps that run side by side.
    """
    links = (
        BundleItem.objects.filter(bundle=bundle, item__is_active=True)
        .select_related("item", "item__unit")
        .prefetch_related(
            "item__materials",
            "item__form_fields",
            Prefetch("item__review_steps", ReviewStep.objects.select_related("unit")),
        )
        .order_by("sort", "id")
    )
    items = [link.item for link in links]
    all_materials = [m for item in items for m in item.materials.all()]
    all_fields = [f for item in items for f in item.form_fields.all()]
    # What one of the bundle's own items issues is not asked for at intake: the bundle produces it.
    materials, owners = _merge(
        [m for m in all_materials if not issued_within(m, items)], code_field="licence_type_code"
    )
    fields, _owners = _merge(all_fields)
    counts = Counter(m.item_id for m in all_materials)
    field_counts = Counter(f.item_id for f in all_fields)
    rows = tuple(ItemCounts(item=i, material_count=counts[i.pk], field_count=field_counts[i.pk]) for i in items)

    per_item = [item_review_stages(item) for item in items]
    stages: list[list[ReviewStep]] = []
    if bundle.review_in_parallel:
        for item_stages in per_item:
            for index, stage in enumerate(item_stages):
                if index == len(stages):
                    stages.append([])
                stages[index].extend(stage)
    else:
        for item_stages in per_item:
            stages.extend(list(stage) for stage in item_stages)

    item_days = [item.promised_days for item in items]
    separate_days = sum(item_days)
    if bundle.promised_days is not None:
        promised = bundle.promised_days
    elif bundle.review_in_parallel:
        promised = max(item_days, default=0)
    else:
        promised = separate_days

    return BundlePlan(
        bundle=bundle,
        items=tuple(items),
        fields=tuple(fields),
        materials=tuple(materials),
        material_items={key: tuple(codes) for key, codes in owners.items()},
        rows=rows,
        separate_material_count=len(all_materials),
        bundle_material_count=len(materials),
        separate_field_count=len(all_fields),
        bundle_field_count=len(fields),
        materials_saved_pct=saved_pct(len(all_materials), len(materials)),
        fields_saved_pct=saved_pct(len(all_fields), len(fields)),
        promised_days=promised,
        separate_promised_days=separate_days,
        review_stages=tuple(tuple(stage) for stage in stages),
    )


# --- figures ---------------------------------------------------------------------------------


def paperless_figures() -> dict[str, Any]:
    """How far e-licences replace paper: active items with at least one material an e-licence
    can stand in for (``licence_type_code`` set), how many such materials, and their share of all
    required materials (in percent, one decimal). ``by_type`` counts materials per licence type."""
    materials = Material.objects.filter(item__is_active=True)
    with_licence = materials.exclude(licence_type_code="")
    required = materials.filter(required=True)
    required_total = required.count()
    required_with_licence = required.exclude(licence_type_code="").count()
    by_type = [
        {"code": row["licence_type_code"], "name": licence_type_name(row["licence_type_code"]), "count": row["n"]}
        for row in with_licence.values("licence_type_code").annotate(n=Count("id")).order_by("-n", "licence_type_code")
    ]
    return {
        "items_total": ServiceItem.objects.filter(is_active=True).count(),
        "items": with_licence.values("item_id").distinct().count(),
        "materials": with_licence.count(),
        "required_materials": required_total,
        "required_with_licence": required_with_licence,
        "share_pct": round(required_with_licence * 100 / required_total, 1) if required_total else 0.0,
        "by_type": by_type,
    }


def catalogue_figures() -> dict[str, Any]:
    """Counts for the figures page: items by level, type and implementing unit."""
    active = ServiceItem.objects.filter(is_active=True)
    levels = dict(ServiceItem.Level.choices)
    types = dict(ServiceItem.ItemType.choices)
    modes = dict(ServiceItem.ReviewMode.choices)
    return {
        "total": active.count(),
        "by_level": [
            {"key": r["level"], "label": levels.get(r["level"], r["level"]), "count": r["n"]}
            for r in active.values("level").annotate(n=Count("id")).order_by("-n")
        ],
        "by_type": [
            {"key": r["item_type"], "label": types.get(r["item_type"], r["item_type"]), "count": r["n"]}
            for r in active.values("item_type").annotate(n=Count("id")).order_by("-n")
        ],
        "by_mode": [
            {"key": r["review_mode"], "label": modes.get(r["review_mode"], r["review_mode"]), "count": r["n"]}
            for r in active.values("review_mode").annotate(n=Count("id")).order_by("-n")
        ],
        "by_unit": [
            {"key": r["unit_id"], "label": r["unit__name"], "count": r["n"]}
            for r in active.values("unit_id", "unit__name").annotate(n=Count("id")).order_by("-n", "unit__name")
        ],
        "online": active.filter(online=True).count(),
        "zero_visit": active.filter(max_visits=0).count(),
        "instant": active.filter(review_mode=ServiceItem.ReviewMode.INSTANT).count(),
        # Items with a stage where more than one department reviews at the same time.
        "parallel_items": ReviewStep.objects.filter(item__is_active=True)
        .values("item_id", "stage")
        .annotate(units=Count("unit", distinct=True))
        .filter(units__gt=1)
        .values("item_id")
        .distinct()
        .count(),
    }


def bundle_plans() -> list[BundlePlan]:
    return [bundle_plan(bundle) for bundle in Bundle.objects.filter(is_active=True).select_related("lead_unit")]
