"""Signed, short-lived, single-use QR tokens for showing an e-licence (亮证).

The QR code carries a token, never licence data: an opaque licence reference, an opaque holder
reference, a random nonce and a validity window, signed with Ed25519.

Binary layout (big-endian), then base64url without padding::

    version u8 | kid_len u8 | kid | nonce 12 bytes | issued_at u32 | expires_at u32
    | licence_ref_len u8 | licence_ref | holder_ref_len u8 | holder_ref | signature 64 bytes

The signature covers ``SIGNING_CONTEXT + everything before the signature``. With a kid of at most
8 characters and references of at most 48 bytes together, a token is at most 192 characters.

Checks, in order: structure, kid, signature (:class:`TokenForged`), validity window
(:class:`TokenExpired`, :class:`TokenNotYetValid`), revocation (:class:`LicenceRevoked`), single
use (:class:`TokenReplayed`). :func:`verify_offline` needs only the published public keys but
checks signature and time alone: replay and revocation need the server's state.

Rotation: :meth:`KeyRing.rotate` makes a new key current and keeps the old public key for
verification; drop it with :meth:`KeyRing.retire` once ``MAX_TTL_SECONDS`` (+ leeway) have passed.

Plain Python + ``cryptography``; no Django.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import re
import secrets
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "MAX_TTL_SECONDS",
    "KeyRing",
    "KeyRingError",
    "LicenceRevoked",
    "NonceStore",
    "ReplayGuard",
    "TokenError",
    "TokenExpired",
    "TokenForged",
    "TokenNotYetValid",
    "TokenReplayed",
    "VerifiedToken",
    "issue_token",
    "load_private_key",
    "public_keys_document",
    "public_keys_from_document",
    "verify_offline",
    "verify_token",
]

TOKEN_VERSION = 1
SIGNING_CONTEXT = b"huying/licence-qr/v1\x00"
NONCE_BYTES = 12
SIGNATURE_BYTES = 64
MAX_TTL_SECONDS = 600
MAX_REFS_BYTES = 48
DEFAULT_LEEWAY_SECONDS = 5
_KID = re.compile(r"^[A-Za-z0-9_-]{1,8}$")
_TIMES = struct.Struct(">II")
_MIN_TOKEN_BYTES = 2 + 1 + NONCE_BYTES + _TIMES.size + 2 + SIGNATURE_BYTES

# --- errors -----------------------------------------------------------------------------------------


class TokenError(Exception):
    """Base class: ``code`` is stable for clients, ``message`` is shown to staff."""

    code = "token_invalid"
    message = "二维码无效。"

    def __init__(self, reason: str = "") -> None:
        self.reason = reason  # internal detail for logs, never shown
        super().__init__(self.message)


class TokenForged(TokenError):
    code = "token_forged"
    message = "二维码无效：签名校验未通过，可能被伪造或篡改。"


class TokenExpired(TokenError):
    code = "token_expired"
    message = "二维码已过期，请持证人刷新后重新出示。"


class TokenNotYetValid(TokenError):
    code = "token_not_yet_valid"
    message = "二维码尚未生效，请检查扫码设备的时间设置。"


class TokenReplayed(TokenError):
    code = "token_replayed"
    message = "二维码已被使用，请持证人刷新后重新出示。"


class LicenceRevoked(TokenError):
    code = "licence_revoked"
    message = "该证照已注销、吊销或失效，不能使用。"


class KeyRingError(ValueError):
    """Key configuration is missing or unreadable."""


# --- keys -------------------------------------------------------------------------------------------


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_kid(kid: str) -> str:
    if not _KID.match(kid):
        raise KeyRingError("密钥编号（kid）无效：应为1至8位字母、数字、下划线或连字符。")
    return kid


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private_key(text: str | bytes) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from PKCS#8 PEM (unencrypted) or base64url of the raw 32 bytes."""
    data = text.encode("ascii") if isinstance(text, str) else text
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise KeyRingError("私钥类型错误：只支持Ed25519私钥。")
            return key
        raw = _b64d(data.decode("ascii"))
        if len(raw) != 32:
            raise KeyRingError("私钥格式错误：原始Ed25519私钥应为32字节（base64url编码）。")
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error) as exc:
        if isinstance(exc, KeyRingError):
            raise
        raise KeyRingError("私钥无法读取：应为PEM格式或base64url编码的32字节Ed25519私钥。") from None


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    """base64url of the raw 32-byte private key (the form :meth:`KeyRing.from_env_value` reads)."""
    return _b64e(
        key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    )


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class KeyRing:
    """One current signing key plus older public keys that still verify codes already shown."""

    current_kid: str
    signing_key: Ed25519PrivateKey
    verification_keys: Mapping[str, Ed25519PublicKey] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = {_check_kid(k): v for k, v in self.verification_keys.items()}
        keys[_check_kid(self.current_kid)] = self.signing_key.public_key()
        object.__setattr__(self, "verification_keys", keys)

    @classmethod
    def generate(cls, kid: str) -> KeyRing:
        """A fresh key: for tests, development and the key-generation command only."""
        return cls(kid, Ed25519PrivateKey.generate())

    def rotate(self, new_kid: str, new_key: Ed25519PrivateKey | None = None) -> KeyRing:
        """New codes are signed with ``new_kid``; the old public key keeps verifying."""
        if new_kid in self.verification_keys:
            raise KeyRingError("密钥编号（kid）已存在，轮换时请使用新的编号。")
        return KeyRing(new_kid, new_key or Ed25519PrivateKey.generate(), dict(self.verification_keys))

    def retire(self, kid: str) -> KeyRing:
        """Drop an old verification key (after ``MAX_TTL_SECONDS`` since it stopped signing)."""
        if kid == self.current_kid:
            raise KeyRingError("不能停用当前签名密钥。")
        keys = {k: v for k, v in self.verification_keys.items() if k != kid}
        return KeyRing(self.current_kid, self.signing_key, keys)

    @classmethod
    def from_env_value(cls, value: str | None) -> KeyRing:
        """Read ``"kid:PRIVATE[;kid:pub:PUBLIC|kid:PRIVATE]..."``; the first entry signs.

        PRIVATE is base64url of the raw 32-byte key, PUBLIC of the raw 32-byte public key.
        An empty value is an error: production never generates a key silently.
        """
        entries = [e.strip() for e in re.split(r"[;\n]", value or "") if e.strip()]
        if not entries:
            raise KeyRingError("未配置电子证照二维码签名密钥：请在环境变量或密钥文件中提供Ed25519私钥。")
        current: tuple[str, Ed25519PrivateKey] | None = None
        others: dict[str, Ed25519PublicKey] = {}
        for index, entry in enumerate(entries):
            kid, sep, rest = entry.partition(":")
            if not sep:
                raise KeyRingError("密钥配置格式错误：每项应为“kid:密钥”，多项以分号分隔。")
            kid = _check_kid(kid.strip())
            if kid in others or (current and current[0] == kid):
                raise KeyRingError("密钥配置错误：密钥编号（kid）重复。")
            if rest.startswith("pub:"):
                if index == 0:
                    raise KeyRingError("密钥配置错误：第一项必须是当前签名私钥，不能是公钥。")
                others[kid] = _load_public(rest[4:])
            elif index == 0:
                current = (kid, load_private_key(rest))
            else:
                others[kid] = load_private_key(rest).public_key()
        assert current is not None
        return cls(current[0], current[1], others)

    def to_env_value(self, *, include_old: bool = True) -> str:
        """Inverse of :meth:`from_env_value` (old keys as public keys)."""
        parts = [f"{self.current_kid}:{private_key_to_text(self.signing_key)}"]
        if include_old:
            parts += [
                f"{kid}:pub:{_b64e(_raw_public(key))}"
                for kid, key in self.verification_keys.items()
                if kid != self.current_kid
            ]
        return ";".join(parts)


