"""Pages of liaison stations: the public list with reception days and booking from the phone, the
deputy's desk (bookings, walk-ins, routing in one step), the 履职 record and the 述职 report."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.masking import mask_name, mask_phone
from huying.core.ratelimit import limit

from .. import figures
from ..models import Booking, Committee, ContactPoint, DeputyProfile, Reception, ReceptionDay
from ..services import stations as services
from .common import attempt, post_int


@require_http_methods(["GET"])
def stations(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listed = []
    for station in ContactPoint.objects.filter(is_station=True).prefetch_related("deputies"):
        days = list(ReceptionDay.objects.filter(station=station, date__gte=today).prefetch_related("deputies")[:3])
        for day in days:
            day.taken = day.bookings.exclude(status=Booking.Status.CANCELLED).count()  # type: ignore[attr-defined]
        listed.append((station, days))
    return render(request, "deputies/stations.html", {"stations": listed})


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, day_id: int) -> HttpResponse:
    """A resident books a reception day (phone page)."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    day = ReceptionDay.objects.select_related("station").filter(pk=day_id).first()
    if day is None:
        raise Http404()
    error = ""
    if request.method == "POST":

        def call() -> Booking:
            limit(request, "deputies_booking", user=str(request.user.pk))
            return services.booking_create(
                actor=request.user,
                day_id=day.pk,
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                matter=request.POST.get("matter", ""),
            )

        booking, error = attempt(request, call, _("预约成功，请按时到代表联络站。"))
        if booking is not None:
            return redirect("deputies:my_bookings")
    user = request.user
    context = {
        "day": day,
        "error": error,
        "phone": getattr(user, "phone", ""),
        "name": getattr(user, "display_name", ""),
    }
    return render(request, "deputies/book.html", context)


@require_http_methods(["GET"])
def my_bookings(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    bookings = Booking.objects.filter(citizen=request.user).select_related("day__station", "reception")
    return render(request, "deputies/my_bookings.html", {"bookings": bookings})


def _deputy(actor: Actor) -> DeputyProfile:
    deputy = services.deputy_of(actor)
    if deputy is None:
        raise Http404()
    return deputy


@role_required(Role.DEPUTY)
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The deputy's desk: today's and coming bookings, a walk-in form, receptions to route."""
    deputy = _deputy(actor)
    station = deputy.station
    error = ""
    if request.method == "POST" and station is not None:
        reception, error = attempt(
            request,
            lambda: services.reception_record(
                actor=actor,
                station_id=station.pk,
                booking_id=post_int(request, "booking"),
                visitor_name=request.POST.get("visitor_name", ""),
                visitor_phone=request.POST.get("visitor_phone", ""),
                matter=request.POST.get("matter", ""),
            ),
            _("已登记接待。"),
        )
        if reception is not None:
            return redirect("deputies:reception", reception_id=reception.pk)
    bookings = Booking.objects.filter(
        day__station=station, day__date__gte=timezone.localdate(), status=Booking.Status.BOOKED
    ).select_related("day")
    receptions = Reception.objects.filter(deputy=deputy).select_related("station")[:30]
    context = {
        "deputy": deputy,
        "station": station,
        "bookings": [(b, mask_name(b.name), mask_phone(b.phone)) for b in bookings],
        "receptions": [(r, mask_name(r.visitor_name)) for r in receptions],
        "suggestions": deputy.suggestions.all()[:30],
        "error": error,
    }
    return render(request, "deputies/desk.html", context)


@role_required(Role.DEPUTY, Role.LEGISLATIVE_STAFF)
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest, actor: Actor, reception_id: int) -> HttpResponse:
    found = Reception.objects.select_related("deputy", "station").filter(pk=reception_id).first()
    if found is None or (found.deputy.user_id != actor.user.pk and not services.is_staff(actor)):
        raise Http404()
    error = ""
    if request.method == "POST":
        _done, error = attempt(
            request,
            lambda: services.reception_route(
                actor=actor,
                reception_id=found.pk,
                version=post_int(request, "version") or 0,
                routing=request.POST.get("routing", ""),
                answer=request.POST.get("answer", ""),
                title=request.POST.get("title", ""),
                committee=post_int(request, "committee"),
            ),
            _("已处理并告知来访人。"),
        )
        if not error:
            return redirect("deputies:reception", reception_id=found.pk)
    context = {
        "r": found,
        "visitor": mask_name(found.visitor_name),
        "phone": mask_phone(found.visitor_phone),
        "routings": [c for c in Reception.Routing.choices if c[0] != Reception.Routing.PENDING],
        "committees": Committee.objects.all(),
        "error": error,
    }
    return render(request, "deputies/reception.html", context)


@require_http_methods(["GET"])
def deputy_report(request: HttpRequest, deputy_id: int) -> HttpResponse:
    """The deputy's 履职 record and the 述职 report generated from it (代表法 Art. 58: published)."""
    deputy = DeputyProfile.objects.select_related("station").filter(pk=deputy_id).first()
    if deputy is None:
        raise Http404()
    record = figures.duty_record(deputy)
    return render(request, "deputies/deputy_report.html", {"deputy": deputy, "record": record})
