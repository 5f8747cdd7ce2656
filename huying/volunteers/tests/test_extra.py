"""The duty post, call-outs, training and the Excel register."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from huying.core.errors import ValidationFailed
from huying.core.models import AuditLog
from huying.core.notify import sms_outbox
from huying.volunteers import errors, selectors, services
from huying.volunteers.extra_models import DutyShift
from huying.volunteers.models import Volunteer
from huying.volunteers.services import excel, extra

from .factories import make_id, organiser, stations, volunteer


def test_duty_shifts_swaps_qr_attendance_and_reminders(world):
    org = organiser(world)
    a, b = volunteer(1, ["guide"]), volunteer(2, ["guide"])
    start = timezone.now() + dt.timedelta(hours=3)
    first = extra.duty_shift_create(actor=org, hall=world.street, volunteer=a, starts_at=start,
                                    ends_at=start + dt.timedelta(hours=3))  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:  # overlaps the first
        extra.duty_shift_create(actor=org, hall=world.street, volunteer=a, starts_at=start + dt.timedelta(hours=2),
                                ends_at=start + dt.timedelta(hours=4))  # fmt: skip
    assert exc.value.code == errors.SHIFT_OVERLAP and DutyShift.objects.count() == 1
    extra.duty_shift_create(actor=org, hall=world.street, volunteer=b, starts_at=start + dt.timedelta(hours=1),
                            ends_at=start + dt.timedelta(hours=2))  # fmt: skip
    asked = extra.duty_swap_request(actor=a.user, shift_id=first.pk, version=first.version, to=b)
    with pytest.raises(ValidationFailed):  # b is on duty for part of it
        extra.duty_swap_approve(actor=org, shift_id=first.pk, version=asked.version)
    assert DutyShift.objects.get(pk=first.pk).volunteer == a
    sms_outbox.clear()
    assert extra.duty_reminders().endswith(": 2") and extra.duty_reminders().endswith(": 0")
    assert any("学雷锋岗" in text for _p, text in sms_outbox)
    moment = start + dt.timedelta(minutes=5)
    shift = extra.duty_check_in(actor=a.user, shift_id=first.pk, code=extra.duty_code(first, moment.timestamp()),
                                now=moment)  # fmt: skip
    assert shift.checked_in_at == moment
    with pytest.raises(ValidationFailed):
        extra.duty_check_in(actor=a.user, shift_id=first.pk, code="0" * 16, now=moment)


def test_call_out_invites_the_area_and_counts_heads(world):
    station = stations(world)
    org = organiser(world)
    rescuers = [volunteer(i, ["rescue"], station=station) for i in range(1, 4)]
    volunteer(9, ["haircut"], station=station)  # another skill: not invited
    callout = extra.callout_create(actor=org, org_unit=world.community, title="防汛转移群众", skill_codes=["rescue"],
                                   stations=[station.parent], target=2)  # fmt: skip
    assert callout.invited == 3
    invites = {i.volunteer_id: i for i in callout.invites.all()}
    extra.callout_answer(actor=rescuers[0].user, invite_id=invites[rescuers[0].pk].pk, accept=True)
    extra.callout_answer(actor=rescuers[1].user, invite_id=invites[rescuers[1].pk].pk, accept=False)
    count = extra.callout_headcount(callout)
    assert (count.target, count.invited, count.accepted, count.declined) == (2, 3, 1, 1)


def test_training_counts_person_times_once(world):
    org = organiser(world)
    people = [volunteer(i, ["first_aid"]) for i in range(1, 4)]
    course = extra.course_create(actor=org, org_unit=world.street, name="应急救护培训", held_at=timezone.now(), hours=2)
    assert extra.training_attend(actor=org, course=course, volunteers=people) == 3
    assert extra.training_attend(actor=org, course=course, volunteers=people[:1]) == 3
    assert selectors.figures()["trained"] == 3


def _register(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(excel.HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_excel_import_all_or_nothing_and_export(world):
    org = organiser(world)
    team = services.team_create(actor=org, name="学雷锋志愿服务队", org_unit=world.street)
    good = ["王一", make_id(11), "13900000011", "助老陪护、理发", "37.38", "117.97"]
    bad = ["王二", make_id(12)[:-1] + "Y", "13900000012", "助老陪护", "37.38", "117.97"]
    report = excel.volunteers_import(_register([good, bad]), actor=org, team=team)
    assert not report.ok and report.errors[0].row == 3 and report.errors[0].column == "身份证号"
    assert not Volunteer.objects.exists()
    report = excel.volunteers_import(_register([good]), actor=org, team=team)
    assert report.ok and report.created == 1
    again = excel.volunteers_import(_register([good]), actor=org, team=team)
    assert again.errors[0].message == str(errors.codes.codes[errors.ALREADY_REGISTERED])
    sheet = load_workbook(io.BytesIO(excel.volunteers_export(actor=org, team=team))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == excel.EXPORT_HEADERS and rows[1][1] == "王一" and rows[1][5] == make_id(11)
    assert rows[1][7] == "助老陪护、理发"
    assert AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).count() == 1
