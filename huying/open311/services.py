"""Open311 GeoReport v2 over the appeal loop: the 派单目录 as services, appeals as service requests.

Nothing is duplicated: a request is ``appeal_submit`` on the OPEN311 channel (the appeal loop's
validation, repeat detection, counters and dispatch), made at most once per ``Idempotency-Key``
(``appeal_submit_once``); lookups read appeals. Only what the specification names is shown: no
requester's name or phone ever leaves through it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal, Category
from huying.appeals.states import OPEN_STATUSES, AppealType, Channel
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import errors
from .models import Client

KEY_BYTES = 24
MAX_IDS = 50
DEFAULT_DAYS = 90


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_create(name: str) -> tuple[Client, str]:
    """A new client and its key (shown once; only the digest is kept)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    with transaction.atomic():
        user = User.objects.create_user(username=f"open311-{secrets.token_hex(4)}", password=None, display_name=name)
        client = Client.objects.create(name=name, key_hash=_digest(key), key_prefix=key[:8], user=user)
    return client, key


def client_revoke(name: str) -> Client:
    client = Client.objects.get(name=name)
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    return client


def client_for_key(key: str | None) -> Client:
    client = Client.objects.filter(key_hash=_digest(key or ""), is_active=True).select_related("user").first()
    if not key or client is None:
        raise PermissionDenied(_("api_key 无效或已停用：请向市热线中心申请接入密钥。"), code=errors.API_KEY_INVALID)
    return client


# --- services: the 派单目录 --------------------------------------------------------------------


def services_list() -> list[Category]:
    """Every active matter that can be chosen (categories under a group, or groups without children)."""
    categories = list(Category.objects.filter(is_active=True).select_related("parent").order_by("code"))
    parents = {c.parent_id for c in categories if c.parent_id}
    return [c for c in categories if c.pk not in parents]


def service_get(code: str) -> Category:
    category = next((c for c in services_list() if c.code == code), None)
    if category is None:
        raise NotFound(_("service_code 不在派单目录中，或已停用。"), code=errors.UNKNOWN_SERVICE)
    return category


# --- requests: appeals on the OPEN311 channel ---------------------------------------------------


@dataclass
class Submitted:
    appeal: Appeal
    created: bool


def _location(params: dict[str, str]) -> tuple[Decimal | None, Decimal | None, str]:
    lat, lon, address = (
        params.get("lat", "").strip(),
        params.get("long", "").strip(),
        params.get("address_string", "").strip(),
    )
    message = _("位置无效：请提供 lat 与 long（有效的经纬度），或 address_string。")
    if lat or lon:
        try:
            latitude, longitude = Decimal(lat), Decimal(lon)
        except InvalidOperation:
            raise ValidationFailed(message, code=errors.BAD_LOCATION, data={"lat": message}) from None
        finite = latitude.is_finite() and longitude.is_finite()  # NaN cannot even be compared
        if not finite or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationFailed(message, code=errors.BAD_LOCATION, data={"lat": message})
        return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001")), address
    if not address:
        raise ValidationFailed(message, code=errors.BAD_LOCATION, data={"lat": message})
    return None, None, address


def fingerprint(params: dict[str, str]) -> str:
    """What was asked, without the key: a replay with another body under the same Idempotency-Key is refused."""
    body = {k: v for k, v in sorted(params.items()) if k != "api_key"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def request_submit(client: Client, params: dict[str, str], idempotency_key: str | None = None) -> Submitted:
    """POST requests: one appeal, validated by the appeal loop; at most one per Idempotency-Key."""
    category = service_get(params.get("service_code", "").strip())
    latitude, longitude, address = _location(params)
    description = params.get("description", "").strip()
    phone = params.get("phone", "").strip()
    name = " ".join(p for p in (params.get("last_name", "").strip(), params.get("first_name", "").strip()) if p)

    def submit() -> Appeal:
        return appeal_services.appeal_submit(
            actor=client.user,
            channel=Channel.OPEN311,
            appeal_type=AppealType.REPORT,
            content=description,
            category=category,
            requester_name=name,
            requester_phone=phone,
            is_anonymous=not phone,
            address=address,
            latitude=latitude,
            longitude=longitude,
        ).appeal

    if idempotency_key:
        appeal, created = appeal_services.appeal_submit_once(
            actor=client.user, key=idempotency_key, fingerprint=fingerprint(params), submit=submit
        )
        return Submitted(appeal, created)
    return Submitted(submit(), True)


def _parse_date(value: str, name: str) -> dt.datetime:
    parsed = None
    with contextlib.suppress(ValueError):
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed is None:
        message = _("%(name)s 应为 W3C 日期时间，例如 2026-01-01T00:00:00Z。") % {"name": name}
        raise ValidationFailed(message, data={name: message})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _visible() -> QuerySet[Appeal]:
    """Requests made through Open311, not confidential, not merged into another."""
    return (
        Appeal.objects.filter(channel=Channel.OPEN311, is_confidential=False, merged_into__isnull=True)
        .exclude(number__isnull=True)
        .select_related("category", "lead_unit")
    )


def requests_find(params: dict[str, str]) -> list[Appeal]:
    """GET requests: by ids (comma-separated, overrides the rest), or service codes, dates and status."""
    qs = _visible()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return list(qs.filter(number__in=ids[:MAX_IDS]).order_by("-submitted_at"))
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    end = _parse_date(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = (
        _parse_date(params["start_date"], "start_date")
        if params.get("start_date")
        else end - dt.timedelta(days=DEFAULT_DAYS)
    )
    if end - start > dt.timedelta(days=DEFAULT_DAYS) or start > end:
        message = _("start_date 与 end_date 之间不能超过90天，且不能倒置。")
        raise ValidationFailed(message, data={"start_date": message})
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        message = _("status 只能是 open 或 closed。")
        raise ValidationFailed(message, data={"status": message})
    if statuses == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    return list(qs.order_by("-submitted_at")[:1000])


def request_get(request_id: str) -> Appeal:
    appeal = _visible().filter(number=request_id).first()
    if appeal is None:
        raise NotFound(_("没有这条服务请求。"))
    return appeal


def request_fields(appeal: Appeal) -> dict[str, Any]:
    """A service request as GeoReport v2 names its fields; statuses mapped to open / closed."""
    stamps = [appeal.submitted_at, appeal.accepted_at, appeal.dispatched_at, appeal.replied_at, appeal.closed_at]
    updated = max(s for s in stamps if s is not None)
    return {
        "service_request_id": appeal.number,
        "status": "open" if appeal.status in OPEN_STATUSES else "closed",
        "status_notes": str(appeal.get_status_display()),
        "service_name": appeal.category.name if appeal.category else "",
        "service_code": appeal.category.code if appeal.category else "",
        "description": appeal.title,
        "agency_responsible": appeal.lead_unit.name if appeal.lead_unit else "",
        "service_notice": "",
        "requested_datetime": _w3c(appeal.submitted_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": _w3c(appeal.due_at),
        "address": appeal.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(appeal.latitude) if appeal.latitude is not None else None,
        "long": float(appeal.longitude) if appeal.longitude is not None else None,
        "media_url": "",
    }


def _w3c(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_fields(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": str(category),
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(category.keywords.split()),
        "group": category.parent.name if category.parent_id and category.parent else "",
    }
