"""Repeat and near-duplicate appeals: MinHash signatures, LSH band keys and an index that scales.

Design (why MinHash and not SimHash):

* Similarity is the Jaccard index of the *sets* of character 3-shingles of the normalised text
  (:func:`huying.dispatch.normalize.normalize_text`). Chinese needs no tokeniser for this, and
  "the same matter re-submitted" (a few characters edited, junk whitespace, full-width digits,
  sentences reordered) keeps most shingles, so Jaccard stays high. MinHash estimates exactly this
  measure with a known variance (sd = sqrt(J(1-J)/k)); SimHash estimates an angle of weighted
  features and needs multi-index tables whose size grows quickly with the Hamming radius.
* Signatures use *one-permutation hashing* with optimal densification (Li et al. 2012;
  Shrivastava 2017): each shingle is hashed once to 64 bits; the low half picks one of ``NUM_PERM``
  bins, the high half is the value, each bin keeps its minimum, and empty bins borrow from a fixed
  pseudo-random probe sequence. Cost is O(shingles), not O(shingles x k), and the whole pipeline
  is vectorised over batches with numpy. Shingle hashes are a bijective mix (splitmix64) of the three
  code points, so they are identical in every process and exact set comparisons are possible.
* LSH banding: ``BANDS`` = 24 bands of ``ROWS`` = 5 values. A pair with Jaccard J becomes a candidate
  with probability 1 - (1 - J^5)^24: 0.9999 at J = 0.8, 0.99 at 0.7, 0.53 at 0.5, 0.0002 at 0.1.
  Each band hashes to a signed 64-bit key, so the index is a table ``(band_key bigint, appeal_id)``
  with a B-tree on ``band_key`` queried by ``band_key IN (...)`` (24 keys + 1 exact key per appeal);
  the signature itself (480 bytes) is stored with the appeal to verify candidates.
  :func:`exact_key` (blake2b of the normalised text) goes into the same table for exact repeats.
* :class:`NearDuplicateIndex` is the in-memory twin of that table: sorted ``int64`` key and ``int32``
  row arrays searched with ``np.searchsorted`` (what a B-tree does), a small dict for recent single
  additions, and the signature matrix for verifying candidates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .normalize import normalize_text

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "NearDuplicateIndex",
    "band_keys",
    "band_keys_matrix",
    "brute_force",
    "estimate_similarity",
    "exact_key",
    "jaccard",
    "shingle_set",
    "signature",
    "signatures",
]

NUM_PERM = 120
BANDS = 24
ROWS = 5
SHINGLE = 3
DEFAULT_THRESHOLD = 0.8

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_EMPTY = np.uint32(0xFFFFFFFF)
_MAX_VALUE = np.uint64(0xFFFFFFFE)
_LOW32 = np.uint64(0xFFFFFFFF)
_SEED = np.uint64(0x5DEECE66D2545F49)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_PROBE_ROUNDS = 48


def _mix64(x: U64) -> U64:
    """splitmix64 finaliser: a bijection on 64-bit integers with good avalanche (wraps mod 2**64)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x *= _M1
        x ^= x >> np.uint64(27)
        x *= _M2
        x ^= x >> np.uint64(31)
        return x


def _reduce(h: U64, n: int) -> U64:
    """Map the low 32 bits of ``h`` onto ``range(n)`` (Lemire's multiply-shift)."""
    return ((h & _LOW32) * np.uint64(n)) >> np.uint64(32)


def _probe_table() -> npt.NDArray[np.intp]:
    """Fixed densification probes: row t gives, for every bin, the bin to borrow from at attempt t."""
    t = np.arange(_PROBE_ROUNDS, dtype=np.uint64)[:, None]
    b = np.arange(NUM_PERM, dtype=np.uint64)[None, :]
    h = _mix64(((t << np.uint64(32)) | b) ^ _GOLDEN)
    return _reduce(h, NUM_PERM).astype(np.intp)


_PROBES = _probe_table()
_BAND_SEEDS = _mix64(np.arange(1, BANDS + 1, dtype=np.uint64) * _GOLDEN)


# --- shingles -----------------------------------------------------------------------------------


