"""Scope and personal data: a grid's people are seen by its own staff only; full values logged."""

from __future__ import annotations

from typing import Any

import pytest

from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.grids import selectors, services
from huying.grids.models import GridStaff, Household, Resident

from .factories import AREA, build, make_id, register_xlsx, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    rows = [
        [AREA + "001", "0001", "黄河路1号", "", "", "", "张大爷", "户主", make_id(1, "19400101"), "13800000001"],
        [AREA + "002", "0001", "黄河路3号", "", "", "", "赵六", "户主", make_id(4), ""],
    ]
    assert services.households_import(register_xlsx(rows), actor=None).ok
    g.west_home = Household.objects.get(grid=g.west)
    g.east_home = Household.objects.get(grid=g.east)
    return g


def test_workers_see_only_their_grids_households(g: Any) -> None:
    assert list(selectors.household_list_for(actor=g.worker)) == [g.west_home]
    assert list(selectors.household_list_for(actor=g.liaison)) == [g.west_home]
    assert list(selectors.household_list_for(actor=g.east_worker)) == [g.east_home]
    with pytest.raises(NotFound):
        selectors.household_get_for(actor=g.worker, household_id=g.east_home.pk)
    with pytest.raises(NotFound):
        selectors.resident_list_for(actor=g.east_worker, household_id=g.west_home.pk)
    stranger = user("stranger")
    assert not selectors.household_list_for(actor=stranger).exists()


def test_informants_and_former_staff_see_no_households(g: Any, world: Any) -> None:
    deputy = user("deputy")
    services.grid_staff_add(
        actor=None, grid=g.west, kind=GridStaff.Kind.DEPUTY, name="人大代表", phone="13911112222", user=deputy
    )
    assert not selectors.household_list_for(actor=deputy).exists()
    services.grid_staff_leave(actor=None, post=g.worker_post)
    assert not selectors.household_list_for(actor=g.worker).exists()


def test_street_sees_its_area_masked(g: Any, world: Any) -> None:
    assert selectors.household_list_for(actor=world.street_handler).count() == 2
    assert not selectors.household_list_for(actor=world.handler).exists()  # 城管局


def test_residents_are_masked_and_full_view_is_logged(g: Any) -> None:
    shown = selectors.resident_list_for(actor=g.worker, household_id=g.west_home.pk)
    resident = Resident.objects.get(household=g.west_home)
    assert shown[0].id_number == resident.id_number[:6] + "********" + resident.id_number[-4:]
    assert shown[0].phone == "138****0001" and shown[0].name == "张**"
    with pytest.raises(ValidationFailed):
        services.resident_reveal_personal_data(actor=g.worker, resident=resident, purpose=" ")
    full = services.resident_reveal_personal_data(actor=g.worker, resident=resident, purpose="办理残疾证代办")
    assert full == {"id_number": resident.id_number, "phone": "13800000001"}
    log = AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)
    assert log.actor == g.worker and log.data["purpose"] == "办理残疾证代办"


def test_full_view_refused_outside_the_grid_workers(g: Any, world: Any) -> None:
    resident = Resident.objects.get(household=g.west_home)
    with pytest.raises(NotFound):
        services.resident_reveal_personal_data(actor=g.east_worker, resident=resident, purpose="x")
    for actor in (g.liaison, world.street_handler):  # sees the household, not the full number
        with pytest.raises(PermissionDenied):
            services.resident_reveal_personal_data(actor=actor, resident=resident, purpose="x")
    assert not AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).exists()