def _load_public(text: str) -> Ed25519PublicKey:
    try:
        raw = _b64d(text)
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error):
        raise KeyRingError("公钥格式错误：应为base64url编码的32字节Ed25519公钥。") from None


def public_keys_document(keyring: KeyRing) -> dict[str, Any]:
    """JWKS-like document for offline verifiers: ``{"keys": {kid: base64url raw public key}, ...}``."""
    return {
        "alg": "EdDSA",
        "crv": "Ed25519",
        "token_version": TOKEN_VERSION,
        "current_kid": keyring.current_kid,
        "keys": {kid: _b64e(_raw_public(key)) for kid, key in keyring.verification_keys.items()},
    }


def public_keys_from_document(document: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """Parse :func:`public_keys_document` output (offline apps parse once and cache the result)."""
    keys = document.get("keys")
    if document.get("crv") != "Ed25519" or not isinstance(keys, Mapping):
        raise KeyRingError("公钥文档格式错误：应包含Ed25519公钥列表。")
    return {_check_kid(str(kid)): _load_public(str(x)) for kid, x in keys.items()}


# --- replay guard -----------------------------------------------------------------------------------


class NonceStore(Protocol):
    """What :func:`verify_token` needs to make a token single-use (a DB table can implement it)."""

    def use_once(self, nonce: bytes, expires_at: int, now: float) -> bool:
        """Atomically record ``nonce`` until ``expires_at``; False if it was already recorded."""
        ...


class ReplayGuard:
    """In-memory, thread-safe nonce → expiry store; expired entries are pruned as it goes.

    One process only: with several workers use a shared store (DB unique key or cache ``add``).
    """

    def __init__(self, *, keep_after_expiry: int = DEFAULT_LEEWAY_SECONDS) -> None:
        self._until: dict[bytes, int] = {}
        self._heap: list[tuple[int, bytes]] = []
        self._keep = keep_after_expiry
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._until)

    def __bool__(self) -> bool:  # an empty guard is still a guard (``seen or default`` must not swap it)
        return True

    def prune(self, now: float) -> None:
        with self._lock:
            self._prune(now)

    def _prune(self, now: float) -> None:
        heap, until = self._heap, self._until
        while heap and heap[0][0] < now:
            _, nonce = heapq.heappop(heap)
            until.pop(nonce, None)

    def use_once(self, nonce: bytes, expires_at: int, now: float) -> bool:
        with self._lock:
            self._prune(now)
            if nonce in self._until:
                return False
            keep = expires_at + self._keep
            self._until[nonce] = keep
            heapq.heappush(self._heap, (keep, nonce))
            return True


