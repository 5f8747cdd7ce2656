"""The demand menu's loop through the services: publish, suggest, claim, QR sign-in/out, hours,
rating, certificate; and what is refused."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone
from pypdf import PdfReader

from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, ValidationFailed
from huying.core.registry import point_claims
from huying.volunteers import errors, rotating, selectors, services, states
from huying.volunteers.activity_models import HourEdit, SignUp
from huying.volunteers.models import Need

from .factories import LAT, LON, need, organiser, stations, volunteer


def _code(activity, now=None):
    return rotating.current_code(activity.qr_secret, activity.pk, now=(now or timezone.now()).timestamp(),
                                 period=activity.qr_period)  # fmt: skip


def test_suggestions_rank_matching_volunteers_and_skip_others(world):
    stations(world)
    near = volunteer(1, ["elder_care", "delivery"])
    far = volunteer(2, ["elder_care"], lat=LAT + 0.1)  # 11 km
    volunteer(3, ["haircut"])  # no wanted skill
    volunteer(4, ["elder_care"], lat=LAT + 0.3)  # 33 km: out of range
    n = need(world, ["elder_care", "delivery"])
    assert [s.volunteer for s in selectors.suggest_volunteers(n)] == [near, far]
    assert [found for found, _s in selectors.needs_for_volunteer(near)] == [n]


def test_the_whole_loop_and_the_certificate(world, settings):
    stations(world)
    org = organiser(world)
    v = volunteer(1, ["elder_care"])
    n = need(world, ["elder_care"])
    assert n.station.level == "station" and n.status == states.PUBLISHED
    n = services.need_claim(actor=v.user, need_id=n.pk, version=n.version)
    activity = n.activity
    assert (n.status, n.claimed_by, activity.org_unit) == (states.CLAIMED, v, world.community)
    start = timezone.now()
    services.sign_in(actor=v.user, activity_id=activity.pk, code=_code(activity, start), latitude=LAT + 0.001,
                     longitude=LON, now=start)  # fmt: skip
    assert Need.objects.get(pk=n.pk).status == states.SERVING
    end = start + dt.timedelta(minutes=90)
    signup = services.sign_out(actor=v.user, activity_id=activity.pk, code=_code(activity, end), latitude=LAT,
                               longitude=LON, now=end)  # fmt: skip
    assert signup.computed_hours == Decimal("1.50") and Need.objects.get(pk=n.pk).status == states.TO_RATE
    with pytest.raises(ValidationFailed) as exc:  # nothing confirmed yet
        services.certificate_issue(actor=v.user, issuer_id=world.community.pk)
    assert exc.value.code == errors.NO_CONFIRMED_HOURS
    with pytest.raises(ValidationFailed):  # a change of hours needs a reason
        services.hours_confirm(actor=org, signup_id=signup.pk, version=signup.version, hours="2")
    submitted = []
    with (
        point_claims.replaced("submit", submitted.append),
        mock.patch("django.db.transaction.on_commit", lambda fn: fn()),
    ):
        signup = services.hours_confirm(actor=org, signup_id=signup.pk, version=signup.version, hours="2",
                                        reason="到场后又陪同就医半小时")  # fmt: skip
    assert signup.hours == Decimal("2.00") and HourEdit.objects.get().reason == "到场后又陪同就医半小时"
    assert submitted[0].source == "volunteer_hours" and submitted[0].quantity == 2.0
    assert submitted[0].ref == signup.record_number and submitted[0].user_id == v.user_id
    n = services.need_rate(actor=world.citizen, need_id=n.pk, version=Need.objects.get(pk=n.pk).version, rating=5)
    assert n.status == states.DONE and n.rating == 5
    certificate = services.certificate_issue(actor=v.user, issuer_id=world.community.pk)
    assert certificate.hours == Decimal("2.00")
    url = f"https://example.org/volunteers/verify/{certificate.number}/{certificate.check_code}/"
    reader = PdfReader(io.BytesIO(services.certificate_pdf(certificate, url)))
    text = reader.pages[0].extract_text()
    assert certificate.number in text and "志愿服务记录证明" in text and "志愿者1" in text
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert uris == [url]
    assert services.certificate_verify(certificate.number, certificate.check_code) == certificate
    with pytest.raises(NotFound):
        services.certificate_verify(certificate.number, "0" * 16)


def test_sign_in_refused_far_away_outside_time_or_with_an_old_code(world):
    stations(world)
    v = volunteer(1, ["elder_care"])
    n = need(world, ["elder_care"])
    activity = services.need_claim(actor=v.user, need_id=n.pk, version=n.version).activity
    now = timezone.now()
    cases = [
        ({"code": _code(activity, now), "latitude": LAT + 0.02, "longitude": LON, "now": now}, errors.TOO_FAR),
        ({"code": _code(activity, now - dt.timedelta(minutes=5)), "latitude": LAT, "longitude": LON, "now": now},
         errors.QR_EXPIRED),
        ({"code": _code(activity, now), "latitude": "", "longitude": "", "now": now}, errors.NO_LOCATION),
    ]  # fmt: skip
    late = now + dt.timedelta(hours=5)
    cases.append(({"code": _code(activity, late), "latitude": LAT, "longitude": LON, "now": late}, errors.OUTSIDE_TIME))
    for kwargs, code in cases:
        with pytest.raises(ValidationFailed) as exc:
            services.sign_in(actor=v.user, activity_id=activity.pk, **kwargs)
        assert exc.value.code == code
    assert SignUp.objects.get().status == states.ENROLLED
    with pytest.raises(InvalidTransition):  # sign-out before sign-in
        services.sign_out(actor=v.user, activity_id=activity.pk, code=_code(activity, now), latitude=LAT,
                          longitude=LON, now=now)  # fmt: skip


def test_claim_refusals(world):
    stations(world)
    first, second = volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])
    barber = volunteer(3, ["haircut"])
    n = need(world, ["elder_care"])
    with pytest.raises(ValidationFailed) as exc:
        services.need_claim(actor=barber.user, need_id=n.pk, version=n.version)
    assert exc.value.code == errors.NEED_SKILL_MISMATCH
    with pytest.raises(ValidationFailed) as exc:
        services.need_claim(actor=world.other_citizen, need_id=n.pk, version=n.version)
    assert exc.value.code == errors.NOT_A_VOLUNTEER
    services.need_claim(actor=first.user, need_id=n.pk, version=n.version)
    with pytest.raises(ConcurrentModification) as exc:  # the second volunteer's page was made before
        services.need_claim(actor=second.user, need_id=n.pk, version=n.version)
    assert exc.value.code == errors.NEED_TAKEN and "已被其他志愿者认领" in str(exc.value.message)
    assert Need.objects.get(pk=n.pk).claimed_by == first and SignUp.objects.count() == 1


def test_release_escalation_and_bad_input(world):
    stations(world)
    v = volunteer(1, ["elder_care"])
    with pytest.raises(ValidationFailed) as exc:
        need(world, ["elder_care"], start=timezone.now(), hours=0)
    assert exc.value.code == errors.BAD_TIME
    n = need(world, ["elder_care"])
    Need.objects.filter(pk=n.pk).update(published_at=timezone.now() - dt.timedelta(hours=30))
    assert services.need_escalate_sweep().endswith(": 1")
    n = Need.objects.get(pk=n.pk)
    assert n.status == states.ESCALATED
    n = services.need_claim(actor=v.user, need_id=n.pk, version=n.version)
    with pytest.raises(ValidationFailed):
        services.need_release(actor=v.user, need_id=n.pk, version=n.version, note="")
    n = services.need_release(actor=v.user, need_id=n.pk, version=n.version, note="临时出差")
    assert n.status == states.PUBLISHED and n.claimed_by is None and not hasattr(n, "activity_cache")
    with pytest.raises(NotFound):
        services.need_rate(actor=world.other_citizen, need_id=n.pk, version=n.version, rating=5)


def test_activities_recur_on_the_17th_with_a_waiting_list(world):
    stations(world)
    org = organiser(world)
    start = timezone.make_aware(dt.datetime(2030, 1, 17, 9))
    made = services.activity_create(actor=org, org_unit=world.community, title="移动微服务站", address="黄河社区广场",
                                    latitude=LAT, longitude=LON, starts_at=start,
                                    ends_at=start + dt.timedelta(hours=3), capacity=1, skill_codes=["haircut"],
                                    monthly_day=17, months=3)  # fmt: skip
    assert [timezone.localtime(a.starts_at).date().isoformat() for a in made] == [
        "2030-01-17", "2030-02-17", "2030-03-17"]  # fmt: skip
    a, b = volunteer(1, ["haircut"]), volunteer(2, ["haircut"])
    first = services.signup_create(actor=a.user, activity_id=made[0].pk)
    second = services.signup_create(actor=b.user, activity_id=made[0].pk)
    assert (first.status, second.status) == (states.ENROLLED, states.WAITING)
    with pytest.raises(ValidationFailed):
        services.signup_create(actor=a.user, activity_id=made[0].pk)
    services.signup_cancel(actor=a.user, signup_id=first.pk, version=first.version)
    assert SignUp.objects.get(pk=second.pk).status == states.ENROLLED
