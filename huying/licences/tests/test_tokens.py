import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from huying.licences.tokens import (
    MAX_TTL_SECONDS,
    KeyRing,
    KeyRingError,
    LicenceRevoked,
    ReplayGuard,
    TokenError,
    TokenExpired,
    TokenForged,
    TokenNotYetValid,
    TokenReplayed,
    issue_token,
    load_private_key,
    private_key_to_pem,
    public_keys_document,
    public_keys_from_document,
    verify_offline,
    verify_token,
)

NOW = 1_750_000_000
LIC = "9f1c2e7a4b8d4e0f9a6b3c5d7e8f0a1b"  # uuid hex: an opaque id
HOLDER = "h-00012345"


@pytest.fixture
def ring():
    return KeyRing.generate("k2025a")


def never_revoked(_ref):
    return False


def verify(keys, token, now=NOW + 1, seen=None, is_revoked=never_revoked):
    return verify_token(keys, token, now=now, seen=ReplayGuard() if seen is None else seen, is_revoked=is_revoked)


def _flip(token, index):
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_valid_token_verifies(ring):
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    result = verify(ring, token)
    assert (result.licence_ref, result.holder_ref, result.kid) == (LIC, HOLDER, "k2025a")
    assert result.expires_at - result.issued_at == 60
    assert len(bytes.fromhex(result.nonce)) == 12


def test_token_is_small_url_safe_and_unique(ring):
    tokens = {issue_token(ring, LIC, HOLDER, now=NOW) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) < 200
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    longest = issue_token(KeyRing.generate("abcdefgh"), "L" * 24, "H" * 24, now=NOW, ttl_seconds=MAX_TTL_SECONDS)
    assert len(longest) < 200


def test_token_carries_no_licence_data(ring):
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert LIC.encode() in raw  # only the opaque reference
    with pytest.raises(ValueError):
        issue_token(ring, "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U", HOLDER)


@pytest.mark.parametrize("index", [0, 1, 5, 20, 30, 40, -64, -1])
def test_flipped_byte_is_forged(ring, index):
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    with pytest.raises(TokenForged) as exc:
        verify(ring, _flip(token, index))
    assert exc.value.code == "token_forged"


def test_other_key_same_kid_is_forged(ring):
    impostor = KeyRing("k2025a", Ed25519PrivateKey.generate())
    with pytest.raises(TokenForged) as exc:
        verify(ring, issue_token(impostor, LIC, HOLDER, now=NOW))
    assert exc.value.reason == "bad_signature"


def test_unknown_kid_is_forged(ring):
    with pytest.raises(TokenForged) as exc:
        verify(ring, issue_token(KeyRing.generate("other"), LIC, HOLDER, now=NOW))
    assert exc.value.reason == "unknown_kid"


@pytest.mark.parametrize("cut", [1, 10, 64, 100])
def test_truncated_is_forged(ring, cut):
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    with pytest.raises(TokenForged):
        verify(ring, token[:-cut])


@pytest.mark.parametrize("garbage", ["", "x", "!!!!", "a" * 150, "a" * 1000, "你好", "AAAA====", None])
def test_garbage_is_forged(ring, garbage):
    with pytest.raises(TokenForged):
        verify(ring, garbage)


def test_padded_or_appended_is_forged(ring):
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    for variant in (token + "=", token + "A", "A" + token, token + "\n"):
        with pytest.raises(TokenForged):
            verify(ring, variant)


def test_expired(ring):
    token = issue_token(ring, LIC, HOLDER, now=NOW, ttl_seconds=30)
    assert verify(ring, token, now=NOW + 30).licence_ref == LIC
    with pytest.raises(TokenExpired) as exc:
        verify(ring, token, now=NOW + 36)
    assert exc.value.code == "token_expired"
    assert "过期" in str(exc.value)


def test_issued_in_the_future(ring):
    token = issue_token(ring, LIC, HOLDER, now=NOW + 120)
    with pytest.raises(TokenNotYetValid):
        verify(ring, token, now=NOW)


def test_second_use_is_replayed(ring):
    guard = ReplayGuard()
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    verify(ring, token, seen=guard)
    with pytest.raises(TokenReplayed) as exc:
        verify(ring, token, seen=guard, now=NOW + 2)
    assert exc.value.code == "token_replayed"
    # a fresh code for the same licence is fine
    verify(ring, issue_token(ring, LIC, HOLDER, now=NOW), seen=guard)