# --- tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    kid: str
    licence_ref: str
    holder_ref: str
    nonce: str  # hex
    issued_at: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class _Parsed:
    kid: str
    nonce: bytes
    issued_at: int
    expires_at: int
    licence_ref: str
    holder_ref: str
    message: bytes
    signature: bytes


def issue_token(
    keyring: KeyRing, licence_ref: str, holder_ref: str, *, ttl_seconds: int = 60, now: float | None = None
) -> str:
    """Sign a new single-use token for showing ``licence_ref`` (an opaque id, not licence data)."""
    if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
        raise ValueError(f"二维码有效期应在1至{MAX_TTL_SECONDS}秒之间。")
    lic, holder, kid = licence_ref.encode("utf-8"), holder_ref.encode("utf-8"), keyring.current_kid.encode("ascii")
    if not lic or not holder or len(lic) + len(holder) > MAX_REFS_BYTES:
        raise ValueError(f"证照引用和持证人引用不能为空，合计不超过{MAX_REFS_BYTES}字节（请使用短的不透明编号）。")
    issued_at = int(time.time() if now is None else now)
    body = b"".join(
        (
            bytes((TOKEN_VERSION, len(kid))),
            kid,
            secrets.token_bytes(NONCE_BYTES),
            _TIMES.pack(issued_at, issued_at + ttl_seconds),
            bytes((len(lic),)),
            lic,
            bytes((len(holder),)),
            holder,
        )
    )
    return _b64e(body + keyring.signing_key.sign(SIGNING_CONTEXT + body))


