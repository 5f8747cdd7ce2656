"""The role × endpoint matrix: every URL pattern answered for every kind of person, as data.

``tests/security/matrix.csv`` holds one row per URL pattern (pages and API) and one column per person:
anonymous, a citizen with records (``citizen``), another citizen (``citizen2``), and one account of each
role (two handlers, of different units). Each cell is the HTTP status a GET answers. Parameters are
filled with the citizen's own records where the pattern names an appeal, an application or a licence,
so the ``citizen2`` column shows one citizen never reaching another's; other parameters with the first
record of the demo data, and those with no record (files, signed links, patterns of apps without demo
data) with an identifier that does not exist (the cell then shows who learns that it does not).

``make security-matrix`` regenerates the file (after adding an app or changing who may see what):
review its diff like code. ``test_role_matrix.py`` fails on any drift and on any pattern missing.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.appeals.models import Appeal, Category
from huying.applications.models import Application
from huying.licences.models import Licence
from huying.organisations.models import OrgUnit

from . import walk

MATRIX = Path(__file__).with_name("matrix.csv")
# Django's admin: its own login and is_staff check guard every page; the index stands for them.
EXCLUDED_PREFIX = "admin/"
KEPT_ADMIN = {"admin/"}
# A role held by two people of different units: the second column shows unit scope.
TWO_UNITS = (Role.HANDLER,)
# The same document for everyone and costly to build (the OpenAPI schema): asked as anonymous only, the
# other cells say "=" (the same answer by construction).
ASKED_ONCE = {"api/schema/"}
# Addresses whose GET answers 405 get a second row, an empty POST, except these (signing out).
NO_POST = {"accounts/logout/"}
MISSING = {"int": "999999", "slug": "zz-missing", "str": "zz-missing", "path": "zz/missing", "uuid": ""}
# Converters whose values are a fixed set: the first of them, never "missing".
FIXED = {"open311_format": "json"}
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Pattern:
    namespace: str
    template: str


def patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def visit(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                visit(p, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                template = prefix + str(p.pattern)
                if not template.startswith(EXCLUDED_PREFIX) or template in KEPT_ADMIN:
                    found.append(Pattern(namespace, template))

    visit(get_resolver(), "", "")
    unique = {(p.template, p.namespace): p for p in found}
    return sorted(unique.values(), key=lambda p: (p.template, p.namespace))


def people() -> dict[str, User | None]:
    """Column name → account, in a fixed order; demo accounts by username, made when a role has none."""
    chosen: dict[str, User | None] = {"anonymous": None}
    chosen["citizen"] = User.objects.get(username="citizen")
    chosen["citizen2"] = User.objects.get(username="citizen2")
    top = OrgUnit.objects.filter(parent__isnull=True).order_by("name").first()
    for role in Role.values:
        holders = list(User.objects.filter(role_assignments__role=role).distinct().order_by("username"))
        if role in TWO_UNITS:
            by_unit: dict[int, User] = {}
            for user in holders:
                unit = RoleAssignment.objects.filter(user=user, role=role).order_by("org_unit__name").first()
                if unit is not None:
                    by_unit.setdefault(unit.org_unit_id, user)
            holders = list(by_unit.values())[:2]
        if not holders:
            user = User.objects.create_user(username=f"matrix_{role}", password=None)
            RoleAssignment.objects.create(user=user, role=role, org_unit=top)
            holders = [user]
        for i, user in enumerate(holders[: 2 if role in TWO_UNITS else 1]):
            chosen[role if i == 0 else f"{role}_other_unit"] = user
    return chosen


def _owned() -> dict[str, Callable[[], list[str]]]:
    """The citizen's own records, for the addresses that name them. The demo gives the citizen a few
    licences; an appeal and an application are handed to the citizen here when the demo gave none."""
    citizen = User.objects.get(username="citizen")

    def appeals() -> list[str]:
        mine = Appeal.objects.filter(citizen=citizen)
        if not mine.exists():
            first = Appeal.objects.filter(merged_into__isnull=True).order_by("title", "submitted_at").first()
            if first is not None:
                Appeal.objects.filter(pk=first.pk).update(citizen=citizen)
        return [str(pk) for pk in mine.order_by("title", "submitted_at").values_list("pk", flat=True)[:1]]

    def applications() -> list[str]:
        mine = Application.objects.filter(applicant_user=citizen)
        if not mine.exists():
            first = Application.objects.filter(applicant_kind="person").order_by("number").first()
            if first is not None:
                Application.objects.filter(pk=first.pk).update(applicant_user=citizen)
        return list(mine.order_by("number").values_list("number", flat=True)[:1])

    def licences() -> list[str]:
        qs = Licence.objects.filter(holder_code=citizen.id_number).order_by("type__code")
        return [str(pk) for pk in qs.values_list("pk", flat=True)[:1]]

    return {"appeal": appeals, "application": applications, "licence": licences}


# Addresses whose one parameter names a record the citizen owns: filled with the citizen's own.
OWNED_PREFIXES = {
    "appeals/<int:pk>/": "appeal",
    "api/v1/appeals/<int:pk>/": "appeal",
    "applications/<str:number>/": "application",
    "api/v1/applications/<str:number>/": "application",
    "licences/<int:pk>/": "licence",
    "api/v1/licences/<int:pk>/": "licence",
}


def _owner(template: str) -> str | None:
    return next((kind for prefix, kind in OWNED_PREFIXES.items() if template.startswith(prefix)), None)


def concrete(
    pattern: Pattern, values: dict[tuple[str, str], Callable[[], list[str]]], owned: dict[str, Callable[[], list[str]]]
) -> tuple[str, str]:
    """(url, what fills the parameters): the citizen's record, the first demo record, or a missing one."""
    template = pattern.template.lstrip("^").rstrip("$")
    params = _PARAM.findall(template)
    if template == "api/v1/":
        return "/api/v1/zz-missing/", "missing"
    if not params:
        return "/" + template, ""
    filled: list[str] = []
    kinds: list[str] = []
    for converter, name in params:
        if converter in FIXED:
            filled.append(FIXED[converter])
            continue
        owner = _owner(template) if len(params) == 1 else None
        candidates = owned[owner]() if owner else []
        kind = f"citizen's {owner}" if candidates else ""
        if (
            not candidates
            and len([p for p in params if p[0] not in FIXED]) == 1
            and name not in ("attachment_id", "file_id", "key", "action", "token")
        ):
            getter = values.get((pattern.namespace, name))
            candidates = getter()[:1] if getter else []
            kind = "first record" if candidates else ""
        if not candidates:
            candidates, kind = [MISSING.get(converter or "str", "zz-missing")], "missing"
        filled.append(candidates[0])
        kinds.append(kind)
    url = template
    for value in filled:
        url = _PARAM.sub(value, url, count=1)
    return "/" + url, "+".join(sorted(set(kinds)))


