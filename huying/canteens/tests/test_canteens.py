"""Canteens: enrolment with dated categories, meals by card at the counter with Licang's tiers, the
slot and daily limits, deliveries confirmed, the monthly settlement with its anomalies and states,
and purchase records kept until their retention date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from huying.canteens import errors, services
from huying.canteens.models import Meal, PriceTier, PurchaseRecord
from huying.canteens.states import Category, ElderAction, Mode, SettlementStatus, Slot, Source
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed

from .factories import Licang, build, enrol, make_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: Any) -> Licang:
    return build(world)


def today() -> dt.date:
    return timezone.localdate()


def meal(w: Licang, card: str, slot: str = Slot.LUNCH, **extra: Any) -> Meal:
    return services.meal_record(actor=w.staff, canteen=w.canteen, identifier=card, slot=slot, **extra)


def test_canteen_is_a_service_point_and_bad_input_is_refused(w: Licang) -> None:
    points = apps.get_model("servicepoints", "ServicePoint").objects  # the map, reached only through the hook
    point = points.get(source="canteens", source_ref="LC-HS-01")
    assert point.kind == "canteen" and point.name == "东山社区助老食堂"
    data = {
        "code": "LC-X",
        "name": "x",
        "operator": "y",
        "address": "z",
        "licence_number": "SP123",
        "longitude": 120.4,
        "latitude": 36.1,
    }
    with pytest.raises(ValidationFailed) as exc:
        services.canteen_save(actor=None, data=data, unit=w.community)
    assert exc.value.code == errors.INVALID_LICENCE
    with pytest.raises(ValidationFailed):  # outside the area: the register refuses, nothing kept
        services.canteen_save(
            actor=None,
            data={**data, "licence_number": "JY23702130012346", "longitude": 116.4, "latitude": 39.9},
            unit=w.community,
        )
    assert not points.filter(source_ref="LC-X").exists()
    with pytest.raises(PermissionDenied):
        services.canteen_save(actor=w.staff, data={**data, "licence_number": "JY23702130012346"}, unit=w.community)


def test_prices_from_dated_tiers_and_categories(w: Licang) -> None:
    tekun = enrol(w, 1, "C001", Category.TEKUN, Category.ALONE)
    plain = enrol(w, 2, "C002", Category.OLDEST)
    first = meal(w, "C001", method="card")
    assert (first.self_pay, first.subsidy, first.list_price) == (Decimal("2"), Decimal("13"), Decimal("15"))
    assert meal(w, "C002").self_pay == Decimal("8")
    # A new rule from a later date does not reprice earlier days.
    PriceTier.objects.filter(valid_to__isnull=True).update(valid_to=today() - dt.timedelta(days=1))
    PriceTier.objects.create(
        rule="2026调整", category="", list_price=Decimal("16"), self_pay=Decimal("9"), valid_from=today()
    )
    assert services.tier_for(plain, today()).self_pay == Decimal("9")
    assert services.tier_for(plain, today() - dt.timedelta(days=3)).self_pay == Decimal("8")
    assert services.tier_for(tekun, today()).self_pay == Decimal("9")  # 特困's 2-yuan tier ended yesterday


def test_refusals_at_the_counter(w: Licang) -> None:
    enrol(w, 1, "C001", Category.TEKUN)
    pending = services.elder_enrol(
        actor=w.staff, canteen=w.canteen, name="未审核", id_number=make_id(9), card_number="C009"
    )
    cases = [
        ({"identifier": "NOPE"}, errors.NOT_ENROLLED),
        ({"identifier": "C009"}, errors.NOT_ELIGIBLE),
        ({"identifier": "C001", "slot": Slot.BREAKFAST}, errors.SLOT_NOT_SERVED),
        ({"identifier": "C001", "mode": Mode.DELIVERY}, errors.NO_DELIVERY),
    ]
    for extra, code in cases:
        with pytest.raises(ValidationFailed) as exc:
            services.meal_record(actor=w.staff, canteen=w.canteen, **{"slot": Slot.LUNCH, **extra})
        assert exc.value.code == code
    meal(w, "C001")
    with pytest.raises(ValidationFailed) as exc:
        meal(w, "C001")
    assert exc.value.code == errors.SLOT_TAKEN
    with pytest.raises(ValidationFailed) as exc:  # the same slot at another canteen
        services.meal_record(actor=w.other_staff, canteen=w.other, identifier="C001", slot=Slot.LUNCH)
    assert exc.value.code == errors.SLOT_TAKEN
    with pytest.raises(NotFound):
        services.meal_record(actor=w.other_staff, canteen=w.canteen, identifier="C001", slot=Slot.DINNER)
    assert Meal.objects.count() == 1 and pending.status == "applied"


def test_daily_limit_and_suspension(w: Licang) -> None:
    elder = enrol(w, 1, "C001", Category.DIBAO)
    w.canteen.daily_limit = 1
    w.canteen.save()
    meal(w, "C001")
    with pytest.raises(ValidationFailed) as exc:
        meal(w, "C001", slot=Slot.DINNER)
    assert exc.value.code == errors.DAILY_LIMIT
    services.elder_transition(actor=w.staff, elder=elder, action=ElderAction.SUSPEND, note="住院")
    with pytest.raises(ValidationFailed) as exc:
        meal(w, "C001", served_on=today() + dt.timedelta(days=0), slot=Slot.DINNER)
    assert exc.value.code in (errors.NOT_ELIGIBLE, errors.DAILY_LIMIT)
    with pytest.raises(PermissionDenied):
        services.elder_transition(actor=w.staff, elder=elder, action=ElderAction.RESUME)


def test_delivery_confirmed_once(w: Licang) -> None:
    enrol(w, 3, "C003", Category.DISABLED_CARE, delivery=True)
    served = meal(w, "C003", mode=Mode.DELIVERY, method="staff")
    done = services.delivery_confirm(actor=w.staff, meal=served, note="本人签收")
    assert done.delivered_at is not None
    with pytest.raises(InvalidTransition):
        services.delivery_confirm(actor=w.staff, meal=served)


def test_settlement_states_anomalies_and_locks(w: Licang) -> None:
    enrol(w, 1, "C001", Category.TEKUN, delivery=True)
    eater = enrol(w, 2, "C002", Category.DIBAO)
    month = today().replace(day=1)
    meal(w, "C001")
    meal(w, "C001", slot=Slot.DINNER, mode=Mode.DELIVERY)
    meal(w, "C002")
    # Found later: 老人2's 低保 ended before the meal (a re-check dated back to the month's first day).
    services.category_recheck(
        actor=w.civil, elder=eater, category=Category.DIBAO, still_holds=False, source=Source.EXCHANGE, checked_on=month
    )
    # A race between two counters slipped a second lunch in at the other canteen.
    first = Meal.objects.filter(elder__card_number="C001", slot=Slot.LUNCH).get()
    Meal.objects.create(
        **{
            **{f.name: getattr(first, f.name) for f in Meal._meta.fields if f.name not in ("id", "canteen")},
            "canteen": w.other,
        }
    )
    s = services.settlement_generate(actor=w.staff, canteen=w.canteen, month=month)
    assert (s.meals, s.deliveries, s.people) == (3, 1, 2)
    assert s.self_pay_total == Decimal("6") and s.subsidy_total == Decimal("39")
    assert s.operating_subsidy == Decimal("8333.33")
    kinds = {a["kind"] for a in s.anomalies}
    assert {"two_canteens", "category_ended", "daily_limit"} <= kinds
    with pytest.raises(InvalidTransition):
        services.settlement_act(actor=w.civil, settlement=s, action="approve")
    s = services.settlement_act(actor=w.staff, settlement=s, action="confirm")
    with pytest.raises(PermissionDenied):
        services.settlement_act(actor=w.staff, settlement=s, action="approve")
    with pytest.raises(ValidationFailed) as exc:
        meal(w, "C002", slot=Slot.DINNER)
    assert exc.value.code == errors.MONTH_LOCKED
    s = services.settlement_act(actor=w.civil, settlement=s, action="send_back", note="请核实两处就餐")
    s = services.settlement_generate(actor=w.staff, canteen=w.canteen, month=month)
    s = services.settlement_act(actor=w.staff, settlement=s, action="confirm")
    with pytest.raises(ConcurrentModification):
        services.settlement_act(actor=w.civil, settlement=s, action="approve", expected_version=1)
    s = services.settlement_act(actor=w.civil, settlement=s, action="approve")
    with pytest.raises(InvalidTransition) as exc2:
        services.settlement_generate(actor=w.civil, canteen=w.canteen, month=month)
    assert exc2.value.code == errors.SETTLEMENT_LOCKED
    with pytest.raises(InvalidTransition):
        services.settlement_act(actor=w.civil, settlement=s, action="send_back", note="改一下")
    s = services.settlement_act(actor=w.civil, settlement=s, action="pay", note="李财拨〔2026〕12号")
    assert s.status == SettlementStatus.PAID and s.payment_ref
    figures = services.canteen_figures()
    assert figures["paid"] == s.subsidy_total + s.operating_subsidy and figures["canteens"] == 2


def test_purchase_records_kept_until_retention(w: Licang) -> None:
    data = {
        "product": "鲜猪肉",
        "spec": "散装",
        "quantity": "20公斤",
        "production_date": "2026-08-31",
        "shelf_life_days": "3",
        "purchased_on": today().isoformat() if today() >= dt.date(2026, 8, 31) else "2026-08-31",
        "supplier_name": "青岛某食品有限公司",
        "supplier_address": "李沧区九水路1号",
        "supplier_contact": "0532-87654321",
    }
    record = services.purchase_record(actor=w.staff, canteen=w.canteen, data=data)
    assert record.retain_until == dt.date(2027, 3, 3)  # shelf life ends 9-03, plus six months
    rice = services.purchase_record(
        actor=w.staff,
        canteen=w.canteen,
        data={**data, "product": "大米", "production_date": "", "shelf_life_days": "", "batch": "B2026"},
    )
    assert rice.retain_until == services.retain_until(
        purchased_on=rice.purchased_on, production_date=None, shelf_life_days=None
    )
    assert (rice.retain_until - rice.purchased_on).days in (730, 731)
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_delete(actor=w.staff, record=record)
    assert exc.value.code == errors.RETENTION
    with pytest.raises(ValidationFailed), transaction.atomic():
        PurchaseRecord.objects.filter(pk=record.pk).delete()  # any path
    assert PurchaseRecord.objects.count() == 2
    old = services.purchase_record(
        actor=w.staff, canteen=w.canteen, data={**data, "production_date": "2023-01-01", "purchased_on": "2023-01-02"}
    )
    services.purchase_delete(actor=w.staff, record=old)  # kept until 2023-07-04: past
    assert PurchaseRecord.objects.count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_record(
            actor=w.staff, canteen=w.canteen, data={**data, "production_date": "", "batch": "", "supplier_contact": ""}
        )
    assert {"production_date", "supplier_contact"} <= set(exc.value.data)
