"""The open day through its services: announcement, registration, the draw, replacements, the forum."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, Channel, Status
from huying.core.errors import HuyingError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.opendays import errors, services, states
from huying.opendays.models import Event, ForumItem, Quota, Registration
from huying.opendays.selectors import figures
from huying.opendays.services.draw import replacement_pick, replacement_publish
from huying.selection.lottery import draw_index, panels_digest
from tests.fixtures import make_user

from .factories import fill_pool, make_event, register

pytestmark = pytest.mark.django_db


def announced(world, **kw):
    od = make_event(world, **kw)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    return od


def drawn(world, seed="12 34 56"):
    od = announced(world)
    pool = fill_pool(od.event)
    services.event_transition(actor=od.organiser, event=od.event, action="close_registration")
    services.lottery_publish(actor=od.organiser, event=od.event)
    draw = services.draw_run(actor=od.organiser, event=od.event, seed=seed)
    return od, pool, draw


def test_announcement_needs_fifteen_days_notice(world):
    od = make_event(world)
    Event.objects.filter(pk=od.event.pk).update(starts_at=timezone.now() + dt.timedelta(days=10))
    with pytest.raises(ValidationFailed) as err:
        services.event_transition(actor=od.organiser, event=od.event, action="announce")
    assert err.value.code == errors.NOTICE_TOO_SHORT
    assert Event.objects.get(pk=od.event.pk).status == states.DRAFT


def test_quotas_that_cannot_fill_the_panel_are_refused_and_nothing_changes(world):
    od = make_event(world)
    before = list(Quota.objects.filter(event=od.event).values_list("category", "value", "min", "max"))
    with pytest.raises(ValidationFailed) as err:
        services.quotas_set(
            actor=od.organiser, event=od.event, text="feature,value,min,max\ngender,male,0,1\ngender,female,0,2\n"
        )
    assert err.value.code == errors.BAD_QUOTAS and "少于参加人数" in str(err.value.message)
    with pytest.raises(ValidationFailed) as err:
        services.quotas_set(actor=od.organiser, event=od.event, text="feature,value,min,max\nhair,red,0,4\n")
    assert err.value.code == errors.UNKNOWN_VALUE
    assert list(Quota.objects.filter(event=od.event).values_list("category", "value", "min", "max")) == before


def test_quotas_from_population_shares(world):
    od = make_event(world)
    services.quotas_from_population(
        actor=od.organiser, event=od.event, shares_text="gender,male,49\ngender,female,51\n", tolerance=0
    )
    got = {q.value: (q.min, q.max) for q in Quota.objects.filter(event=od.event)}
    assert got == {"male": (2, 2), "female": (2, 2)}


def test_registration_checks_phone_id_age_and_values(world):
    od = announced(world)
    reg = register(od.event, 1)
    assert reg.age_band == "40-49" and reg.gender == "male" and reg.number == "001"
    with pytest.raises(ValidationFailed) as err:
        register(od.event, 1)  # same phone and ID
    assert err.value.code == errors.DUPLICATE_PHONE
    with pytest.raises(ValidationFailed) as err:
        register(od.event, 2, district="北区")
    assert err.value.code == errors.UNKNOWN_VALUE
    with pytest.raises(ValidationFailed) as err:
        register(od.event, 3, born=timezone.now().date().replace(year=timezone.now().year - 16))
    assert err.value.code == errors.NOT_ELIGIBLE
    services.phone_code_send(phone="13700009999")
    with pytest.raises(ValidationFailed) as err:
        services.registration_submit(
            actor=None,
            event=od.event,
            name="王五",
            phone="13700009999",
            code="000000",
            id_number=register.__globals__["id_number"](dt.date(1970, 1, 1), 9, True),
            basis="reside",
            political_status="masses",
            occupation="enterprise",
            district="东区",
            household="x",
            no_exclusion=True,
        )
    assert err.value.code == errors.BAD_CODE
    assert Registration.objects.filter(event=od.event).count() == 1


def test_draw_meets_quotas_and_a_second_seed_is_refused(world):
    od, _pool, draw = drawn(world)
    assert draw.index == draw_index("12 34 56", len(draw.panels))
    assert draw.digest == panels_digest(draw.panels)
    chosen = Registration.objects.filter(event=od.event, status=states.INVITED)
    assert sorted(r.number for r in chosen) == draw.chosen and len(draw.chosen) == 4
    f = figures(od.event)
    assert all(row.met for row in f.quotas)
    assert f.min_chance and f.min_chance > 0
    assert len({r.household for r in chosen}) == 4
    again = services.draw_run(actor=od.organiser, event=od.event, seed="12 34 56")
    assert again.pk == draw.pk
    with pytest.raises(ValidationFailed) as err:
        services.draw_run(actor=od.organiser, event=od.event, seed="99 99 99")
    assert err.value.code == errors.SEED_PUBLISHED


def test_a_decline_is_replaced_against_the_remaining_quotas(world):
    od, _pool, draw = drawn(world)
    leaving = Registration.objects.filter(event=od.event, status=states.INVITED).first()
    services.registration_act(actor=od.organiser, registration=leaving, action="decline")
    assert services.seats_open(od.event) == 1
    replacement_publish(actor=od.organiser, event=od.event)
    second = services.draw_run(actor=od.organiser, event=od.event, seed="77")
    assert second.sequence == 1 and len(second.chosen) == 1
    assert second.chosen[0] not in draw.chosen
    assert all(row.met for row in figures(od.event).quotas)
    assert services.seats_open(od.event) == 0


def test_a_replacement_sharing_a_household_with_a_member_is_refused(world):
    od, _pool, _draw = drawn(world)
    sitting = Registration.objects.filter(event=od.event, status=states.INVITED)
    # someone not drawn whose household has a member on the panel
    house = {r.household for r in sitting}
    mate = Registration.objects.filter(event=od.event, status=states.REGISTERED, household__in=house).first()
    if mate is None:  # make one: a late registrant in a member's household
        mate = Registration.objects.filter(event=od.event, status=states.REGISTERED).first()
        Registration.objects.filter(pk=mate.pk).update(household=sitting[0].household)
    leaving = sitting.exclude(household=Registration.objects.get(pk=mate.pk).household).first()
    services.registration_act(actor=od.organiser, registration=leaving, action="decline")
    with pytest.raises(ValidationFailed) as err:
        replacement_pick(actor=od.organiser, event=od.event, number=mate.number)
    assert err.value.code == errors.SAME_HOUSEHOLD
    assert Registration.objects.get(pk=mate.pk).status == states.REGISTERED


def test_registrant_confirms_only_their_own_invitation(world):
    od = announced(world)
    mine = register(od.event, 1, user=world.citizen)
    services.event_transition(actor=od.organiser, event=od.event, action="close_registration")
    with pytest.raises(HuyingError):
        services.registration_act(actor=world.citizen, registration=mine, action="confirm")  # not invited
    with pytest.raises(NotFound):
        services.registration_act(actor=world.other_citizen, registration=mine, action="decline")
    with pytest.raises(InvalidTransition):
        services.registration_act(actor=od.organiser, registration=mine, action="invite")


def test_forum_assignment_becomes_an_open_day_appeal_the_participant_follows(world):
    od, _pool, _draw = drawn(world)
    speaker = Registration.objects.filter(event=od.event, status=states.INVITED).first()
    Registration.objects.filter(pk=speaker.pk).update(user=world.citizen)
    item = services.forum_record(
        actor=od.organiser,
        event=od.event,
        number=speaker.number,
        text="冷库租金太高，果农储存困难。",
        answered_by="区长",
        answer="请农业农村局调研后答复。",
    )
    with pytest.raises(ValidationFailed) as err:
        services.forum_record(actor=od.organiser, event=od.event, number="999", text="x")
    assert err.value.code == errors.NOT_A_PARTICIPANT
    due = timezone.now().date() + dt.timedelta(days=15)
    item = services.forum_assign(actor=od.organiser, item=item, owner=world.urban, promised_by=due)
    appeal = Appeal.objects.get(pk=item.appeal_id)
    assert appeal.channel == Channel.OPEN_DAY and appeal.status == Status.DISPATCHED
    assert appeal.lead_unit == world.urban and appeal.due_at is not None and appeal.citizen == world.citizen
    with pytest.raises(InvalidTransition):
        services.forum_assign(actor=od.organiser, item=item, owner=world.urban, promised_by=due)
    # the unit signs and replies: assigned but not yet closed in the figures
    appeal_services.appeal_transition(actor=world.handler, appeal=appeal.pk, action=Action.SIGN)
    appeal_services.appeal_transition(
        actor=world.handler, appeal=appeal.pk, action=Action.REPLY, note="已调研，将建设公共冷库。"
    )
    f = figures(od.event)
    assert f.forum_total == 1 and f.forum_assigned == 1 and f.forum_closed == 0


def test_only_organisers_of_the_unit_manage(world):
    od = make_event(world)
    stranger = make_user("stranger", "open_day_org", world.housing)
    with pytest.raises(NotFound):
        services.event_transition(actor=stranger, event=od.event, action="announce")
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=world.citizen,
            unit=world.street,
            title="x",
            area="x",
            venue="x",
            starts_at=timezone.now(),
            registration_ends_at=timezone.now(),
            panel_size=3,
            seed_source="x",
        )
    assert ForumItem.objects.count() == 0


def test_a_committee_sitting_takes_only_past_participants(world):
    od, _pool, draw = drawn(world)
    past = Registration.objects.filter(event=od.event, number__in=draw.chosen)
    past.update(status=states.CONFIRMED)
    now = timezone.now()
    sitting = services.event_create(
        actor=od.organiser,
        unit=world.street,
        title="列席街道议事会",
        area="市中街道",
        venue="会议室",
        starts_at=now + dt.timedelta(days=30),
        registration_ends_at=now + dt.timedelta(days=20),
        panel_size=2,
        seed_source="现场报数",
        kind=Event.Kind.SITTING,
        sitting_of=od.event,
    )
    services.quotas_set(
        actor=od.organiser, event=sitting, text="feature,value,min,max\ngender,male,0,2\ngender,female,0,2\n"
    )
    services.event_transition(actor=od.organiser, event=sitting, action="announce")
    participant = int(draw.chosen[0]) - 1  # fill_pool's registrant i has number i + 1
    outsider = next(i for i in range(12) if f"{i + 1:03d}" not in draw.chosen)
    reg = register(
        sitting,
        participant,
        male=participant % 3 != 0,
        party=participant % 4 == 0,
        district="东区" if participant % 2 else "西区",
    )
    assert reg.event == sitting
    with pytest.raises(ValidationFailed) as err:
        register(sitting, outsider, male=outsider % 3 != 0, district="东区" if outsider % 2 else "西区")
    assert err.value.code == errors.NOT_ELIGIBLE
