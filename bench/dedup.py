"""Repeat detection on the real messages, the near-duplicate index at 1,000,000 appeals, and hot issues.

``make bench-dedup`` (or ``.venv/bin/python bench/dedup.py``). Prints figures, asserts nothing.

1. Ground truth on ``messages_with_votes.csv`` (4,326 messages, text = title + body, normalised):
   exact pairs share the normalised text; near pairs have an *exact* character-3-shingle Jaccard
   >= 0.8 (every pair is compared, except pairs whose set sizes alone rule out 0.8). Each message
   is then queried against an index of all of them (threshold 0.8) and recall/precision reported,
   both for the signature estimate (the default, used at 1M) and for exact Jaccard verification.
2. 1,000,000 variants of the real messages (character substitutions and deletions, whitespace junk,
   full-width digits, sentence shuffles, added phrases; 15 % are mixtures of sentences from other
   messages) are signed by two worker processes and indexed. One query = normalise, sign, look up
   the 25 keys, verify the candidates' signatures. The brute force does the same normalise + sign
   and then compares the query signature with all 1,000,000 stored signatures (one vectorised numpy
   comparison of the signature matrix): same similarity, no index.
3. Top-10 hot issues of the file with :mod:`huying.dispatch.hotspots`.

The last line is ``RESULT dup_recall=… query_ratio=…`` (recall over exact + near pairs with the
signature estimate; mean index query time / mean brute-force time over 50 queries).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import random
import re
import resource
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from huying.dispatch import dedup, hotspots  # noqa: E402
from huying.dispatch.normalize import normalize_text  # noqa: E402

DATA = ROOT.parent / "shared/data/dispatch/messages_with_votes.csv"
THRESHOLD = 0.8
N_VARIANTS = 1_000_000
BATCH = 2_000
N_QUERIES = 50
WORKERS = 2
SEED = 20240601
PLACE = re.compile(r"A\d{1,2}[区县]")


def log(*parts: Any) -> None:
    print(*parts, flush=True)


class Message(NamedTuple):
    id: int
    title: str
    body: str
    created_at: datetime
    likes: int

    @property
    def text(self) -> str:
        return self.title.strip() + "\n" + self.body.strip()


def load() -> list[Message]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return [
            Message(
                int(r["留言编号"]),
                r["留言主题"],
                r["留言详情"],
                datetime(*(int(p) for p in re.split(r"[-/ :]", r["留言时间"].strip()))),  # type: ignore[misc]
                int(r["点赞数"] or 0),
            )
            for r in csv.DictReader(fh)
        ]


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- 1. ground truth on the real file --------------------------------------------------------


def ground_truth(norm: list[str]) -> tuple[set[tuple[int, int]], set[tuple[int, int]], int]:
    """Exact pairs (same normalised text) and near pairs (exact shingle Jaccard >= THRESHOLD)."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(norm):
        groups[t].append(i)
    exact = {(a, b) for g in groups.values() for k, a in enumerate(g) for b in g[k + 1 :]}
    sets = [set(dedup.shingle_set(t, normalized=True).tolist()) for t in norm]
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    near: set[tuple[int, int]] = set()
    compared = 0
    for pos, i in enumerate(order):
        si = sets[i]
        limit = len(si) / THRESHOLD  # J >= t needs |small| >= t * |large|
        for j in order[pos + 1 :]:
            sj = sets[j]
            if len(sj) > limit:
                break
            compared += 1
            inter = len(si & sj)
            union = len(si) + len(sj) - inter
            if union and inter / union >= THRESHOLD:
                near.add((min(i, j), max(i, j)))
    return exact, near - exact, compared


