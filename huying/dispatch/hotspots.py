"""Hot issues: groups of appeals about the same matter in a recent time window, ranked by heat.

Citizens who report the same problem rarely write the same text, so hot issues are found on
*keywords* rather than on the character shingles used for repeats (:mod:`.dedup`):

1. every appeal of the current and the previous window is tokenised (jieba words when jieba is
   installed, else CJK character bigrams); stop words, tokens without a Chinese character and
   tokens found in more than ``max_df`` of the appeals are dropped (unless the word is bursting:
   common because this window is full of it, see :func:`_common_words`), so are coded place names
   ("a市", "a5区"); the first line of a multi-line text is the title and counts twice, and of the
   body only the first ``MAX_CHARS`` characters are read; the words of every address recorded in
   the window are dropped too (the place is compared in step 4), so that two appeals about different
   matters on one street ("新立河东路路灯不亮", "新立河东路培训机构违规补课") are not made
   similar by the street's name;
2. each appeal keeps as its vector the ``keywords`` highest TF-IDF tokens that another appeal also
   has, divided by the L2 norm of *all* its tokens (sublinear tf, smooth idf);
3. candidate pairs come from MinHash LSH over those keyword sets (64 hash functions, 32 bands of
   2 rows: keyword sets with Jaccard 0.2 become candidates with probability 0.73, with 1/3 with
   0.98), so the work grows with the number of similar pairs, not with n^2;
4. a candidate pair is an edge when the cosine of the two vectors is >= ``threshold`` and, with
   ``same_place``, the two places agree (an appeal without a place matches any place, but a group
   never takes in a second place: it cannot bridge two places);
5. clusters grow along those edges, strongest first, by average linkage: two groups merge only
   while the mean similarity over all pairs between them is at least ``linkage``, so a chain of
   pairwise links (A like B, B like C, A unlike C) does not make one cluster; a cluster is reported
   when it has at least ``min_size`` appeals in the current window, and scored
   ``size + growth_weight * max(size - previous_size, 0) + vote_weight * log(1 + votes)``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from types import ModuleType
from typing import NamedTuple

import numpy as np

from .dedup import _mix64  # the same deterministic 64-bit mixer
from .hotspots_data import STOP_WORDS
from .normalize import normalize_text

__all__ = ["AppealRecord", "HotIssue", "hot_issues", "load_tokenizer", "tokenize"]

NUM_HASHES = 64
ROWS = 2
MAX_BUCKET_PAIRS = 16  # a bucket with more members is linked through its first 16 (anchors)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Anonymised or coded places ("a市", "a5区", "k9县"): left in, they glue onto the next word.
_CODE = re.compile(r"[a-z]+\d*[省市区县镇]?")
MAX_CHARS = 600  # the matter is stated early: later text adds cost, not signal
_STOP = STOP_WORDS


@dataclass(frozen=True)
class AppealRecord:
    """One appeal as hot-issue detection sees it."""

    id: int
    text: str
    place: str | None
    created_at: datetime
    votes: int = 0
    address: str = ""  # where it happened, as recorded (its words are not the matter)


@dataclass(frozen=True)
class HotIssue:
    """A cluster of appeals in the current window, with its heat."""

    representative_id: int
    title: str
    size: int
    previous_size: int
    growth: float
    votes: int
    score: float
    keywords: tuple[str, ...]
    member_ids: tuple[int, ...]
    place: str | None
    first_seen: datetime
    last_seen: datetime
    address: str = ""  # the members' most frequent recorded address ("" when none has one)
    address_count: int = 0  # how many different addresses the members recorded

    @property
    def label(self) -> str:
        return " / ".join(self.keywords[:4])


class _Doc(NamedTuple):
    record: AppealRecord
    current: bool
    tokens: Counter[str]


@lru_cache(maxsize=1)
def _jieba() -> ModuleType | None:
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # its dictionary (about a second), now rather than inside the first cut
    return jieba


def load_tokenizer() -> None:
    """Load the tokenizer's dictionary once per process, so that timing a clustering does not count it."""
    _jieba()


def tokenize(text: str) -> list[str]:
    """Candidate keywords of a text: jieba words (or CJK bigrams) with a Chinese character, no stop words."""
    norm = _CODE.sub(" ", normalize_text(text)[:MAX_CHARS])
    jb = _jieba()
    if jb is not None:
        words = [w for w in jb.lcut(norm) if len(w) >= 2 and _CJK.search(w)]
    else:
        words = [run[i : i + 2] for run in _CJK_RUN.findall(norm) for i in range(len(run) - 1)]
    return [w for w in words if w not in _STOP]


