"""亮证 and 用证: a signed, single-use QR code shown by the holder (or an authorised grantee), verified at
a window with the use recorded; the verifying clerk's unmasked view, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.errors import HuyingError, NotFound, PermissionDenied, ValidationFailed
from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy
from huying.core.registry import licence_hooks
from huying.organisations.models import OrgUnit

from .. import errors, keys, selectors, tokens
from ..models import Authorisation, Licence, LicenceStatus, LicenceUse, UsedToken, UseVia

SHOW_TTL_SECONDS = 60
_TOKEN_MESSAGES = {
    tokens.TokenForged: _lazy("二维码无效（签名不符）：可能被伪造或篡改，请持证人重新出示。"),
    tokens.TokenExpired: _lazy("二维码已过期，请持证人刷新后重新出示。"),
    tokens.TokenNotYetValid: _lazy("二维码尚未生效，请检查扫码设备的时间设置。"),
    tokens.TokenReplayed: _lazy("二维码已被使用，请持证人刷新后重新出示。"),
}


class _LicenceUnusable(tokens.LicenceRevoked):
    """Raised from the revocation callback with a message and code that say why."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)


def _unusable_reason(licence: Licence) -> tuple[str, Any] | None:
    if licence.status == LicenceStatus.REVOKED:
        return errors.LICENCE_REVOKED, _lazy("证照已吊销，不能使用。")
    if licence.status == LicenceStatus.SUPERSEDED:
        return errors.LICENCE_SUPERSEDED, _lazy("证照已换发新版本，此版本不能使用，请出示最新证照。")
    today = timezone.localdate()
    if licence.status == LicenceStatus.EXPIRED or (licence.valid_until is not None and licence.valid_until < today):
        return errors.LICENCE_EXPIRED, _lazy("证照已过期，不能使用。")
    if licence.valid_from > today:
        return errors.LICENCE_NOT_YET_VALID, _lazy("证照尚未生效，不能使用。")
    return None


class _DbNonceStore:
    """The replay store in the database: a unique nonce row per token, kept until it expires."""

    def use_once(self, nonce: bytes, expires_at: int, now: float) -> bool:
        until = dt.datetime.fromtimestamp(expires_at + tokens.DEFAULT_LEEWAY_SECONDS, tz=dt.UTC)
        try:
            with transaction.atomic():
                UsedToken.objects.create(jti=nonce.hex(), expires_at=until)
        except IntegrityError:
            return False
        return True


def show_token_issue(*, licence: Licence, user: User | AnonymousUser) -> str:
    """A signed, single-use QR token (60 s) for the holder, or an active authorisation's grantee."""
    licence = Licence.objects.select_related("type").filter(pk=licence.pk).first() or licence  # current state
    if selectors.is_holder(user, licence):
        holder_ref = f"U{user.pk}"
    else:
        authorisation = selectors.active_authorisation_for(user, licence)
        if authorisation is None:
            raise NotFound()
        holder_ref = f"A{authorisation.pk}"
    reason = _unusable_reason(licence)
    if reason is not None:
        raise ValidationFailed(reason[1], code=reason[0])
    try:
        keyring = keys.load_keyring()
    except tokens.KeyRingError as exc:
        raise ServiceUnavailable(str(exc)) from None
    return tokens.issue_token(keyring, f"L{licence.pk}", holder_ref, ttl_seconds=SHOW_TTL_SECONDS)


class ServiceUnavailable(HuyingError):
    code = errors.KEYS_MISSING
    status = 503
    default_message = _lazy("电子证照签名密钥未配置，请联系系统管理员。")


def _verifier_unit(user: User) -> OrgUnit | None:
    actor = actor_for(user)
    for role in (Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.ADMIN):
        ids = sorted(actor.unit_ids(role))
        if ids:
            return OrgUnit.objects.filter(pk=ids[0]).first()
    return None