def found_pairs(index: dedup.NearDuplicateIndex, norm: list[str]) -> set[tuple[int, int]]:
    pairs = set()
    for i, t in enumerate(norm):
        for j, _ in index.query(t, THRESHOLD):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def part_one(messages: list[Message]) -> float:
    log(f"== 1. repeats in {DATA.name}: {len(messages):,} messages, text = title + body ==")
    t0 = time.perf_counter()
    norm = [normalize_text(m.text) for m in messages]
    exact, near, compared = ground_truth(norm)
    dup_rows = len(norm) - len(set(norm))
    log(
        f"ground truth: {len(exact)} exact pairs ({dup_rows} duplicate rows after normalisation; the data README "
        f"says 58 on raw title + body), {len(near)} near pairs (exact 3-shingle Jaccard >= {THRESHOLD}, "
        f"{compared:,} pairs compared exactly, {time.perf_counter() - t0:.1f} s)"
    )
    truth = exact | near
    recall = 0.0
    for label, keep in (("signature estimate", False), ("exact Jaccard check", True)):
        index = dedup.NearDuplicateIndex(keep_shingles=keep)
        t0 = time.perf_counter()
        index.add_many(list(range(len(norm))), norm, normalized=True)
        pairs = found_pairs(index, norm)
        dt = time.perf_counter() - t0
        r_exact = len(pairs & exact) / max(len(exact), 1)
        r_near = len(pairs & near) / max(len(near), 1)
        r_all = len(pairs & truth) / max(len(truth), 1)
        precision = len(pairs & truth) / max(len(pairs), 1)
        log(
            f"index ({label}): recall exact={r_exact:.3f} near={r_near:.3f} all={r_all:.3f} "
            f"precision={precision:.3f} ({len(pairs)} pairs reported, {dt:.1f} s for index + {len(norm):,} queries)"
        )
        if not keep:
            recall = r_all
    return recall


# --- 2. one million variants -------------------------------------------------------------------

_SOURCES: list[str] = []
_POOL = ""
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")
_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_JUNK = ("\n\t\t\t", "\u3000", "\xa0", "  ", "\t", "\r\n", "\u200b")
_ADDED = ("请尽快处理，谢谢！", "望领导重视。", "急！", "恳请相关部门尽快解决。", "（再次反映）")


def _init(sources: list[str], pool: str) -> None:
    global _SOURCES, _POOL
    _SOURCES, _POOL = sources, pool