def _split_title(text: str) -> tuple[str, str]:
    head, sep, rest = text.strip().partition("\n")
    return (head, rest) if sep and rest.strip() else ("", text)


def _as_record(item: AppealRecord | Sequence[object]) -> AppealRecord:
    if isinstance(item, AppealRecord):
        return item
    appeal_id, text, place, created_at, votes, *rest = item
    assert isinstance(created_at, datetime)
    address = str(rest[0] or "") if rest else ""
    return AppealRecord(
        int(appeal_id),  # type: ignore[call-overload]
        str(text),
        None if place is None else str(place),
        created_at,
        int(votes),  # type: ignore[call-overload]
        address,
    )


BURST = 2.0  # a common word stays a keyword while its share of this window is this many times last window's
MIN_BACKGROUND = 50  # appeals the previous window needs before it can tell a burst from an everyday word


def _common_words(docs: Sequence[_Doc], df: Counter[str], max_df: float) -> set[str]:
    """Words in more than ``max_df`` of the appeals: everyday words (希望, 建设) that would link unrelated
    appeals. A word that is common only because this window is full of it (停水 during an outage,
    供暖 when the heating fails) is the hot issue itself and is kept: its share of the current window
    is at least ``BURST`` times its share of the previous one (when that window holds at least
    ``MIN_BACKGROUND`` appeals to compare with)."""
    n = len(docs)
    if n < 50:
        return set()
    cap = max(2, int(max_df * n))
    common = {t for t, c in df.items() if c > cap}
    now_df: Counter[str] = Counter()
    before_df: Counter[str] = Counter()
    for d in docs:
        (now_df if d.current else before_df).update(common & d.tokens.keys())
    n_now = sum(d.current for d in docs)
    n_before = n - n_now
    if n_before < MIN_BACKGROUND or not n_now:
        return common
    return {t for t in common if now_df[t] / n_now < BURST * (before_df[t] + 1) / (n_before + 1)}


def _vectors(docs: Sequence[_Doc], keywords: int, max_df: float) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.tokens.keys())
    n = len(docs)
    common = _common_words(docs, df, max_df)
    out = []
    for d in docs:
        weights = {
            t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in d.tokens.items() if t not in common
        }
        # Only tokens another appeal shares can link appeals; the norm still counts every token, so
        # two long appeals that share one common word stay far apart.
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        shared = sorted(((t, w) for t, w in weights.items() if df[t] >= 2), key=lambda kv: (-kv[1], kv[0]))
        out.append({t: w / norm for t, w in shared[:keywords]})
    return out