def test_replay_guard_prunes_expired_nonces(ring):
    guard = ReplayGuard()
    for i in range(20):
        verify(ring, issue_token(ring, LIC, HOLDER, now=NOW + i, ttl_seconds=10), seen=guard, now=NOW + i)
    assert len(guard) <= 16
    guard.prune(NOW + 1000)
    assert len(guard) == 0


def test_revoked(ring):
    revoked = {LIC}
    guard = ReplayGuard()
    token = issue_token(ring, LIC, HOLDER, now=NOW)
    with pytest.raises(LicenceRevoked) as exc:
        verify(ring, token, seen=guard, is_revoked=revoked.__contains__)
    assert exc.value.code == "licence_revoked"
    assert len(guard) == 0  # a refused code does not consume its nonce


def test_error_codes_are_distinct():
    classes = [TokenForged, TokenExpired, TokenReplayed, LicenceRevoked, TokenNotYetValid]
    assert len({c.code for c in classes}) == len(classes)
    assert all(issubclass(c, TokenError) for c in classes)


def test_rotation(ring):
    old_token = issue_token(ring, LIC, HOLDER, now=NOW)
    rotated = ring.rotate("k2025b")
    new_token = issue_token(rotated, LIC, HOLDER, now=NOW)
    assert verify(rotated, new_token).kid == "k2025b"
    assert verify(rotated, old_token).kid == "k2025a"
    with pytest.raises(TokenForged):  # the old ring does not know the new key
        verify(ring, new_token)
    retired = rotated.retire("k2025a")
    with pytest.raises(TokenForged):
        verify(retired, old_token)
    with pytest.raises(KeyRingError):
        rotated.rotate("k2025a")
    with pytest.raises(KeyRingError):
        rotated.retire("k2025b")


def test_offline_verification_with_public_document(ring):
    rotated = ring.rotate("k2025b")
    doc = public_keys_document(rotated)
    assert set(doc["keys"]) == {"k2025a", "k2025b"}
    assert all(len(base64.urlsafe_b64decode(x + "=")) == 32 for x in doc["keys"].values())
    token = issue_token(rotated, LIC, HOLDER, now=NOW)
    assert verify_offline(doc, token, NOW + 1).licence_ref == LIC
    assert verify_offline(doc, token, NOW + 2).licence_ref == LIC  # offline cannot detect reuse
    assert verify_offline(public_keys_from_document(doc), token, NOW + 1).kid == "k2025b"
    with pytest.raises(TokenExpired):
        verify_offline(doc, token, NOW + 600)
    with pytest.raises(TokenForged):
        verify_offline(doc, _flip(token, -3), NOW + 1)
    # server-side verification works from the published public keys too
    assert verify(public_keys_from_document(doc), token).kid == "k2025b"


def test_env_value_round_trip(ring):
    rotated = ring.rotate("k2025b")
    value = rotated.to_env_value()
    loaded = KeyRing.from_env_value(value)
    assert loaded.current_kid == "k2025b"
    assert set(loaded.verification_keys) == {"k2025a", "k2025b"}
    token = issue_token(loaded, LIC, HOLDER, now=NOW)
    assert verify(rotated, token).kid == "k2025b"
    assert verify(loaded, issue_token(ring, LIC, HOLDER, now=NOW)).kid == "k2025a"


@pytest.mark.parametrize("value", [None, "", "  ", ";\n"])
def test_empty_env_value_is_an_error(value):
    with pytest.raises(KeyRingError, match="未配置"):
        KeyRing.from_env_value(value)


@pytest.mark.parametrize("value", ["k1", "k1:notbase64!!", "k1:QUJD", "k1:pub:" + "A" * 43, "bad kid!:" + "A" * 43])
def test_bad_env_value_is_an_error(value):
    with pytest.raises(KeyRingError):
        KeyRing.from_env_value(value)


def test_pem_private_key(ring):
    pem = private_key_to_pem(ring.signing_key)
    key = load_private_key(pem.decode())
    token = issue_token(KeyRing("k2025a", key), LIC, HOLDER, now=NOW)
    assert verify(ring, token).licence_ref == LIC


def test_issue_rejects_bad_ttl_and_refs(ring):
    for ttl in (0, MAX_TTL_SECONDS + 1):
        with pytest.raises(ValueError):
            issue_token(ring, LIC, HOLDER, ttl_seconds=ttl)
    for lic, holder in (("", HOLDER), (LIC, ""), ("x" * 40, "y" * 9)):
        with pytest.raises(ValueError):
            issue_token(ring, lic, holder)
