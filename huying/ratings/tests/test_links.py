"""The served person rates without an account (SMS link, the window's rating device); staff entry is
labelled 窗口代录 and never for one's own act; the case page tells the source honestly."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils import timezone, translation

from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.notify import sms_outbox
from huying.ratings import errors, services
from huying.ratings.models import Rating
from huying.ratings.states import Channel, Source

pytestmark = pytest.mark.django_db


def recent(world: Any, acts: Any, **kw: Any) -> Any:
    kw.setdefault("rater", None)
    return acts.add(unit=world.urban, occurred_at=timezone.now() - dt.timedelta(hours=1), **kw)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sms_link_rates_without_an_account_once(world: Any, acts: Any, django_capture_on_commit_callbacks: Any) -> None:
    act = recent(world, acts, phone="13900001111", kind="window_visit")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rating_invite_send(kind=act.kind, ref=act.ref)
    phone, text = sms_outbox[-1]
    assert phone == "13900001111" and "无需登录" in text
    path = re.search(r"(/ratings/r/[^/\s]+/)", text).group(1)  # type: ignore[union-attr]
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and 'id="rate-form"' in page.content.decode()
    response = client.post(path, {"level": "5", "comment": ""})
    assert response.status_code == 302
    rating = Rating.objects.get(kind=act.kind, ref=act.ref)
    assert (rating.source, rating.channel, rating.is_real_name, rating.entered_by) == (
        Source.SMS,
        Channel.SMS,
        True,
        None,
    )
    again = client.post(path, {"level": "1", "comment": "再评"})
    assert again.status_code == 400 and Rating.objects.filter(kind=act.kind, ref=act.ref).count() == 1


def test_bad_and_expired_links(world: Any, acts: Any) -> None:
    act = recent(world, acts)
    assert Client().get("/ratings/r/nonsense/").status_code == 400
    token = services.rating_link_token(kind=act.kind, ref=act.ref, source=Source.SMS)
    with override_settings(HUYING_RATING_LINK_DAYS=0), pytest.raises(ValidationFailed) as expired:
        services.rating_link_read(token)
    assert expired.value.code == errors.LINK_EXPIRED
    forged = signing.dumps({"k": act.kind, "r": act.ref, "s": "sms", "b": ""}, salt="other")
    with pytest.raises(ValidationFailed) as invalid:
        services.rating_link_read(forged)
    assert invalid.value.code == errors.LINK_INVALID


def test_the_clerk_who_served_cannot_rate_by_any_route(world: Any, acts: Any, hall: Any) -> None:
    act = recent(world, acts, served_by=(hall.clerk,))
    token = services.rating_link_token(kind=act.kind, ref=act.ref, source=Source.DEVICE)
    with pytest.raises(PermissionDenied) as own:
        services.rating_submit_by_link(token=token, level=5, user=hall.clerk)
    assert own.value.code == errors.OWN_ACT
    with pytest.raises(PermissionDenied):
        services.rating_submit(kind=act.kind, ref=act.ref, level=5, channel=Channel.DEVICE, staff=hall.clerk)
    page = login(hall.clerk).get("/ratings/rate/", {"kind": act.kind, "ref": act.ref})
    assert page.status_code == 403 and "不能评价本人办理" in page.content.decode()
    assert login(hall.clerk).post(f"/ratings/r/{token}/", {"level": "5"}).status_code == 403
    assert not Rating.objects.exists()
    # A colleague may type in the person's paper form: labelled 窗口代录, not 实名.
    rating = services.rating_submit(
        kind=act.kind, ref=act.ref, level=2, channel=Channel.DEVICE, staff=hall.hall_manager, comment="等太久"
    )
    assert (rating.source, rating.is_real_name, rating.entered_by) == (Source.STAFF, False, hall.hall_manager)
    assert rating.is_staff_entered


def test_device_link_is_not_real_name_and_goes_back(world: Any, acts: Any) -> None:
    act = recent(world, acts, phone="13900001111")
    token = services.rating_link_token(kind=act.kind, ref=act.ref, source=Source.DEVICE, back="/halls/")
    response = Client().post(f"/ratings/r/{token}/", {"level": "4"})
    assert response.status_code == 302 and response["Location"] == "/halls/"
    rating = Rating.objects.get()
    assert (rating.source, rating.channel, rating.is_real_name) == (Source.DEVICE, Channel.DEVICE, False)


def test_case_page_tells_a_staff_entered_rating_apart(world: Any, acts: Any, hall: Any) -> None:
    act = recent(world, acts)
    rating = services.rating_submit(
        kind=act.kind, ref=act.ref, level=1, channel=Channel.DEVICE, staff=hall.hall_manager, comment="态度差"
    )
    html = login(hall.urban_supervisor).get(f"/ratings/cases/{rating.case.pk}/").content.decode()
    assert "窗口代录" in html and 'id="rating-source"' in html
    assert "实名" not in html.split('id="rating-source"')[1].split("</dd>")[0]


@pytest.mark.parametrize(("days", "said"), [(1, "valid for 1 day,"), (7, "valid for 7 days,")])
def test_the_english_sms_counts_its_days(
    world: Any, acts: Any, django_capture_on_commit_callbacks: Any, days: int, said: str
) -> None:
    act = recent(world, acts, phone="13900001111", kind="window_visit")
    english = translation.override("en")
    with override_settings(HUYING_RATING_LINK_DAYS=days), english, django_capture_on_commit_callbacks(execute=True):
        assert services.rating_invite_send(kind=act.kind, ref=act.ref)
    assert said in sms_outbox[-1][1]