def variant(rng: random.Random, src: int) -> str:
    """A re-submission of message ``src``, or (15 %) a mixture of sentences from other messages."""
    if rng.random() < 0.15:
        parts = [rng.choice(_SENTENCE.split(_SOURCES[rng.randrange(len(_SOURCES))])) for _ in range(rng.randint(3, 6))]
        return "".join(parts)
    text = _SOURCES[src]
    if rng.random() < 0.3:
        sentences = _SENTENCE.split(text)
        if len(sentences) > 2:
            i = rng.randrange(len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
            text = "".join(sentences)
    chars = list(text)
    edits = rng.choice((0, 0, 1, 2, 3, max(1, len(chars) // 50), max(1, len(chars) // 25)))
    for _ in range(edits):
        pos = rng.randrange(len(chars)) if chars else 0
        op = rng.random()
        if op < 0.6 and chars:
            chars[pos] = rng.choice(_POOL)
        elif op < 0.8 and chars:
            del chars[pos]
        else:
            chars.insert(pos, rng.choice(_POOL))
    for _ in range(rng.randint(0, 4)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(_JUNK))
    text = "".join(chars)
    if rng.random() < 0.3:
        text = text.translate(_FULL_DIGITS)
    if rng.random() < 0.2:
        text += rng.choice(_ADDED)
    return text


def sign_batch(batch: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Worker: generate one batch of variants, then normalise + sign them (timed separately)."""
    rng = random.Random(SEED * 1_000_003 + batch)
    t0 = time.process_time()
    texts = [variant(rng, rng.randrange(len(_SOURCES))) for _ in range(BATCH)]
    t1 = time.process_time()
    norm = [normalize_text(t) for t in texts]
    sigs = dedup.signatures(norm, normalized=True)
    exact = np.array([dedup.exact_key(t, normalized=True) for t in norm], dtype=np.int64)
    return sigs, exact, t1 - t0, time.process_time() - t1


def part_two(messages: list[Message], n_variants: int) -> float:
    log(f"== 2. index of {n_variants:,} variants (signatures in {WORKERS} worker processes) ==")
    sources = [m.text for m in messages]
    pool = "".join(sorted({c for s in sources for c in s if "\u4e00" <= c <= "\u9fff"}))
    index = dedup.NearDuplicateIndex()
    rss0 = rss_mib()
    gen_cpu = sign_cpu = insert_s = 0.0
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(WORKERS, initializer=_init, initargs=(sources, pool)) as workers:
        for b, (sigs, exact, g, s) in enumerate(workers.imap(sign_batch, range(n_variants // BATCH), chunksize=4)):
            gen_cpu += g
            sign_cpu += s
            t1 = time.perf_counter()
            index.add_signatures(np.arange(b * BATCH, (b + 1) * BATCH, dtype=np.int64), sigs, exact)
            insert_s += time.perf_counter() - t1
            if (b + 1) % 100 == 0:
                log(f"  {(b + 1) * BATCH:>9,} indexed, {time.perf_counter() - t0:6.1f} s")
    t1 = time.perf_counter()
    index.flush()  # the last pending chunks, as the first query would
    insert_s += time.perf_counter() - t1
    wall = time.perf_counter() - t0
    n = len(index)
    per_item_us = (sign_cpu + insert_s) / n * 1e6
    log(
        f"indexing: {wall:.1f} s wall for {n:,} ({wall / n * 1e6:.0f} us/item wall incl. variant generation); "
        f"normalise+sign {sign_cpu:.1f} CPU-s, key insertion {insert_s:.1f} s -> {per_item_us:.0f} us/item "
        f"single-core; variant generation {gen_cpu:.1f} CPU-s (not indexing)"
    )
    sig_mb = index.signature_matrix.nbytes / 2**20
    post_mb = index.postings_nbytes() / 2**20
    log(
        f"memory: index {index.nbytes() / 2**20:.0f} MiB = signatures {sig_mb:.0f} MiB + postings {post_mb:.0f} MiB "
        f"({index.posting_count:,} (band_key, row) entries) + ids; process RSS {rss_mib():.0f} MiB "
        f"(+{rss_mib() - rss0:.0f} MiB while indexing)"
    )

    _init(sources, pool)
    rng = random.Random(SEED - 1)
    queries = [variant(rng, rng.randrange(len(sources))) for _ in range(N_QUERIES)]
    matrix = index.signature_matrix
    ids = index.ids
    t_index = t_brute = 0.0
    agree = brute_hits = index_hits = candidates = 0
    for q in queries:
        t1 = time.perf_counter()
        hits = index.query(q, THRESHOLD)
        t2 = time.perf_counter()
        sig = dedup.signatures([normalize_text(q)], normalized=True)[0]
        sims = np.count_nonzero(matrix == sig, axis=1) / dedup.NUM_PERM
        brute = set(ids[sims >= THRESHOLD].tolist())
        t3 = time.perf_counter()
        t_index += t2 - t1
        t_brute += t3 - t2
        found = {i for i, _ in hits}
        agree += len(found & brute)
        brute_hits += len(brute)
        index_hits += len(found)
        candidates += index.candidate_count(q)
    ratio = t_index / t_brute
    log(
        f"query ({N_QUERIES} fresh variants, threshold {THRESHOLD}): index {t_index / N_QUERIES * 1e3:.2f} ms, "
        f"brute force {t_brute / N_QUERIES * 1e3:.1f} ms per query over {len(ids):,}; mean {candidates / N_QUERIES:.0f} candidates, "
        f"{index_hits / N_QUERIES:.0f} hits; index found {agree}/{brute_hits} of the brute-force hits "
        f"(recall {agree / max(brute_hits, 1):.4f})"
    )
    log(f"query_ratio = index_query_time / brute_force_time = {ratio:.5f}")
    return ratio


# --- 3. hot issues -----------------------------------------------------------------------------


def place_of(m: Message) -> str | None:
    found = PLACE.search(m.title) or PLACE.search(m.body)
    return found.group() if found else None


def part_three(messages: list[Message]) -> None:
    first = min(m.created_at for m in messages)
    last = max(m.created_at for m in messages)
    log(
        f"== 3. hot issues: the whole file as one window ({first:%Y-%m-%d} .. {last:%Y-%m-%d}; it is a 40 % sample "
        f"and 98 % of it is from 2019, so a 7-day window would hold ~80 messages); place = first A<n>区/县 ==="
    )
    t0 = time.perf_counter()
    records = [(m.id, m.text, place_of(m), m.created_at, m.likes) for m in messages]
    issues = hotspots.hot_issues(records, now=last, window=last - first + timedelta(seconds=1), top=10)
    log(f"clustered in {time.perf_counter() - t0:.1f} s; rank, size, likes, place, representative title | keywords")
    for rank, h in enumerate(issues, 1):
        log(f"{rank:>2}. {h.size:>3} {h.votes:>5}  {h.place or '-':<4} {h.title} | {h.label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=N_VARIANTS, help="appeals to index in part 2")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    started = time.perf_counter()
    messages = load()
    recall = part_one(messages)
    ratio = part_two(messages, args.variants)
    part_three(messages)
    log(f"total {time.perf_counter() - started:.0f} s")
    log(f"RESULT dup_recall={recall:.4f} query_ratio={ratio:.5f}")


if __name__ == "__main__":
    main()
