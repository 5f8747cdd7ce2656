"""村级全程代办: a village clerk files a centre's proxy item for a resident (identity checked, the
authorisation recorded, materials listed); the application goes to the town or county window on the
village channel, through the one-window loop; the result comes back to the centre and the resident
collects it or has it delivered. Each case counts the trips and kilometres the resident did not travel."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike, actor_for
from huying.applications import services as application_services
from huying.applications.models import Application
from huying.applications.states import ApplicantKind, AssistKind, Channel, Status
from huying.core.errors import NotFound, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import versioned_update

from .. import errors
from ..geocoding import geocode
from ..models import CaseEvent, PointItem, ProxyCase, ServicePoint
from ..permissions import posted_at
from ..spatial import haversine_km
from ..states import CASE_TRANSITIONS, CLERK, HALL_KINDS, CaseAction, CaseStatus, IdentityCheck

AUTHORISATION_DAYS = 90
# Window results a case can be returned with: issued (approved or refused) or not accepted at all.
RESULT_STATUSES = frozenset({Status.ISSUED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN})


def _sms(phone: str, text: str) -> None:
    transaction.on_commit(functools.partial(send_sms, phone=phone, text=text))


def _proxy_item(point: ServicePoint, item_code: str) -> PointItem:
    code = (item_code or "").strip()[:40]
    found = PointItem.objects.filter(point=point, item__code=code, proxies=True, item__is_active=True)
    entry = found.select_related("item").first()
    if entry is None:
        raise ValidationFailed(
            _("%(point)s不代办该事项（%(code)s）。") % {"point": point.name, "code": code or "—"},
            code=errors.ITEM_NOT_HANDLED,
            data={"item_code": _("本服务站不代办该事项。")},
        )
    return entry


def _nearest_hall(item_id: int, lon: float, lat: float) -> tuple[ServicePoint | None, float]:
    """The hall accepting the item nearest to the resident's home (a handful of rows per item)."""
    halls = ServicePoint.objects.filter(
        is_active=True, kind__in=HALL_KINDS, items__item_id=item_id, items__accepts=True
    ).order_by("code")
    best: tuple[ServicePoint | None, float] = (None, 0.0)
    for hall in halls:
        km = haversine_km(lon, lat, hall.longitude, hall.latitude)
        if best[0] is None or km < best[1]:
            best = (hall, km)
    return best


def _home(point: ServicePoint, home: str) -> tuple[str, float, float]:
    home = (home or "").strip()[:100]
    if not home:
        return point.name, point.longitude, point.latitude
    place = geocode(home)
    return home, place.longitude, place.latitude


def _check_filing(point: ServicePoint, identity_check: str, authorised: bool) -> None:
    if identity_check not in IdentityCheck.values:
        raise ValidationFailed(
            _("代办须先核验居民身份，请选择核验方式。"),
            code=errors.IDENTITY_NOT_CHECKED,
            data={"identity_check": _("请选择身份核验方式。")},
        )
    if not authorised:
        raise ValidationFailed(
            _("代办须先由居民签署授权委托书并登记。"),
            code=errors.PROXY_NOT_AUTHORISED,
            data={"authorised": _("请确认居民已签署授权委托书。")},
        )


def _open_case(
    *,
    point: ServicePoint,
    application: Application,
    hall: ServicePoint | None,
    who: dict[str, str],
    home: tuple[str, float, float],
    identity_check: str,
    hall_km: float,
    clerk: Any,
    now: dt.datetime,
) -> ProxyCase:
    """The centre's record of the filing, numbered, its first event, and the resident told by SMS.
    The trips saved are the item's visits; each is a round trip to the hall less the one to the centre."""
    trips = max(1, application.item.max_visits if application.item else 1)
    centre_km = haversine_km(home[1], home[2], point.longitude, point.latitude)
    km = round(trips * 2 * max(0.0, hall_km - centre_km), 1) if hall else 0.0
    case = ProxyCase.objects.create(
        point=point,
        application=application,
        hall=hall,
        resident_name=who["applicant_name"],
        resident_phone=who["applicant_phone"],
        home=home[0],
        home_longitude=home[1],
        home_latitude=home[2],
        identity_check=identity_check,
        trips_saved=trips,
        km_saved=km,
        filed_by=clerk,
        filed_at=now,
    )
    case.number = f"DB{timezone.localtime(now):%Y%m%d}{case.pk:06d}"
    ProxyCase.objects.filter(pk=case.pk).update(number=case.number)
    CaseEvent.objects.create(case=case, action="file", to_status=case.status, actor=clerk, created_at=now)
    _sms(
        who["applicant_phone"],
        _("您在%(point)s委托代办的“%(item)s”已提交，代办编号 %(number)s。可凭编号和本手机号查询进度。")
        % {"point": point.name, "item": application.title, "number": case.number},
    )
    return case


