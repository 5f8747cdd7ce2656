from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from django.utils import timezone

from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import licence_hooks
from huying.licences import keys, services, tokens
from huying.licences.models import LicenceStatus, LicenceUse, SigningKey, UsedToken

pytestmark = pytest.mark.django_db


def verify(lw, token, **kw):
    args = {"token": token, "verifier": lw.clerk, "place": "1号窗口", "purpose": "办理户籍业务核验身份"}
    args.update(kw)
    return services.token_verify(**args)


def error_code(lw, token, **kw):
    with pytest.raises(ValidationFailed) as exc:
        verify(lw, token, **kw)
    return exc.value.code, str(exc.value.message)


def test_show_and_verify_records_use(lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    use = verify(lw, token, item_code="371600-001", application_ref="BZ2026000001")
    assert use.licence == lw.licence and use.shown_by == lw.holder and use.verifier == lw.clerk
    assert use.unit == lw.hall and use.authorisation is None
    assert (use.purpose, use.item_code, use.application_ref, use.via) == (
        "办理户籍业务核验身份",
        "371600-001",
        "BZ2026000001",
        "scan",
    )
    # the token carries no licence data
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert lw.holder.id_number.encode() not in raw and "张三".encode() not in raw


def test_replayed_token_refused(lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    verify(lw, token)
    code, message = error_code(lw, token)
    assert code == "token_replayed" and "已被使用" in message
    assert LicenceUse.objects.count() == 1


def test_forged_tokens_refused(lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    # bad signature
    bad_sig = bytes(raw[:-1]) + bytes([raw[-1] ^ 1])
    code, message = error_code(lw, base64.urlsafe_b64encode(bad_sig).rstrip(b"=").decode())
    assert code == "token_forged" and "签名不符" in message
    # tampered payload: point the token at another licence (same length ref)
    other_ref = f"L{lw.other_licence.pk}".encode()
    mine = f"L{lw.licence.pk}".encode()
    assert len(other_ref) == len(mine)
    tampered = bytes(raw).replace(mine, other_ref, 1)
    assert error_code(lw, base64.urlsafe_b64encode(tampered).rstrip(b"=").decode())[0] == "token_forged"
    # signed by a key the server does not know
    stranger = tokens.KeyRing.generate("zz")
    foreign = tokens.issue_token(stranger, f"L{lw.licence.pk}", f"U{lw.holder.pk}")
    assert error_code(lw, foreign)[0] == "token_forged"
    assert error_code(lw, "not-a-token")[0] == "token_forged"
    assert LicenceUse.objects.count() == 0
    # the genuine token still works once
    assert verify(lw, token).licence == lw.licence


def test_expired_token_refused(lw):
    keyring = keys.load_keyring()
    old = tokens.issue_token(keyring, f"L{lw.licence.pk}", f"U{lw.holder.pk}", ttl_seconds=60, now=time.time() - 120)
    code, message = error_code(lw, old)
    assert code == "token_expired" and "已过期" in message


def test_revoked_superseded_expired_licences_refused(lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    services.licence_revoke(licence=lw.licence, reason="证件注销")
    code, message = error_code(lw, token)
    assert code == "licence_revoked" and "证照已吊销" in message
    with pytest.raises(ValidationFailed):
        services.show_token_issue(licence=lw.licence, user=lw.holder)

    token = services.show_token_issue(licence=lw.other_licence, user=lw.other)
    services.licence_issue(
        type_code=lw.other_licence.type.code,
        holder_code=lw.other.id_number,
        holder_name="李四",
        issuer_name="滨州市公安局",
        issuer_credit_code="91110000600037341L",
    )
    lw.other_licence.refresh_from_db()
    assert lw.other_licence.status == LicenceStatus.SUPERSEDED
    assert error_code(lw, token)[0] == "licence_superseded"


def test_licence_past_validity_refused_and_swept(lw):
    from huying.licences.models import Licence

    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    Licence.objects.filter(pk=lw.licence.pk).update(
        valid_from=dt.date(2000, 1, 1), valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert error_code(lw, token)[0] == "licence_expired"
    assert services.licences_expire() == 1
    assert services.licences_expire() == 0  # idempotent
    lw.licence.refresh_from_db()
    assert lw.licence.status == LicenceStatus.EXPIRED


def test_rotation_old_codes_verify_until_retired_key_expires(lw):
    before = keys.load_keyring().current_kid
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    new = keys.rotate_key()
    assert keys.load_keyring().current_kid == new.kid != before
    assert verify(lw, token).licence == lw.licence  # old key still verifies
    fresh = services.show_token_issue(licence=lw.licence, user=lw.holder)
    assert tokens.verify_offline(keys.published_keys(), fresh).kid == new.kid
    # once the old key has been retired for longer than any code lives, it verifies nothing
    old_token = tokens.issue_token(
        tokens.KeyRing(before, tokens.load_private_key((keys.key_dir() / f"{before}.key").read_bytes())),
        f"L{lw.licence.pk}",
        f"U{lw.holder.pk}",
    )
    SigningKey.objects.filter(kid=before).update(
        retired_at=timezone.now() - dt.timedelta(seconds=keys.RETAIN_SECONDS + 1)
    )
    assert before not in keys.published_keys()["keys"]
    assert error_code(lw, old_token)[0] == "token_forged"


def test_private_key_never_in_database(lw):
    keys.load_keyring()
    row = SigningKey.objects.get()
    pem = (keys.key_dir() / f"{row.kid}.key").read_bytes()
    assert b"PRIVATE KEY" in pem
    assert row.public_key not in pem.decode()
    assert (keys.key_dir() / f"{row.kid}.key").stat().st_mode & 0o077 == 0


def test_production_requires_key(lw, settings, monkeypatch):
    from huying.licences.apps import check_signing_key

    settings.HUYING_LICENCE_REQUIRE_KEY = True
    errors = check_signing_key()
    assert [e.id for e in errors] == ["licences.E001"] and "licence_keys create" in errors[0].hint
    with pytest.raises(services.ServiceUnavailable):
        services.show_token_issue(licence=lw.licence, user=lw.holder)
    assert not SigningKey.objects.exists()
    keys.create_key()
    assert check_signing_key() == []
    assert services.show_token_issue(licence=lw.licence, user=lw.holder)
    # an environment-provided key also satisfies the check
    settings.HUYING_LICENCE_KEY_DIR = str(keys.key_dir()) + "-empty"
    assert check_signing_key()
    monkeypatch.setenv(keys.ENV_VAR, tokens.KeyRing.generate("env1").to_env_value())
    assert check_signing_key() == []
    monkeypatch.setenv(keys.ENV_VAR, "garbage")
    assert check_signing_key()
    settings.HUYING_LICENCE_REQUIRE_KEY = False
    assert check_signing_key() == []


def test_env_keyring_signs_and_verifies(lw, monkeypatch):
    ring = tokens.KeyRing.generate("env1")
    monkeypatch.setenv(keys.ENV_VAR, ring.to_env_value())
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    assert tokens.verify_offline(tokens.public_keys_document(ring), token).kid == "env1"
    assert verify(lw, token).licence == lw.licence
    assert not SigningKey.objects.exists()


def test_citizen_cannot_show_anothers_licence_or_verify(lw):
    with pytest.raises(NotFound):
        services.show_token_issue(licence=lw.licence, user=lw.other)
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    with pytest.raises(PermissionDenied):
        verify(lw, token, verifier=lw.other)
    with pytest.raises(PermissionDenied):
        verify(lw, token, verifier=lw.world.handler)  # a 12345 handler is no window clerk


def test_verify_bad_input(lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    with pytest.raises(ValidationFailed) as exc:
        verify(lw, token, purpose="", place="x" * 101)
    assert set(exc.value.data) == {"purpose", "place"}
    with pytest.raises(ValidationFailed) as exc:
        verify(lw, token, purpose="x" * 201)
    assert "purpose" in exc.value.data
    with pytest.raises(ValidationFailed):
        verify(lw, "   ")
    # the failed attempts did not spend the token
    assert verify(lw, token, via="api").via == "api"


def test_verified_hook_called_only_with_application(lw, monkeypatch):
    seen = []
    # The applications app registers its own hook: replace it for this test only, restored after.
    monkeypatch.setitem(licence_hooks._items, "verified", seen.append)
    verify(lw, services.show_token_issue(licence=lw.licence, user=lw.holder))
    assert seen == []
    use = verify(lw, services.show_token_issue(licence=lw.licence, user=lw.holder), application_ref="BZ1")
    assert seen == [use] and seen[0].licence.type.code == lw.licence.type.code


def test_replay_store_purged(lw):
    verify(lw, services.show_token_issue(licence=lw.licence, user=lw.holder))
    assert UsedToken.objects.count() == 1
    assert services.used_tokens_purge() == 0
    assert services.used_tokens_purge(now=timezone.now() + dt.timedelta(minutes=5)) == 1


def test_full_view_logged_for_clerk_only(lw):
    from huying.core.models import AuditLog

    use = verify(lw, services.show_token_issue(licence=lw.licence, user=lw.holder))
    assert services.licence_full_view(use=use, user=lw.clerk) == lw.licence
    assert AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW, actor=lw.clerk).count() == 1
    with pytest.raises(PermissionDenied):
        services.licence_full_view(use=use, user=lw.reviewer)
    LicenceUse.objects.filter(pk=use.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    use.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.licence_full_view(use=use, user=lw.clerk)
    assert services.licence_full_view(use=use, user=lw.admin) == lw.licence