def _shingle_hashes(texts: Sequence[str]) -> tuple[U64, U64]:
    """(document index, 64-bit shingle hash) for every shingle position of already-normalised texts.

    A shingle's three code points (each < 2**21) are packed into one 63-bit integer and mixed, so
    the hash is collision-free and the same in every process. Texts of one or two characters count
    as a single shingle; empty texts have none.
    """
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=n)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    total = len(codes)
    docs: list[U64] = []
    packed: list[U64] = []
    ends = np.cumsum(lengths)
    if total >= SHINGLE:
        x = codes[:-2] << np.uint64(42)
        x |= codes[1:-1] << np.uint64(21)
        x |= codes[2:]
        valid = np.ones(total - 2, dtype=bool)
        for back in (1, 2):  # the last two start positions of every text cross into the next one
            pos = ends - back
            valid[pos[(pos >= 0) & (pos < total - 2)]] = False
        doc_of = np.repeat(np.arange(n, dtype=np.uint64), lengths)[: total - 2]
        docs.append(doc_of[valid])
        packed.append(x[valid])
    short = np.flatnonzero((lengths > 0) & (lengths < SHINGLE))
    if len(short):
        starts = ends - lengths
        extra = []
        for d in short.tolist():
            cps = [int(c) for c in codes[starts[d] : starts[d] + lengths[d]]]
            extra.append((cps[0] << 42) | ((cps[1] << 21) if len(cps) > 1 else 0))
        docs.append(short.astype(np.uint64))
        packed.append(np.array(extra, dtype=np.uint64))
    if not docs:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint64)
    h = np.concatenate(packed) if len(packed) > 1 else packed[0]
    h ^= _SEED
    return (np.concatenate(docs) if len(docs) > 1 else docs[0]), _mix64(h)