def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def _candidate_pairs(vectors: Sequence[dict[str, float]]) -> set[tuple[int, int]]:
    """Pairs of documents sharing at least one LSH band of their keyword-set MinHash."""
    seeds = _mix64(np.arange(1, NUM_HASHES + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    buckets: defaultdict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        if not vec:
            continue
        h = np.array([_token_hash(t) for t in vec], dtype=np.uint64)
        mins = _mix64(h[:, None] ^ seeds[None, :]).min(axis=0)
        for band in range(NUM_HASHES // ROWS):
            buckets[(band, mins[band * ROWS : (band + 1) * ROWS].tobytes())].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        anchors = members[:MAX_BUCKET_PAIRS]
        for j in members[1:]:
            pairs.update((a, j) for a in anchors if a < j)
    return pairs


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _clusters(
    n: int,
    edges: Iterable[tuple[float, int, int]],
    vectors: Sequence[dict[str, float]],
    linkage: float,
    places: Sequence[str | None] | None = None,
) -> list[list[int]]:
    """Average-linkage groups along the candidate edges, strongest edge first.

    Two groups joined by an edge merge only while the mean similarity over all pairs between them
    (the dot product of their mean vectors) is at least ``linkage``; so a chain A-B-C, where A and C
    have nothing in common, does not make one group of three. ``linkage`` 0 gives the connected
    components. With ``places``, two groups whose known places differ never merge, so an appeal
    without a place cannot bridge two streets into one group.
    """
    parent = list(range(n))
    total: dict[int, dict[str, float]] = {}  # a root's sum of member vectors
    size = [1] * n
    place: list[str | None] = list(places) if places is not None else [None] * n  # a root's known place

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, a, b in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if place[ra] and place[rb] and place[ra] != place[rb]:
            continue
        sa, sb = total.get(ra, vectors[ra]), total.get(rb, vectors[rb])
        if _cosine(sa, sb) / (size[ra] * size[rb]) < linkage:
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        big, small = (sa, sb) if len(sa) >= len(sb) else (sb, sa)
        owned = big is total.get(ra) or big is total.get(rb)
        merged = big if owned else dict(big)  # an appeal's own vector is never changed
        for t, w in small.items():
            merged[t] = merged.get(t, 0.0) + w
        total.pop(gone, None)
        total[keep] = merged
        parent[gone] = keep
        size[keep] += size[gone]
        place[keep] = place[keep] or place[gone]
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return list(groups.values())


def hot_issues(
    appeals: Iterable[AppealRecord | Sequence[object]],
    *,
    now: datetime | None = None,
    window: timedelta = timedelta(days=7),
    threshold: float = 0.3,
    linkage: float = 0.15,
    same_place: bool = True,
    min_size: int = 2,
    top: int | None = 10,
    keywords: int = 20,
    max_df: float = 0.1,
    growth_weight: float = 0.5,
    vote_weight: float = 1.0,
) -> list[HotIssue]:
    """Cluster the appeals of the window ``(now - window, now]`` and return the hottest clusters.

    ``appeals`` holds :class:`AppealRecord` or ``(id, text, place, created_at, votes[, address])`` tuples;
    ``now`` defaults to the latest ``created_at``. Appeals of the previous window
    ``(now - 2 * window, now - window]`` are clustered too, to measure growth.
    """
    records = [_as_record(a) for a in appeals]
    if not records:
        return []
    end = now if now is not None else max(r.created_at for r in records)
    start, prev_start = end - window, end - 2 * window
    docs: list[_Doc] = []
    for r in records:
        if not prev_start < r.created_at <= end:
            continue
        title, body = _split_title(r.text)
        tokens = Counter(tokenize(body))
        for t in tokenize(title):
            tokens[t] += 2
        docs.append(_Doc(r, r.created_at > start, tokens))
    # Words of any recorded address in the window name places, not matters: a call about a building
    # site on 渤海七路 may be recorded at the caller's 御园小区, and 渤海七路 must not make it similar to
    # every other matter on that road. (The place is compared below, by division.)
    addresses = {d.record.address for d in docs if d.record.address}
    place_words = {t for address in addresses for t in tokenize(address)}
    for d in docs:
        for t in place_words & d.tokens.keys():
            del d.tokens[t]
    vectors = _vectors(docs, keywords, max_df)
    edges = []
    for a, b in _candidate_pairs(vectors):
        pa, pb = docs[a].record.place, docs[b].record.place
        if same_place and pa and pb and pa != pb:
            continue
        similarity = _cosine(vectors[a], vectors[b])
        if similarity >= threshold:
            edges.append((similarity, a, b))
    issues = []
    places = [d.record.place for d in docs] if same_place else None
    for comp in _clusters(len(docs), edges, vectors, linkage, places):
        now_members = [i for i in comp if docs[i].current]
        if len(now_members) < min_size:
            continue
        issues.append(_describe(docs, vectors, now_members, len(comp) - len(now_members), growth_weight, vote_weight))
    issues.sort(key=lambda h: (-h.score, -h.size, h.representative_id))
    return issues if top is None else issues[:top]


def _describe(
    docs: Sequence[_Doc],
    vectors: Sequence[dict[str, float]],
    members: list[int],
    previous_size: int,
    growth_weight: float,
    vote_weight: float,
) -> HotIssue:
    centroid: defaultdict[str, float] = defaultdict(float)
    for i in members:
        for t, w in vectors[i].items():
            centroid[t] += w
    central = max(members, key=lambda i: (_cosine(vectors[i], centroid), -docs[i].record.id))
    rep = docs[central].record
    title, body = _split_title(rep.text)
    headline = " ".join((title or body).split())
    size = len(members)
    votes = sum(max(docs[i].record.votes, 0) for i in members)
    places = Counter(docs[i].record.place for i in members if docs[i].record.place)
    times = [docs[i].record.created_at for i in members]
    addresses = Counter(a for a in (docs[i].record.address.strip() for i in members) if a)
    return HotIssue(
        representative_id=rep.id,
        title=headline[:60] + ("…" if len(headline) > 60 else ""),
        size=size,
        previous_size=previous_size,
        growth=(size - previous_size) / max(previous_size, 1),
        votes=votes,
        score=size + growth_weight * max(size - previous_size, 0) + vote_weight * math.log1p(votes),
        keywords=tuple(t for t, _ in sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:8]),
        member_ids=tuple(sorted(docs[i].record.id for i in members)),
        place=places.most_common(1)[0][0] if places else None,
        first_seen=min(times),
        last_seen=max(times),
        address=min(addresses.items(), key=lambda kv: (-kv[1], kv[0]))[0] if addresses else "",
        address_count=len(addresses),
    )
