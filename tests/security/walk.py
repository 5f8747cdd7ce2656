"""Walk every page and API endpoint the URL configuration has, with real identifiers from the demo data.

Used by the security walks (personal data never unmasked, hostile query parameters never a 500).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from huying.accounts.models import ApiToken, RoleAssignment, User
from huying.appeals.models import Appeal
from huying.applications.models import Application, Project, ReviewTask
from huying.canteens.models import Canteen, Settlement
from huying.catalogue.models import Bundle, ServiceItem
from huying.community.models import CommunityProfile, Meeting, Publication, Survey, Topic
from huying.deputies.models import (
    DeputyProfile,
    Draft,
    FiledDocument,
    MediationCase,
    Reception,
    ReceptionDay,
    Suggestion,
)
from huying.dispatch.models import KeyProblem
from huying.grids.models import Grid, GridTask, GridTaskAssignment
from huying.halls.models import Hall, Ticket, Window
from huying.licences.models import Authorisation, Licence, LicenceUse
from huying.opendays.models import Event as OpenDay
from huying.opendays.models import Registration as OpenDayRegistration
from huying.points.models import Claim, Goods, Merchant, Redemption, Scheme, SchemeItem
from huying.ratings.models import Complaint, RectificationCase
from huying.servicepoints.models import ProxyCase, ServicePoint
from huying.volunteers.activity_models import Activity, Certificate
from huying.volunteers.extra_models import CallOutInvite, Course, DutyShift
from huying.volunteers.models import Need, Team

# Not pages of the product (Django admin, the schema and its viewer, the language switch, logout).
SKIPPED_PREFIXES = ("admin/", "api/schema/", "api/docs/", "i18n/", "accounts/logout/", "^api/v1/")
SKIPPED_NAMES = {"export"}  # a workbook: checked by the dashboards' own tests

PER_PARAM = 3


@dataclass(frozen=True)
class Route:
    namespace: str
    template: str  # "appeals/<int:pk>/"
    name: str


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                found.append(Route(namespace, prefix + str(p.pattern), p.name or ""))

    walk(get_resolver(), "", "")
    return [r for r in found if not r.template.startswith(SKIPPED_PREFIXES) and r.name not in SKIPPED_NAMES]


def _values() -> dict[tuple[str, str], Callable[[], list[str]]]:
    def ids(qs: object) -> list[str]:
        return [str(v) for v in list(qs)[:PER_PARAM]]  # type: ignore[call-overload]

    appeals = lambda: ids(Appeal.objects.order_by("pk").values_list("pk", flat=True))  # noqa: E731
    numbers = lambda: ids(  # noqa: E731
        Application.objects.filter(applicant_kind="person").order_by("pk").values_list("number", flat=True)
    )
    licences = lambda: ids(Licence.objects.filter(holder_kind="person").values_list("pk", flat=True))  # noqa: E731
    return {
        ("appeals", "pk"): appeals,
        ("api", "pk"): appeals,
        ("dispatch_api", "pk"): appeals,
        ("dispatch", "pk"): lambda: ids(KeyProblem.objects.values_list("pk", flat=True)),
        ("services", "code"): lambda: ids(ServiceItem.objects.values_list("code", flat=True)),
        ("services_api", "code"): lambda: ids(ServiceItem.objects.values_list("code", flat=True)),
        ("applications", "number"): numbers,
        ("applications_api", "number"): numbers,
        ("applications", "code"): lambda: ids(ServiceItem.objects.values_list("code", flat=True)),
        ("applications", "pk"): lambda: ids(Project.objects.values_list("pk", flat=True))
        + ids(ReviewTask.objects.values_list("pk", flat=True)),
        ("applications_api", "task_id"): lambda: ids(ReviewTask.objects.values_list("pk", flat=True)),
        ("halls", "hall_id"): lambda: ids(Hall.objects.values_list("pk", flat=True)),
        ("halls_api", "hall_id"): lambda: ids(Hall.objects.values_list("pk", flat=True)),
        ("halls", "public_id"): lambda: ids(Ticket.objects.exclude(phone="").values_list("public_id", flat=True)),
        ("halls_api", "public_id"): lambda: ids(Ticket.objects.exclude(phone="").values_list("public_id", flat=True)),
        ("halls", "pk"): lambda: ids(Window.objects.values_list("pk", flat=True)),
        ("halls_api", "window_id"): lambda: ids(Window.objects.values_list("pk", flat=True)),
        ("ratings", "pk"): lambda: ids(RectificationCase.objects.values_list("pk", flat=True))
        + ids(Complaint.objects.values_list("pk", flat=True)),
        ("ratings_api", "pk"): lambda: ids(RectificationCase.objects.values_list("pk", flat=True))
        + ids(Complaint.objects.values_list("pk", flat=True)),
        ("licences", "pk"): lambda: licences() + ids(LicenceUse.objects.values_list("pk", flat=True)),
        ("licences_api", "pk"): lambda: licences() + ids(Authorisation.objects.values_list("pk", flat=True)),
        ("accounts", "token_id"): lambda: ids(ApiToken.objects.values_list("pk", flat=True)),
        ("accounts-api", "token_id"): lambda: ids(ApiToken.objects.values_list("pk", flat=True)),
        ("grids", "code"): lambda: ids(Grid.objects.values_list("code", flat=True)),
        ("grids", "appeal_id"): appeals,
        ("grids", "assignment_id"): lambda: ids(GridTaskAssignment.objects.values_list("pk", flat=True)),
        ("grids", "task_id"): lambda: ids(GridTask.objects.values_list("pk", flat=True)),
        ("points", "claim_id"): lambda: ids(Claim.objects.order_by("pk").values_list("pk", flat=True)),
        ("points_api", "claim_id"): lambda: ids(Claim.objects.order_by("pk").values_list("pk", flat=True)),
        ("points", "redemption_id"): lambda: ids(Redemption.objects.order_by("pk").values_list("pk", flat=True)),
        ("points", "scheme_id"): lambda: ids(Scheme.objects.order_by("pk").values_list("pk", flat=True)),
        ("points", "item_id"): lambda: ids(SchemeItem.objects.order_by("pk").values_list("pk", flat=True)),
        ("points", "merchant_id"): lambda: ids(Merchant.objects.order_by("pk").values_list("pk", flat=True)),
        ("points", "goods_id"): lambda: ids(Goods.objects.order_by("pk").values_list("pk", flat=True)),
        ("deputies", "draft_id"): lambda: ids(Draft.objects.values_list("pk", flat=True)),
        ("deputies", "day_id"): lambda: ids(ReceptionDay.objects.values_list("pk", flat=True)),
        ("deputies", "reception_id"): lambda: ids(Reception.objects.values_list("pk", flat=True)),
        ("deputies", "deputy_id"): lambda: ids(DeputyProfile.objects.values_list("pk", flat=True)),
        ("deputies", "suggestion_id"): lambda: ids(Suggestion.objects.values_list("pk", flat=True)),
        ("deputies", "case_id"): lambda: ids(MediationCase.objects.values_list("pk", flat=True)),
        ("deputies", "document_id"): lambda: ids(FiledDocument.objects.values_list("pk", flat=True)),
        ("opendays", "event_id"): lambda: ids(OpenDay.objects.order_by("pk").values_list("pk", flat=True)),
        ("opendays_api", "event_id"): lambda: ids(OpenDay.objects.order_by("pk").values_list("pk", flat=True)),
        ("opendays", "registration_id"): lambda: ids(
            OpenDayRegistration.objects.order_by("pk").values_list("pk", flat=True)
        ),
        ("community", "slug"): lambda: ids(CommunityProfile.objects.order_by("slug").values_list("slug", flat=True)),
        ("community_api", "slug"): lambda: ids(
            CommunityProfile.objects.order_by("slug").values_list("slug", flat=True)
        ),
        ("community_api", "meeting_id"): lambda: ids(Meeting.objects.order_by("pk").values_list("pk", flat=True)),
        ("community", "topic_id"): lambda: ids(Topic.objects.order_by("pk").values_list("pk", flat=True)),
        ("community", "meeting_id"): lambda: ids(Meeting.objects.order_by("pk").values_list("pk", flat=True)),
        ("community", "publication_id"): lambda: ids(Publication.objects.order_by("pk").values_list("pk", flat=True)),
        ("community", "survey_id"): lambda: ids(Survey.objects.order_by("pk").values_list("pk", flat=True)),
        ("volunteers", "need_id"): lambda: ids(Need.objects.values_list("pk", flat=True)),
        ("volunteers", "activity_id"): lambda: ids(Activity.objects.values_list("pk", flat=True)),
        ("volunteers", "number"): lambda: ids(Certificate.objects.values_list("number", flat=True)),
        ("volunteers", "invite_id"): lambda: ids(CallOutInvite.objects.values_list("pk", flat=True)),
        ("volunteers", "team_id"): lambda: ids(Team.objects.values_list("pk", flat=True)),
        ("volunteers", "shift_id"): lambda: ids(DutyShift.objects.values_list("pk", flat=True)),
        ("volunteers", "course_id"): lambda: ids(Course.objects.values_list("pk", flat=True)),
        ("volunteers_api", "id"): lambda: ids(Need.objects.values_list("pk", flat=True)),
        ("servicepoints", "code"): lambda: ids(ServicePoint.objects.order_by("code").values_list("code", flat=True)),
        ("servicepoints_api", "code"): lambda: ids(
            ServicePoint.objects.order_by("code").values_list("code", flat=True)
        ),
        ("servicepoints", "number"): lambda: ids(ProxyCase.objects.order_by("pk").values_list("number", flat=True)),
        ("canteens", "code"): lambda: ids(Canteen.objects.order_by("code").values_list("code", flat=True)),
        ("canteens", "pk"): lambda: ids(Settlement.objects.order_by("pk").values_list("pk", flat=True)),
        ("open311", "fmt"): lambda: ["json", "xml"],
    }


def _bundle_codes() -> list[str]:
    return [str(v) for v in Bundle.objects.values_list("code", flat=True)[:PER_PARAM]]


def urls(route_filter: Callable[[Route], bool] = lambda r: True) -> Iterator[str]:
    """Every concrete URL: each route with up to PER_PARAM real values for its parameter."""
    import re

    values = _values()
    for route in routes():
        if not route_filter(route):
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route.template)
        if not params:
            yield "/" + route.template
            continue
        if len(params) > 1 or params[0] in ("attachment_id", "file_id", "key", "action", "token"):
            continue  # files, materials, unknown actions, signed links: covered by their apps' own tests
        name = params[0]
        if name == "code" and "bundle" in route.template:
            candidates = _bundle_codes()
        else:
            getter = values.get((route.namespace, name))
            if getter is None:
                raise AssertionError(f"No identifiers for {route.namespace}:{route.template}: add them to walk.py")
            candidates = getter()
        for value in candidates:
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", value, route.template)


def people() -> dict[str, User | None]:
    """One account of each role (two where units differ), a citizen with records, and anonymous."""
    chosen: dict[str, User | None] = {"anonymous": None}
    for role, _label in RoleAssignment._meta.get_field("role").choices or []:  # type: ignore[union-attr]
        users = list(User.objects.filter(role_assignments__role=role).distinct().order_by("pk")[:2])
        for i, user in enumerate(users):
            chosen[f"{role}{i}"] = user
    citizen = User.objects.filter(username="citizen").first()
    if citizen is not None:
        chosen["citizen"] = citizen
    return chosen