def shingle_set(text: str, *, normalized: bool = False) -> U64:
    """Sorted unique shingle hashes of one text (for exact Jaccard)."""
    norm = text if normalized else normalize_text(text)
    return np.unique(_shingle_hashes([norm])[1])


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of the character 3-shingle sets of two texts (normalised here)."""
    return _jaccard_sets(shingle_set(a), shingle_set(b))


def _jaccard_sets(a: U64, b: U64) -> float:
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


# --- signatures ---------------------------------------------------------------------------------


def signatures(texts: Sequence[str], *, normalized: bool = False) -> U32:
    """MinHash signatures of many texts at once: a ``(len(texts), NUM_PERM)`` uint32 matrix."""
    norm = list(texts) if normalized else [normalize_text(t) for t in texts]
    n = len(norm)
    doc, h = _shingle_hashes(norm)
    # One sortable key per shingle: cell (text, bin from the low half) above the value (high half).
    key = doc * np.uint64(NUM_PERM)
    key += _reduce(h, NUM_PERM)
    key <<= np.uint64(32)
    key |= np.minimum(h >> np.uint64(32), _MAX_VALUE)
    key.sort()
    cell = key >> np.uint64(32)
    first = np.ones(len(key), dtype=bool)
    np.not_equal(cell[1:], cell[:-1], out=first[1:])
    sig = np.full(n * NUM_PERM, _EMPTY, dtype=np.uint32)
    sig[cell[first].astype(np.intp)] = key[first].astype(np.uint32)  # keeps the low 32 bits
    sig2 = sig.reshape(n, NUM_PERM)
    _densify(sig2)
    return sig2


def _densify(sig: U32) -> None:
    """Fill empty bins in place from the first originally non-empty bin of a fixed probe sequence."""
    was_empty = sig == _EMPTY
    r, b = np.nonzero(was_empty & ~was_empty.all(axis=1)[:, None])
    for t in range(_PROBE_ROUNDS):
        if not len(r):
            return
        src = _PROBES[t, b]
        ok = ~was_empty[r, src]
        sig[r[ok], b[ok]] = sig[r[ok], src[ok]]
        r, b = r[~ok], b[~ok]
    for row in np.unique(r).tolist():
        # Very short texts: borrow from the next originally non-empty bin to the right (cyclically).
        full = np.flatnonzero(~was_empty[row])
        for j in b[r == row].tolist():
            sig[row, j] = sig[row, full[np.searchsorted(full, j) % len(full)]]


def signature(text: str, *, normalized: bool = False) -> tuple[int, ...]:
    """MinHash signature of one text: ``NUM_PERM`` unsigned 32-bit ints, the same in every process."""
    return tuple(signatures([text], normalized=normalized)[0].tolist())


def estimate_similarity(sig_a: Sequence[int] | U32, sig_b: Sequence[int] | U32) -> float:
    """Estimated Jaccard similarity: the fraction of equal signature values."""
    a = np.asarray(sig_a, dtype=np.uint32)
    b = np.asarray(sig_b, dtype=np.uint32)
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys_matrix(sigs: U32) -> I64:
    """LSH band keys of a signature matrix: ``(n, BANDS)`` signed int64 (PostgreSQL bigint)."""
    s = np.asarray(sigs, dtype=np.uint32).reshape(-1, BANDS, ROWS).astype(np.uint64)
    h = np.broadcast_to(_BAND_SEEDS, s.shape[:2]).copy()
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            h = _mix64(h * _GOLDEN + s[:, :, r])
    return h.view(np.int64)


def band_keys(sig: Sequence[int] | U32) -> list[int]:
    """The ``BANDS`` LSH keys of one signature, as Python ints in the signed 64-bit range."""
    return [int(k) for k in band_keys_matrix(np.asarray(sig, dtype=np.uint32)[None, :])[0]]


def exact_key(text: str, *, normalized: bool = False) -> int:
    """Signed 64-bit key of the normalised text: equal for exact (normalised) repeats."""
    norm = text if normalized else normalize_text(text)
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8, person=b"huying-exact").digest()
    return int.from_bytes(digest, "little", signed=True)


def brute_force(
    text: str, corpus: Iterable[tuple[int, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, float]]:
    """Exact Jaccard of ``text`` against every ``(id, text)`` of ``corpus``: the reference answer."""
    q = shingle_set(text)
    hits = [(i, _jaccard_sets(q, shingle_set(t))) for i, t in corpus]
    return sorted(((i, s) for i, s in hits if s >= threshold), key=lambda p: (-p[1], p[0]))


# --- the index ----------------------------------------------------------------------------------


class _Postings:
    """band_key -> row numbers, kept like a B-tree's leaf level: sorted key and row arrays.

    Bulk additions wait in ``pending`` chunks and are merged (one sort of the new keys, one linear
    merge) when the pending part is large or before a lookup; single additions go to a dict.
    """

    MAX_RECENT = 1 << 17

    def __init__(self) -> None:
        self.keys: I64 = np.empty(0, dtype=np.int64)
        self.rows: npt.NDArray[np.int32] = np.empty(0, dtype=np.int32)
        self.pending: list[tuple[I64, npt.NDArray[np.int32]]] = []
        self.pending_size = 0
        self.recent: dict[int, list[int]] = {}

    def add_bulk(self, keys: I64, rows: npt.NDArray[np.int32]) -> None:
        self.pending.append((keys, rows))
        self.pending_size += len(keys)
        if self.pending_size >= max(1 << 20, len(self.keys) // 2):
            self.merge()

    def add_one(self, keys: Iterable[int], row: int) -> None:
        for k in keys:
            self.recent.setdefault(k, []).append(row)
        if len(self.recent) > self.MAX_RECENT:
            self.pending.append(
                (
                    np.array([k for k, rs in self.recent.items() for _ in rs], dtype=np.int64),
                    np.array([r for rs in self.recent.values() for r in rs], dtype=np.int32),
                )
            )
            self.pending_size += len(self.pending[-1][0])
            self.recent = {}
            self.merge()

    def merge(self) -> None:
        if not self.pending:
            return
        keys = np.concatenate([k for k, _ in self.pending])
        rows = np.concatenate([r for _, r in self.pending])
        self.pending, self.pending_size = [], 0
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        pos = np.searchsorted(self.keys, keys, side="right")
        self.keys = np.insert(self.keys, pos, keys)
        self.rows = np.insert(self.rows, pos, rows)

    def lookup(self, keys: Sequence[int]) -> npt.NDArray[np.int32]:
        self.merge()
        q = np.asarray(keys, dtype=np.int64)
        lo = np.searchsorted(self.keys, q, side="left")
        hi = np.searchsorted(self.keys, q, side="right")
        parts = [self.rows[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if self.recent:
            extra = [r for k in keys for r in self.recent.get(int(k), ())]
            if extra:
                parts.append(np.array(extra, dtype=np.int32))
        if not parts:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(parts))

    def nbytes(self) -> int:
        arrays = self.keys.nbytes + self.rows.nbytes + sum(k.nbytes + r.nbytes for k, r in self.pending)
        # A dict entry, a key int and a list slot: roughly 100 bytes per recent posting.
        return int(arrays) + 100 * sum(1 + len(v) for v in self.recent.values())

    def __len__(self) -> int:
        return len(self.keys) + self.pending_size + sum(len(v) for v in self.recent.values())


class NearDuplicateIndex:
    """Find indexed appeals that repeat a new text (exactly or nearly).

    Candidates come from the LSH band keys and the exact key; they are verified with the signature
    estimate, or with the exact shingle Jaccard when ``keep_shingles`` is set (exact, but it keeps
    every text's shingle set in memory: fine for thousands of appeals, not for millions). In the
    database version the verification step would load the candidates' texts instead.
    """

    def __init__(self, *, keep_shingles: bool = False) -> None:
        self.keep_shingles = keep_shingles
        self._n = 0
        self._ids: I64 = np.empty(1024, dtype=np.int64)
        self._alive: npt.NDArray[np.bool_] = np.empty(1024, dtype=bool)
        self._sigs: U32 = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._shingles: list[U64] = []
        self._postings = _Postings()

    def __len__(self) -> int:
        return int(np.count_nonzero(self._alive[: self._n]))

    @property
    def signature_matrix(self) -> U32:
        """Stored signatures, one row per added appeal (rows of removed appeals included)."""
        return self._sigs[: self._n]

    @property
    def ids(self) -> I64:
        return self._ids[: self._n]

    def _reserve(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._ids):
            return
        cap = max(need, 2 * len(self._ids))
        self._ids = np.resize(self._ids, cap)
        self._alive = np.resize(self._alive, cap)
        sigs = np.empty((cap, NUM_PERM), dtype=np.uint32)
        sigs[: self._n] = self._sigs[: self._n]
        self._sigs = sigs

    def add(self, appeal_id: int, text: str) -> None:
        """Index one appeal (texts that normalise to nothing are ignored)."""
        norm = normalize_text(text)
        if not norm:
            return
        sig = signatures([norm], normalized=True)
        self._reserve(1)
        row = self._n
        self._ids[row], self._alive[row], self._sigs[row] = appeal_id, True, sig[0]
        self._n += 1
        if self.keep_shingles:
            self._shingles.append(shingle_set(norm, normalized=True))
        self._postings.add_one([*band_keys(sig[0]), exact_key(norm, normalized=True)], row)

    def add_many(self, ids: Sequence[int], texts: Sequence[str], *, normalized: bool = False) -> None:
        """Index many appeals at once (vectorised)."""
        norm = list(texts) if normalized else [normalize_text(t) for t in texts]
        keep = [i for i, t in enumerate(norm) if t]
        norm = [norm[i] for i in keep]
        exact = np.array([exact_key(t, normalized=True) for t in norm], dtype=np.int64)
        shingles = [shingle_set(t, normalized=True) for t in norm] if self.keep_shingles else None
        self.add_signatures(np.asarray(ids, dtype=np.int64)[keep], signatures(norm, normalized=True), exact, shingles)

    def add_signatures(self, ids: I64, sigs: U32, exact_keys: I64, shingles: Sequence[U64] | None = None) -> None:
        """Index precomputed signatures (reloaded from the database, computed in workers …).

        With ``keep_shingles`` the texts' :func:`shingle_set` values are required too.
        """
        m = len(ids)
        if self.keep_shingles:
            if shingles is None or len(shingles) != m:
                raise ValueError("keep_shingles needs one shingle set per signature")
            self._shingles.extend(shingles)
        self._reserve(m)
        rows = np.arange(self._n, self._n + m, dtype=np.int32)
        self._ids[self._n : self._n + m] = ids
        self._alive[self._n : self._n + m] = True
        self._sigs[self._n : self._n + m] = sigs
        self._n += m
        keys = np.concatenate([band_keys_matrix(sigs), np.asarray(exact_keys, dtype=np.int64)[:, None]], axis=1)
        self._postings.add_bulk(keys.ravel(), np.repeat(rows, BANDS + 1))

    def remove(self, appeal_id: int) -> None:
        """Stop returning an appeal (closed or merged); its postings stay as tombstones."""
        self._alive[np.flatnonzero(self._ids[: self._n] == appeal_id)] = False

    def query(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, float]]:
        """Indexed appeals with similarity >= ``threshold`` to ``text``, most similar first."""
        norm = normalize_text(text)
        if not norm:
            return []
        sig = signatures([norm], normalized=True)[0]
        rows = self._postings.lookup([*band_keys(sig), exact_key(norm, normalized=True)])
        rows = rows[self._alive[rows]]
        if not len(rows):
            return []
        if self.keep_shingles:
            q = shingle_set(norm, normalized=True)
            sims = np.array([_jaccard_sets(q, self._shingles[r]) for r in rows.tolist()])
        else:
            sims = np.count_nonzero(self._sigs[rows] == sig, axis=1) / NUM_PERM
        ok = sims >= threshold
        hits = zip(self._ids[rows[ok]].tolist(), sims[ok].tolist(), strict=True)
        return sorted(hits, key=lambda p: (-p[1], p[0]))

    def candidate_count(self, text: str) -> int:
        """How many indexed rows share a band or exact key with ``text`` (before verification)."""
        norm = normalize_text(text)
        sig = signatures([norm], normalized=True)[0]
        return len(self._postings.lookup([*band_keys(sig), exact_key(norm, normalized=True)]))

    def flush(self) -> None:
        """Merge pending bulk additions into the sorted postings now (a query does it anyway)."""
        self._postings.merge()

    @property
    def posting_count(self) -> int:
        """Number of (band_key, row) entries: the row count of the database table's twin."""
        return len(self._postings)

    def postings_nbytes(self) -> int:
        return self._postings.nbytes()

    def nbytes(self) -> int:
        """Approximate memory held by the index (arrays, postings, optional shingle sets)."""
        arrays = self._ids.nbytes + self._alive.nbytes + self._sigs.nbytes
        return int(arrays + self._postings.nbytes() + sum(s.nbytes for s in self._shingles))
