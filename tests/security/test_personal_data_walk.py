"""No page or API response shows a full ID number or phone, for any role, on any record.

The rule (huying.core.personal_data): ID numbers are masked 6+4 for everyone, the person included;
phones 3+4, except a person's own phone on their own records. A full value is shown only through a
reveal, which needs a purpose and writes an audit row.

Exception: the application form a citizen fills in is pre-filled with their own verified ID number
(an input they submit, on their own account).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.accounts.models import User
from huying.appeals.models import Appeal
from huying.applications.models import Application, AssistedService, ProxyAuthorisation
from huying.core.personal_data import looks_like_id_number, looks_like_mobile
from huying.halls.models import Ticket
from huying.licences.models import Licence
from huying.ratings.models import Rating

from .walk import people, urls

pytestmark = pytest.mark.django_db


def _secrets() -> tuple[set[str], set[str]]:
    ids: set[str] = set()
    phones: set[str] = set()

    def add(value: Any) -> None:
        text = str(value or "").strip()
        if looks_like_id_number(text):
            ids.add(text.upper())
        elif looks_like_mobile(text):
            phones.add(text)

    for field in ("id_number", "phone"):
        for v in User.objects.values_list(field, flat=True):
            add(v)
    for row in Application.objects.values_list("applicant_code", "applicant_phone", "form_data"):
        add(row[0])
        add(row[1])
        for v in (row[2] or {}).values():
            add(v)
    for pair in Appeal.objects.values_list("requester_phone", "requester_id_number"):
        for v in pair:
            add(v)
    for v in Licence.objects.values_list("holder_code", flat=True):
        add(v)
    for v in Rating.objects.values_list("rater_phone", flat=True):
        add(v)
    for v in Ticket.objects.values_list("phone", flat=True):
        add(v)
    for pair in ProxyAuthorisation.objects.values_list("principal_code", "principal_phone"):
        for v in pair:
            add(v)
    for v in AssistedService.objects.values_list("person_phone", flat=True):
        add(v)
    return ids, phones


def _own_phones(user: User | None) -> set[str]:
    if user is None:
        return set()
    own = {user.phone} if user.phone else set()
    own |= set(Application.objects.filter(applicant_user=user).values_list("applicant_phone", flat=True))
    own |= set(Application.objects.filter(agent=user).values_list("applicant_phone", flat=True))
    own |= set(Appeal.objects.filter(citizen=user).values_list("requester_phone", flat=True))
    for data in Application.objects.filter(applicant_user=user).values_list("form_data", flat=True):
        own |= {str(v) for v in (data or {}).values() if looks_like_mobile(v)}
    return own


def test_no_page_or_api_response_shows_a_full_id_number_or_phone(demo: None) -> None:
    ids, phones = _secrets()
    assert len(ids) >= 5 and len(phones) >= 5, (ids, phones)
    assert Application.objects.exclude(form_data={}).exists()
    leaks: list[str] = []
    pages = 0
    for who, user in people().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        own_phones = _own_phones(user)
        own_id = (user.id_number or "").upper() if user is not None else ""
        for url in urls():
            response = client.get(url)
            pages += 1
            body = response.content.decode("utf-8", "replace").upper()
            for value in ids:
                if value in body and not (value == own_id and url.startswith("/applications/apply/")):
                    leaks.append(f"{who} {url}: ID {value}")
            for value in phones - own_phones:
                if value in body:
                    leaks.append(f"{who} {url}: phone {value}")
    assert pages > 300
    assert not leaks, "\n".join(sorted(set(leaks))[:60])


def test_every_reveal_needs_a_purpose_and_writes_an_audit_row(everyone: Any) -> None:
    """Each reveal endpoint (page and API) of every loop: refused without a purpose, and one
    PERSONAL_DATA_VIEW row per full view."""
    from huying.core.models import AuditLog
    from huying.ratings.models import RectificationCase

    appeal = Appeal.objects.exclude(requester_phone="").order_by("pk").first()
    application = Application.objects.filter(applicant_kind="person").order_by("pk").first()
    case = RectificationCase.objects.select_related("rating").order_by("pk").first()
    assert appeal and application and case
    if not case.rating.rater_phone:
        case.rating.rater_phone = "13912345678"
        case.rating.save(update_fields=["rater_phone"])
    reveals = [
        (f"/appeals/{appeal.pk}/reveal/", appeal.requester_phone),
        (f"/api/v1/appeals/{appeal.pk}/personal-data/", appeal.requester_phone),
        (f"/applications/{application.number}/reveal/", application.applicant_code),
        (f"/api/v1/applications/{application.number}/personal-data/", application.applicant_code),
        (f"/ratings/cases/{case.pk}/reveal/", case.rating.rater_phone),
        (f"/api/v1/ratings/cases/{case.pk}/personal-data/", case.rating.rater_phone),
    ]
    client = Client()
    client.force_login(everyone)
    views = AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)

    def post(c: Client, url: str, purpose: str) -> Any:
        if url.startswith("/api/"):
            return c.post(url, {"purpose": purpose}, content_type="application/json")
        return c.post(url, {"purpose": purpose})

    for url, full in reveals:
        before = views.count()
        refused = post(client, url, "")
        assert refused.status_code == 400 and views.count() == before, url
        shown = post(client, url, "核实")
        assert shown.status_code == 200 and full in shown.content.decode(), url
        assert views.count() == before + 1, url
        assert views.order_by("-pk").first().data["purpose"] == "核实"  # type: ignore[union-attr]
    anonymous = Client()
    for url, full in reveals:
        response = post(anonymous, url, "核实")
        assert response.status_code in (302, 401, 403, 404) and full not in response.content.decode(), url
