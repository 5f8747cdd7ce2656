"""Where the QR signing keys live and how they rotate.

- The private key is read from the environment variable ``HUYING_LICENCE_SIGNING_KEYS``
  (:meth:`KeyRing.from_env_value` format, the first entry signs) or else from files
  ``<kid>.key`` (PEM) under ``settings.HUYING_LICENCE_KEY_DIR`` (default ``var/licence-keys``).
  Never in the database or the repository.
- The database keeps the public halves (:class:`SigningKey`): which kid signs now (the newest
  not retired) and which retired keys still verify codes already shown (until
  ``RETAIN_SECONDS`` after they stopped signing).
- In development and tests a key is generated on first use. With
  ``HUYING_LICENCE_REQUIRE_KEY = True`` (production) nothing is generated: a system check
  reports the missing key at start-up and signing fails with a clear message.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SigningKey
from .tokens import (
    DEFAULT_LEEWAY_SECONDS,
    MAX_TTL_SECONDS,
    KeyRing,
    KeyRingError,
    _b64e,
    _load_public,
    _raw_public,
    load_private_key,
    private_key_to_pem,
    public_keys_document,
)

ENV_VAR = "HUYING_LICENCE_SIGNING_KEYS"
RETAIN_SECONDS = MAX_TTL_SECONDS + DEFAULT_LEEWAY_SECONDS
HOW_TO_CREATE = (
    "请在服务器上运行“python manage.py licence_keys create”生成签名密钥（私钥保存在 HUYING_LICENCE_KEY_DIR 目录），"
    f"或在环境变量 {ENV_VAR} 中提供“kid:私钥”。"
)


def require_key() -> bool:
    return bool(getattr(settings, "HUYING_LICENCE_REQUIRE_KEY", False))


def key_dir() -> Path:
    configured = getattr(settings, "HUYING_LICENCE_KEY_DIR", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "licence-keys"


def env_value() -> str:
    return os.environ.get(ENV_VAR, "").strip()


def _key_file(kid: str) -> Path:
    return key_dir() / f"{kid}.key"


def private_key_files() -> list[Path]:
    directory = key_dir()
    return sorted(directory.glob("*.key")) if directory.is_dir() else []


def private_key_configured() -> bool:
    """True if a usable private key is present (environment or key folder); no database access."""
    value = env_value()
    if value:
        try:
            KeyRing.from_env_value(value)
        except KeyRingError:
            return False
        return True
    for path in private_key_files():
        try:
            load_private_key(path.read_bytes())
        except (KeyRingError, OSError):
            continue
        return True
    return False


def _new_kid() -> str:
    while True:
        kid = "k" + secrets.token_hex(3)
        if not SigningKey.objects.filter(kid=kid).exists():
            return kid


def _write_private(kid: str, keyring: KeyRing) -> Path:
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = _key_file(kid)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_to_pem(keyring.signing_key))
    return path


@transaction.atomic
def create_key(*, retire_current: bool = False, now: dt.datetime | None = None) -> SigningKey:
    """Generate a key: private half to ``<kid>.key`` (mode 600), public half to the database.

    With ``retire_current`` (rotation) the keys that signed until now stop signing; they keep
    verifying codes already shown for ``RETAIN_SECONDS``.
    """
    if env_value():
        raise KeyRingError(f"签名密钥由环境变量 {ENV_VAR} 提供：请在环境变量中轮换（新密钥放在第一项）。")
    moment = now or timezone.now()
    kid = _new_kid()
    keyring = KeyRing.generate(kid)
    _write_private(kid, keyring)
    if retire_current:
        SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=moment)
    return SigningKey.objects.create(
        kid=kid, public_key=_b64e(_raw_public(keyring.signing_key.public_key())), created_at=moment
    )


def rotate_key(*, now: dt.datetime | None = None) -> SigningKey:
    return create_key(retire_current=True, now=now)


def verifying_rows(now: dt.datetime | None = None) -> list[SigningKey]:
    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(seconds=RETAIN_SECONDS)
    return [
        row
        for row in SigningKey.objects.order_by("-created_at", "-pk")
        if row.retired_at is None or row.retired_at >= cutoff
    ]


def load_keyring(*, now: dt.datetime | None = None) -> KeyRing:
    """The current signing key plus the public keys that still verify.

    Raises :class:`KeyRingError` (with instructions) when no private key is available and
    generating one is not allowed.
    """
    value = env_value()
    if value:
        return KeyRing.from_env_value(value)
    rows = verifying_rows(now)
    for row in rows:
        if row.retired_at is not None:
            continue
        path = _key_file(row.kid)
        if path.is_file():
            signing = load_private_key(path.read_bytes())
            if _b64e(_raw_public(signing.public_key())) != row.public_key:
                raise KeyRingError(f"签名密钥 {row.kid} 的私钥文件与数据库中的公钥不一致。")
            others = {r.kid: _load_public(r.public_key) for r in rows if r.kid != row.kid}
            return KeyRing(row.kid, signing, others)
    if require_key():
        raise KeyRingError("未找到电子证照二维码签名私钥。" + HOW_TO_CREATE)
    create_key(retire_current=True, now=now)
    return load_keyring(now=now)


def verification_keys(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Public keys only: verifying never needs (or generates) a private key."""
    value = env_value()
    if value:
        return dict(KeyRing.from_env_value(value).verification_keys)
    return {row.kid: _load_public(row.public_key) for row in verifying_rows(now)}


def published_keys(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The public keys document for offline verifiers (GET /api/v1/licences/keys/)."""
    value = env_value()
    if value:
        document = public_keys_document(KeyRing.from_env_value(value))
    else:
        rows = verifying_rows(now)
        current = next((r.kid for r in rows if r.retired_at is None), None)
        document = {
            "alg": "EdDSA",
            "crv": "Ed25519",
            "token_version": 1,
            "current_kid": current,
            "keys": {r.kid: r.public_key for r in rows},
        }
    document["max_ttl_seconds"] = MAX_TTL_SECONDS
    return document
