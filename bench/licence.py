"""E-licence QR token verification throughput on one core.

``.venv/bin/python bench/licence.py``. Prints figures, asserts nothing.

1. Issue N tokens (distinct nonces, one key ring with a rotated-out old key).
2. Time :func:`huying.licences.tokens.verify_token` over all of them: parse, kid lookup, Ed25519
   signature, validity window, revocation lookup in a Python ``set`` (1,000 revoked refs), and the
   in-memory :class:`ReplayGuard` (each token is used once, so every call records a nonce).
3. Time bare ``Ed25519PublicKey.verify`` over the same signed messages.

Best of 3 rounds each. The last line is ``RESULT verify_per_s=… ratio_to_raw=…`` (ratio = our
verifications per second / bare Ed25519 verifications per second).
"""

from __future__ import annotations

import base64
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cryptography  # noqa: E402

from huying.licences.tokens import (  # noqa: E402
    SIGNATURE_BYTES,
    SIGNING_CONTEXT,
    KeyRing,
    ReplayGuard,
    issue_token,
    verify_token,
)

N = 10_000
ROUNDS = 3
NOW = 1_750_000_000


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def main() -> None:
    print(f"python {platform.python_version()}, cryptography {cryptography.__version__}, {pin_one_core()}")
    ring = KeyRing.generate("k2025a").rotate("k2025b")
    revoked = {f"revoked-{i:06d}" for i in range(1000)}
    tokens = [issue_token(ring, f"lic-{i:08d}", f"holder-{i % 997:05d}", now=NOW) for i in range(N)]
    print(f"{N} tokens, mean length {sum(map(len, tokens)) / N:.1f} chars, max {max(map(len, tokens))}")

    key = ring.verification_keys[ring.current_kid]
    signed = []
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        signed.append((raw[-SIGNATURE_BYTES:], SIGNING_CONTEXT + raw[:-SIGNATURE_BYTES]))

    ours, bare = [], []
    for _ in range(ROUNDS):
        guard = ReplayGuard()
        start = time.perf_counter()
        for token in tokens:
            verify_token(ring, token, now=NOW + 1, seen=guard, is_revoked=revoked.__contains__)
        ours.append(N / (time.perf_counter() - start))

        verify = key.verify
        start = time.perf_counter()
        for signature, message in signed:
            verify(signature, message)
        bare.append(N / (time.perf_counter() - start))

    best_ours, best_bare = max(ours), max(bare)
    print(f"verify_token:        {best_ours:,.0f}/s  ({1e6 / best_ours:.1f} µs each)")
    print(f"bare Ed25519 verify: {best_bare:,.0f}/s  ({1e6 / best_bare:.1f} µs each)")
    print(f"RESULT verify_per_s={best_ours:.0f} ratio_to_raw={best_ours / best_bare:.3f}")


if __name__ == "__main__":
    main()