def _parse(token: str) -> _Parsed:
    if not isinstance(token, str) or len(token) > 400:
        raise TokenForged("malformed")
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        raise TokenForged("malformed") from None
    if len(data) < _MIN_TOKEN_BYTES or data[0] != TOKEN_VERSION or _b64e(data) != token:
        raise TokenForged("malformed")
    try:
        pos = 2 + data[1]
        kid = data[2:pos].decode("ascii")
        nonce = data[pos : pos + NONCE_BYTES]
        pos += NONCE_BYTES
        issued_at, expires_at = _TIMES.unpack_from(data, pos)
        pos += _TIMES.size
        refs: list[str] = []
        for _ in range(2):
            end = pos + 1 + data[pos]
            refs.append(data[pos + 1 : end].decode("utf-8"))
            pos = end
    except (IndexError, UnicodeDecodeError, struct.error):
        raise TokenForged("malformed") from None
    if len(data) != pos + SIGNATURE_BYTES or not 0 < expires_at - issued_at <= MAX_TTL_SECONDS:
        raise TokenForged("malformed")
    return _Parsed(kid, nonce, issued_at, expires_at, refs[0], refs[1], SIGNING_CONTEXT + data[:pos], data[pos:])


def _check_signature_and_time(
    keys: Mapping[str, Ed25519PublicKey], token: str, now: float | None, leeway: int
) -> _Parsed:
    parsed = _parse(token)
    key = keys.get(parsed.kid)
    if key is None:
        raise TokenForged("unknown_kid")
    try:
        key.verify(parsed.signature, parsed.message)
    except InvalidSignature:
        raise TokenForged("bad_signature") from None
    current = time.time() if now is None else now
    if current > parsed.expires_at + leeway:
        raise TokenExpired()
    if current < parsed.issued_at - leeway:
        raise TokenNotYetValid()
    return parsed


def _result(parsed: _Parsed) -> VerifiedToken:
    return VerifiedToken(
        parsed.kid, parsed.licence_ref, parsed.holder_ref, parsed.nonce.hex(), parsed.issued_at, parsed.expires_at
    )


def verify_token(
    keyring_or_public_keys: KeyRing | Mapping[str, Ed25519PublicKey],
    token: str,
    *,
    now: float | None = None,
    seen: NonceStore,
    is_revoked: Callable[[str], bool],
    leeway_seconds: int = DEFAULT_LEEWAY_SECONDS,
) -> VerifiedToken:
    """Full server-side check; a token passes once. Raises a :class:`TokenError` subclass."""
    keys = (
        keyring_or_public_keys.verification_keys
        if isinstance(keyring_or_public_keys, KeyRing)
        else keyring_or_public_keys
    )
    current = time.time() if now is None else now
    parsed = _check_signature_and_time(keys, token, current, leeway_seconds)
    if is_revoked(parsed.licence_ref):
        raise LicenceRevoked()
    if not seen.use_once(parsed.nonce, parsed.expires_at, current):
        raise TokenReplayed()
    return _result(parsed)


def verify_offline(
    public_keys_doc: Mapping[str, Any] | Mapping[str, Ed25519PublicKey],
    token: str,
    now: float | None = None,
    *,
    leeway_seconds: int = DEFAULT_LEEWAY_SECONDS,
) -> VerifiedToken:
    """Signature and validity window only, with the published keys: NOT single-use, NOT revocation-aware.

    Accepts the :func:`public_keys_document` dict, or its parsed form from :func:`public_keys_from_document`.
    """
    keys: Mapping[str, Ed25519PublicKey]
    if all(isinstance(v, Ed25519PublicKey) for v in public_keys_doc.values()):
        keys = public_keys_doc
    else:
        keys = public_keys_from_document(public_keys_doc)
    return _result(_check_signature_and_time(keys, token, now, leeway_seconds))