def case_file(
    *,
    actor: ActorLike,
    point: ServicePoint,
    item_code: str,
    resident_name: str,
    resident_id_number: str,
    resident_phone: str,
    identity_check: str,
    authorised: bool,
    home: str = "",
    materials: dict[str, Any] | None = None,
    form_data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> ProxyCase:
    """File a centre's proxy item for a resident (refused: no identity check or authorisation, an item
    not proxied there, a clerk not posted there)."""
    now = now or timezone.now()
    resolved = actor_for(actor)
    if not posted_at(resolved, point):
        raise NotFound()
    entry = _proxy_item(point, item_code)
    _check_filing(point, identity_check, authorised)
    home_name, home_lon, home_lat = _home(point, home)
    who = application_services.clean_applicant(
        kind=ApplicantKind.PERSON, name=resident_name, code=resident_id_number, phone=resident_phone
    )
    item = entry.item
    hall, hall_km = _nearest_hall(item.pk, home_lon, home_lat)
    with transaction.atomic():
        proxy = application_services.proxy_authorise(
            actor=resolved,
            agent=resolved.user,
            principal_kind=ApplicantKind.PERSON,
            principal_name=who["applicant_name"],
            principal_code=who["applicant_code"],
            principal_phone=who["applicant_phone"],
            scope=_("%(point)s全程代办：%(item)s") % {"point": point.name, "item": item.name},
            valid_until=timezone.localdate(now) + dt.timedelta(days=AUTHORISATION_DAYS),
            now=now,
        )
        application = application_services.application_receive(
            actor=resolved,
            item=item,
            applicant_kind=ApplicantKind.PERSON,
            applicant_name=who["applicant_name"],
            applicant_code=who["applicant_code"],
            applicant_phone=who["applicant_phone"],
            form_data=form_data,
            channel=Channel.VILLAGE,
            materials=materials,
            proxy=proxy,
            village_checked=True,
            now=now,
        )
        application_services.assisted_service_record(
            actor=resolved,
            kind=AssistKind.PROXY,
            person_name=who["applicant_name"],
            person_phone=who["applicant_phone"],
            served_on=timezone.localdate(now),
            note=_("%(point)s（%(code)s）全程代办，%(check)s")
            % {"point": point.name, "code": point.code, "check": IdentityCheck(identity_check).label},
            application=application,
            now=now,
        )
        case = _open_case(
            point=point,
            application=application,
            hall=hall,
            who=who,
            home=(home_name, home_lon, home_lat),
            identity_check=identity_check,
            hall_km=hall_km,
            clerk=resolved.user,
            now=now,
        )
    return case


def case_act(
    *,
    actor: ActorLike,
    case: ProxyCase,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ProxyCase:
    """Return the window's result to the centre, then hand it to the resident (collected or delivered)."""
    now = now or timezone.now()
    resolved = actor_for(actor)
    if not posted_at(resolved, case.point):
        raise NotFound()
    transition, note = CASE_TRANSITIONS.check(source=case.status, action=action, roles={CLERK}, note=note)
    application = Application.objects.get(pk=case.application_id)  # as the window left it
    fields: dict[str, Any] = {"status": transition.target}
    if action == CaseAction.RETURN:
        if application.status not in RESULT_STATUSES:
            raise ValidationFailed(
                _("窗口尚未出件（当前：%(status)s），结果不能送回服务站。")
                % {"status": application.get_status_display()},
                code=errors.RESULT_NOT_READY,
            )
        fields["returned_at"] = now
    else:
        fields.update(done_at=now, handover=action, handover_note=note[:300])
    with transaction.atomic():
        versioned_update(
            ProxyCase.objects.filter(pk=case.pk),
            expected_version=case.version if expected_version is None else expected_version,
            **fields,
        )
        CaseEvent.objects.create(
            case=case, action=action, to_status=transition.target, note=note[:300], actor=resolved.user, created_at=now
        )
        if action != CaseAction.RETURN and application.status == Status.ISSUED:
            application_services.application_transition(
                actor=resolved, application=application, action="close", now=now
            )
        if action == CaseAction.RETURN:
            _sms(
                case.resident_phone,
                _(
                    "您委托代办的“%(item)s”（代办编号 %(number)s）结果已送回%(point)s，请携带身份证领取，或联系代办员送达。"
                )
                % {"item": application.title, "number": case.number, "point": case.point.name},
            )
    case.refresh_from_db()
    return case


def proxy_figures(*, since: dt.date | None = None) -> dict[str, Any]:
    """Village proxy volumes: cases by centre and item, the share of those items' applications filed
    under proxy, trips and kilometres saved, and days from filing to the result back at the centre."""
    cases = ProxyCase.objects.all()
    if since is not None:
        cases = cases.filter(filed_at__date__gte=since)
    totals = cases.aggregate(n=Count("id"), trips=Sum("trips_saved"), km=Sum("km_saved"))
    item_ids = set(cases.values_list("application__item_id", flat=True))
    applications = Application.objects.filter(item_id__in=item_ids)
    if since is not None:
        applications = applications.filter(received_at__date__gte=since)
    of_items = applications.count()
    returned = cases.filter(returned_at__isnull=False).annotate(took=F("returned_at") - F("filed_at"))
    took = returned.aggregate(avg=Avg("took"))["avg"]
    by_point = list(
        cases.values("point__code", "point__name")
        .annotate(n=Count("id"), km=Sum("km_saved"))
        .order_by("-n", "point__code")
    )
    by_item = list(
        cases.values("application__item__code", "application__title").annotate(n=Count("id")).order_by("-n")[:20]
    )
    done = cases.filter(Q(status=CaseStatus.COLLECTED) | Q(status=CaseStatus.DELIVERED)).count()
    return {
        "cases": totals["n"] or 0,
        "done": done,
        "trips_saved": totals["trips"] or 0,
        "km_saved": round(totals["km"] or 0.0, 1),
        "share_under_proxy": round((totals["n"] or 0) / of_items, 3) if of_items else None,
        "applications_of_items": of_items,
        "days_to_result": round(took.total_seconds() / 86400, 1) if took else None,
        "by_point": by_point,
        "by_item": by_item,
    }