def _clean_use(place: str, purpose: str, item_code: str, application_ref: str, via: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写用证事由。")
    elif len(purpose) > 200:
        errors["purpose"] = _("用证事由不能超过200字。")
    cleaned = {"purpose": purpose}
    for field, value, limit, label in (
        ("place", place, 100, _("用证地点")),
        ("item_code", item_code, 40, _("事项编码")),
        ("application_ref", application_ref, 40, _("办件编号")),
    ):
        value = (value or "").strip()
        if len(value) > limit:
            errors[field] = _("%(label)s不能超过%(limit)d字。") % {"label": label, "limit": limit}
        cleaned[field] = value
    if via not in UseVia.values:
        errors["via"] = _("核验方式无效。")
    cleaned["via"] = via
    if errors:
        raise ValidationFailed(data=errors)
    return cleaned


@transaction.atomic
def token_verify(
    *,
    token: str,
    verifier: User | AnonymousUser,
    place: str,
    purpose: str,
    item_code: str = "",
    application_ref: str = "",
    via: str = "scan",
) -> LicenceUse:
    """Check a shown QR token (signature, expiry, licence state, single use) and record the use.

    Errors are ValidationFailed with the token error's code (token_forged, token_expired,
    token_replayed, licence_revoked, licence_expired, licence_superseded, authorisation_inactive).
    With an application reference, ``licence_hooks "verified"(use)`` lets the applications app
    mark the material as provided.
    """
    if not isinstance(verifier, User) or not selectors.is_verifier(verifier):
        raise PermissionDenied(_("只有窗口受理、审批和大厅管理人员可以核验电子证照。"))
    cleaned = _clean_use(place, purpose, item_code, application_ref, via)
    token = (token or "").strip()
    if not token:
        raise ValidationFailed(data={"token": _("请扫描或输入二维码内容。")})
    found: dict[str, Any] = {}

    def check_licence(licence_ref: str) -> bool:
        licence = None
        if licence_ref.startswith("L") and licence_ref[1:].isdigit():
            licence = Licence.objects.select_related("type").filter(pk=int(licence_ref[1:])).first()
        if licence is None:
            raise _LicenceUnusable(errors.LICENCE_NOT_FOUND, _lazy("证照不存在，二维码无效。"))
        reason = _unusable_reason(licence)
        if reason is not None:
            raise _LicenceUnusable(*reason)
        found["licence"] = licence
        return False

    try:
        verified = tokens.verify_token(keys.verification_keys(), token, seen=_DbNonceStore(), is_revoked=check_licence)
    except tokens.TokenError as exc:
        message = _TOKEN_MESSAGES.get(type(exc), exc.message)
        raise ValidationFailed(message, code=exc.code, data={"field": "token"}) from None
    licence: Licence = found["licence"]
    shown_by, authorisation = _shower(verified.holder_ref, licence)
    use = LicenceUse.objects.create(
        licence=licence,
        verifier=verifier,
        unit=_verifier_unit(verifier),
        authorisation=authorisation,
        shown_by=shown_by,
        token_jti=verified.nonce,
        **cleaned,
    )
    if use.application_ref:
        licence_hooks.call("verified", use)
    return use


def _shower(holder_ref: str, licence: Licence) -> tuple[User, Authorisation | None]:
    """Who showed the code: the holder (U<pk>) or a grantee under an authorisation (A<pk>)."""
    kind, ident = holder_ref[:1], holder_ref[1:]
    if kind == "A" and ident.isdigit():
        authorisation = Authorisation.objects.select_related("grantee").filter(pk=int(ident), licence=licence).first()
        if authorisation is None or not authorisation.is_active():
            raise ValidationFailed(
                _("该证照的授权已撤销或已过期，二维码无效。"),
                code=errors.AUTHORISATION_INACTIVE,
                data={"field": "token"},
            )
        return authorisation.grantee, authorisation
    if kind == "U" and ident.isdigit():
        user = User.objects.filter(pk=int(ident)).first()
        if user is not None and selectors.is_holder(user, licence):
            return user, None
    raise ValidationFailed(_("亮证人与持证人不符，二维码无效。"), code=errors.HOLDER_MISMATCH, data={"field": "token"})


FULL_VIEW_MINUTES = 30


def licence_full_view(*, use: LicenceUse, user: User | AnonymousUser, ip_address: str | None = None) -> Licence:
    """The unmasked licence behind a use, for the clerk who verified it (or an admin); logged."""
    if not selectors.may_view_full(user):
        raise PermissionDenied(_("只有综合窗口受理人员和系统管理员可以查看完整证照信息。"))
    is_admin = actor_for(user).has_role(Role.ADMIN) or user.is_superuser
    if use.created_at < timezone.now() - dt.timedelta(minutes=FULL_VIEW_MINUTES) and not is_admin:
        raise PermissionDenied(_("核验已超过%(minutes)d分钟，不能再查看完整信息。") % {"minutes": FULL_VIEW_MINUTES})
    # The purpose is the one the holder's licence was shown for (recorded with the use).
    personal_data_reveal(
        actor=actor_for(user), record=use.licence, purpose=use.purpose or str(use.pk), ip_address=ip_address
    )
    return use.licence


register_reveal_policy(
    Licence,
    RevealPolicy(
        may_reveal=lambda actor, licence: selectors.may_view_full(actor.user),
        values=lambda licence: {"holder_name": licence.holder_name, "holder_code": licence.holder_code},
        describe=lambda licence: f"查看电子证照完整信息 {licence.identifier}",
        denied=_lazy("只有综合窗口受理人员和系统管理员可以查看完整证照信息。"),
    ),
)


def used_tokens_purge(*, now: dt.datetime | None = None) -> int:
    deleted, _rows = UsedToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