def compute() -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the matrix for the database as it is (the demo data)."""
    cast = people()
    values = walk._values()
    values[("open311", "code")] = lambda: list(
        Category.objects.filter(parent__isnull=False).order_by("code").values_list("code", flat=True)[:1]
    )
    owned = _owned()
    clients: dict[str, Client] = {}
    for name, user in cast.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[name] = client
    header = ["pattern", "namespace", "method", "parameters", *cast]
    rows: list[list[str]] = []
    timings: list[tuple[float, str]] = []
    for pattern in patterns():
        url, kind = concrete(pattern, values, owned)
        t0 = time.process_time()
        if pattern.template in ASKED_ONCE:
            statuses = [str(clients["anonymous"].get(url).status_code)] + ["="] * (len(cast) - 1)
        else:
            statuses = [str(clients[name].get(url).status_code) for name in cast]
        rows.append([pattern.template, pattern.namespace, "GET", kind, *statuses])
        if "405" in statuses and pattern.template not in NO_POST:
            rows.append([pattern.template, pattern.namespace, "POST", kind, *_posts(url, cast, clients)])
        timings.append((time.process_time() - t0, pattern.template))
    if os.environ.get("HUYING_MATRIX_TIMINGS"):
        Path(os.environ["HUYING_MATRIX_TIMINGS"]).write_text(
            "\n".join(f"{t:.3f} {n}" for t, n in sorted(timings, reverse=True))
        )
    return header, rows


def _posts(url: str, cast: dict[str, User | None], clients: dict[str, Client]) -> list[str]:
    """An empty POST as each person (who may act gets a validation answer, who may not is refused);
    the API's as JSON, the pages' as a form."""
    statuses = []
    api = url.startswith("/api/")
    for name, user in cast.items():
        client = clients[name]
        response = client.post(url, "{}", content_type="application/json") if api else client.post(url, {})
        statuses.append(str(response.status_code))
        if user is not None:
            clients[name].force_login(user)  # an action may have ended the session
    return statuses


def write(header: list[str], rows: list[list[str]], path: Path = MATRIX) -> None:
    path.write_text(render(header, rows), encoding="utf-8")


def render(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read(path: Path = MATRIX) -> tuple[list[str], list[list[str]]]:
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return lines[0], lines[1:]
