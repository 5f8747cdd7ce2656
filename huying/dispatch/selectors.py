"""Reads (queries that change nothing): hot issues, key problems, similar open appeals, reply
warnings, suggestion quality and the training data. The category suggestion is in :mod:`.suggestion`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.states import MERGE_TARGET_STATUSES, OPEN_STATUSES, Action, Status
from huying.core.errors import NotFound
from huying.organisations.models import Division

from . import dedup, hotspots, replycheck
from .models import AppealFingerprint, DispatchSuggestion, FingerprintPending, KeyProblem

logger = logging.getLogger(__name__)

HOT_WINDOW_DAYS = 7
HOT_WINDOWS = (7, 14, 30)  # the page's choices
HOT_TOP = 20  # issues listed
HOT_MAX_APPEALS = 20_000
HOT_LIST_APPEALS = 50  # members listed per issue on the page (newest first); the API names them all
# Never a hot issue's member: not a matter for the city, or a repeat counted on the order it joined.
HOT_NEVER_COUNTED = (Status.WITHDRAWN, Status.REFUSED, Status.REFERRED, Status.MERGED)
KEY_PROBLEM_MAX_APPEALS = 500  # appeals one key problem can be made from at once (one form post)
_CHUNK = 900  # ids per IN (…) query: under SQLite's bound-parameter limit
_HOT_CACHE_VERSION = 2  # 2: places are streets, closed appeals leave the current window
HOT_WAIT_SECONDS = 60  # how long a view of a slow window waits for another's computation of it
HOT_WAIT_POLL = 0.5


@dataclass
class HotIssue:
    rank: int
    title: str
    keywords: list[str]
    size: int
    previous: int
    growth: float | None
    votes: int
    address: str
    address_count: int
    appeals: list[Appeal]  # the newest HOT_LIST_APPEALS members, to list
    member_ids: list[int]  # every member the actor may see, newest first
    numbers: list[str]  # their numbers, in the same order
    key_problems: list[KeyProblem] = dataclasses.field(default_factory=list)  # open ones it already feeds
    street: str = ""  # the 街道/乡镇 its appeals lie in ("" when none recorded one)

    @property
    def converted(self) -> bool:
        """Already turned into a key problem: the page names it instead of offering to convert again."""
        return bool(self.key_problems)

    @property
    def unlisted(self) -> int:
        """Members the page does not list."""
        return len(self.member_ids) - len(self.appeals)

    @property
    def carried_unlisted_ids(self) -> list[int]:
        """Unlisted members a key problem made from this issue takes along (up to the form's limit)."""
        return self.member_ids[len(self.appeals) : KEY_PROBLEM_MAX_APPEALS]


@dataclass
class HotIssueReport:
    issues: list[HotIssue]
    computed_at: dt.datetime  # when the clusters were computed
    cached: bool  # True: computed earlier (a big window) and kept for HUYING_HOT_CACHE_SECONDS


def hot_issues(
    actor: Actor, *, days: int = HOT_WINDOW_DAYS, now: dt.datetime | None = None, limit: int = HOT_TOP
) -> list[HotIssue]:
    """This window's clusters of similar appeals (text, place, time), ranked by size, growth and votes."""
    return hot_issue_report(actor, days=days, now=now, limit=limit).issues


def hot_issue_report(
    actor: Actor, *, days: int = HOT_WINDOW_DAYS, now: dt.datetime | None = None, limit: int = HOT_TOP
) -> HotIssueReport:
    """:func:`hot_issues` with when they were computed.

    Clustering a big city's window takes seconds (ADR 0011). When one took at least
    ``HUYING_HOT_CACHE_MIN_SECONDS``, its clusters are kept for ``HUYING_HOT_CACHE_SECONDS`` per
    visibility scope and window, and ``manage.py sweep`` recomputes them before they expire; a small
    window is computed on every request, so it is never stale. The appeals themselves (status,
    unit) are always read fresh, and only those the actor may see. ``now`` given: never cached.
    """
    scope = _hot_scope(actor)
    key = _hot_key(scope, days, limit)
    if now is None:
        hit = _hot_cached(key)
        if hit is None and cache.get(f"{key}:slow") and cache.get(f"{key}:computing"):
            hit = _wait_for(key)  # another view or the sweep is counting this slow window now
        if hit is not None:
            computed_at, clusters = hit
            return HotIssueReport(_materialise(actor, clusters), computed_at, cached=True)
    computed_at = now or timezone.now()
    clusters = _compute_clusters(actor, days=days, now=computed_at, limit=limit, key=key if now is None else None)
    return HotIssueReport(_materialise(actor, clusters), computed_at, cached=False)


def hot_issues_refresh() -> int:
    """For the sweep: recompute the city-wide windows that were slow enough to be cached, before
    they expire; returns how many were recomputed."""
    refreshed = 0
    for days in HOT_WINDOWS:
        key = _hot_key("all", days, HOT_TOP)
        if not cache.get(f"{key}:slow"):
            continue
        hit = _hot_cached(key)
        if hit is not None and timezone.now() - hit[0] < dt.timedelta(seconds=_hot_ttl() / 2):
            continue
        _compute_clusters(None, days=days, now=timezone.now(), limit=HOT_TOP, key=key)
        refreshed += 1
    return refreshed


def _hot_ttl() -> int:
    return int(getattr(settings, "HUYING_HOT_CACHE_SECONDS", 300))


def _hot_scope(actor: Actor) -> str:
    return "all" if visible_appeals_q(actor) == Q() else f"user-{actor.user.pk}"


def _hot_key(scope: str, days: int, limit: int) -> str:
    return f"huying:hot:v{_HOT_CACHE_VERSION}:{scope}:{days}:{limit}"


def _hot_cached(key: str) -> tuple[dt.datetime, list[hotspots.HotIssue]] | None:
    entry = cache.get(key)
    if not entry:
        return None
    try:
        return entry["computed_at"], [hotspots.HotIssue(**c) for c in entry["clusters"]]
    except (KeyError, TypeError):  # written by another version: compute afresh
        return None


def _wait_for(key: str) -> tuple[dt.datetime, list[hotspots.HotIssue]] | None:
    """Wait (at most HOT_WAIT_SECONDS) for the clusters someone else is computing; None: go ahead."""
    deadline = time.monotonic() + HOT_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(HOT_WAIT_POLL)
        hit = _hot_cached(key)
        if hit is not None:
            return hit
        if not cache.get(f"{key}:computing"):
            return _hot_cached(key)
    return None


def _compute_clusters(
    actor: Actor | None, *, days: int, now: dt.datetime, limit: int, key: str | None
) -> list[hotspots.HotIssue]:
    """Cluster the window; with ``key``, keep a slow result in the cache (``actor`` None: city-wide)
    and say so while computing, so that other views of the slow window wait instead of also computing."""
    owned = key is not None and cache.add(f"{key}:computing", 1, 2 * HOT_WAIT_SECONDS)
    try:
        return _cluster_window(actor, days=days, now=now, limit=limit, key=key)
    finally:
        if owned:
            cache.delete(f"{key}:computing")


def _cluster_window(
    actor: Actor | None, *, days: int, now: dt.datetime, limit: int, key: str | None
) -> list[hotspots.HotIssue]:
    hotspots.load_tokenizer()  # a new process's first count must not look slow for loading jieba
    started = time.perf_counter()
    start = now - dt.timedelta(days=2 * days)
    visible = Appeal.objects.all() if actor is None else Appeal.objects.filter(visible_appeals_q(actor))
    # The current window counts the matters still open; the previous one what was raised then. Never
    # counted: withdrawn, refused or referred calls (not a matter for the city) and merged repeats
    # (counted as votes on the order they joined).
    current_start = now - dt.timedelta(days=days)
    rows = list(
        visible.filter(submitted_at__gte=start, submitted_at__lte=now)
        .exclude(status__in=HOT_NEVER_COUNTED)
        .exclude(~Q(status__in=OPEN_STATUSES), submitted_at__gt=current_start)
        .order_by("-submitted_at")
        .values_list("pk", "title", "content", "division_id", "submitted_at", "repeat_count", "address")[
            :HOT_MAX_APPEALS
        ]
    )
    street_of = _streets({row[3] for row in rows})
    items = [
        hotspots.AppealRecord(
            id=pk,
            text=f"{title}\n{content}",
            place=street_of.get(division) if division else None,
            created_at=at,
            votes=repeats,
            address=address,
        )
        for pk, title, content, division, at, repeats, address in rows
    ]
    clusters = hotspots.hot_issues(items, now=now, window=dt.timedelta(days=days), min_size=2, top=limit)
    seconds = time.perf_counter() - started
    if key is not None and seconds >= float(getattr(settings, "HUYING_HOT_CACHE_MIN_SECONDS", 1.0)):
        ttl = _hot_ttl()
        entry = {"computed_at": now, "clusters": [dataclasses.asdict(c) for c in clusters]}
        cache.set(key, entry, ttl)
        cache.set(f"{key}:slow", round(seconds, 3), 24 * 3600)  # the sweep keeps it warm for a day
        logger.info("hot issues %s: %d appeals clustered in %.1f s, cached %d s", key, len(rows), seconds, ttl)
    return clusters


def _streets(division_ids: set[int | None]) -> dict[int | None, str]:
    """Each division's 街道/乡镇 (the township it lies in, itself if it is one), as the place two
    appeals must share to be one hot issue; a county or city records no finer place (None)."""
    known = {d for d in division_ids if d}
    if not known:
        return {}
    tree = {pk: (parent, level) for pk, parent, level in Division.objects.values_list("pk", "parent_id", "level")}
    out: dict[int | None, str] = {}
    for pk in known:
        node: int | None = pk
        while node is not None and node in tree and tree[node][1] == Division.Level.VILLAGE:
            node = tree[node][0]
        if node is not None and node in tree and tree[node][1] == Division.Level.TOWNSHIP:
            out[pk] = str(node)
    return out


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _materialise(actor: Actor, clusters: list[hotspots.HotIssue]) -> list[HotIssue]:
    """Clusters → page rows: members the actor may see now, newest first; the newest few in full."""
    visible = Appeal.objects.filter(visible_appeals_q(actor))
    wanted = sorted({i for c in clusters for i in c.member_ids})
    brief: dict[int, tuple[str, dt.datetime]] = {}
    for chunk in _chunks(wanted):
        brief.update(
            (pk, (number or "", at))
            for pk, number, at in visible.filter(pk__in=chunk).values_list("pk", "number", "submitted_at")
        )
    ordered = [
        sorted((i for i in c.member_ids if i in brief), key=lambda i: brief[i][1], reverse=True) for c in clusters
    ]
    listed = Appeal.objects.select_related("lead_unit").in_bulk([i for ids in ordered for i in ids[:HOT_LIST_APPEALS]])
    feeding = _open_key_problems_of(wanted)
    streets = dict(
        Division.objects.filter(pk__in={int(c.place) for c in clusters if c.place}).values_list("pk", "name")
    )
    return [
        HotIssue(
            rank=n,
            title=c.title,
            keywords=list(c.keywords),
            size=c.size,
            previous=c.previous_size,
            growth=c.growth,
            votes=c.votes,
            address=c.address,
            address_count=c.address_count,
            appeals=[listed[i] for i in ids[:HOT_LIST_APPEALS] if i in listed],
            member_ids=ids,
            numbers=[brief[i][0] for i in ids],
            key_problems=sorted({kp for i in ids for kp in feeding.get(i, ())}, key=lambda kp: kp.pk),
            street=streets.get(int(c.place), "") if c.place else "",
        )
        for n, (c, ids) in enumerate(zip(clusters, ordered, strict=True), start=1)
    ]


def in_open_key_problems(appeal_ids: list[int]) -> set[int]:
    """Which of these appeals an open key problem already holds (they are not listed in a second)."""
    return set(_open_key_problems_of(appeal_ids))


def _open_key_problems_of(appeal_ids: list[int]) -> dict[int, list[KeyProblem]]:
    """The open key problems each of these appeals already belongs to."""
    out: dict[int, list[KeyProblem]] = {}
    if not appeal_ids:
        return out
    links = KeyProblem.appeals.through.objects.filter(keyproblem__status=KeyProblem.Status.OPEN)
    pairs = [
        pair
        for chunk in _chunks(appeal_ids)
        for pair in links.filter(appeal_id__in=chunk).values_list("appeal_id", "keyproblem_id")
    ]
    problems = KeyProblem.objects.in_bulk({problem_id for _appeal, problem_id in pairs})
    for appeal_id, problem_id in pairs:
        out.setdefault(appeal_id, []).append(problems[problem_id])
    return out


def key_problems_for(actor: Actor) -> QuerySet[KeyProblem]:
    if not actor.has_role(Role.SUPERVISOR):
        return KeyProblem.objects.none()
    return KeyProblem.objects.select_related("lead_unit").annotate(
        total=Count("appeals", distinct=True),
        closed=Count("appeals", filter=~Q(appeals__status__in=OPEN_STATUSES), distinct=True),
    )


def key_problem_rows(actor: Actor, *, open_only: bool = False) -> list[dict[str, Any]]:
    qs = key_problems_for(actor)
    if open_only:
        qs = qs.filter(status=KeyProblem.Status.OPEN)
    return [
        {
            "pk": kp.pk,
            "title": kp.title,
            "lead_unit": kp.lead_unit.label,
            "status": kp.get_status_display(),
            "total": kp.total,  # type: ignore[attr-defined]
            "closed": kp.closed,  # type: ignore[attr-defined]
            "created_at": timezone.localtime(kp.created_at).strftime("%Y-%m-%d"),
        }
        for kp in qs
    ]


def key_problem_get(actor: Actor, pk: int) -> KeyProblem:
    kp = key_problems_for(actor).filter(pk=pk).first()
    if kp is None:
        raise NotFound()
    return kp


def repeat_caller_appeals(actor: Actor, phone: str) -> QuerySet[Appeal]:
    """A repeat caller's orders (including the calls merged as repeats), newest first."""
    return (
        Appeal.objects.filter(visible_appeals_q(actor))
        .filter(requester_phone=phone)
        .exclude(status__in=[Status.REFERRED, Status.REFUSED, Status.WITHDRAWN])
        .order_by("-submitted_at")
    )


def suggestion_quality(since: dt.datetime | None = None) -> dict[str, Any]:
    """How often the operators kept the suggestion: the figure that says when to retrain."""
    qs = DispatchSuggestion.objects.filter(chosen_category__isnull=False)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    total = qs.count()
    kept = qs.filter(is_correction=False).count()
    return {
        "decided": total,
        "kept": kept,
        "corrected": total - kept,
        "auto_dispatched": qs.filter(auto_dispatched=True).count(),
        "accuracy": round(100.0 * kept / total, 1) if total else None,
    }


# --- near duplicates ----------------------------------------------------------------------------
# Queries read the band index (AppealFingerprint) *and* scan the indexing queue (FingerprintPending),
# so an appeal is findable from the moment it is committed (ADR 0010; services fills both).

SIMILAR_WINDOW_DAYS = 60
SIMILAR_THRESHOLD = 0.5
# A query scans at most this many queued appeals (newest first); the queue stays near one batch
# per worker while intake runs, so the cap only matters if flushing has stopped.
PENDING_SCAN_MAX = 5000


@dataclass
class SimilarAppeal:
    appeal: Appeal
    similarity: float
    same_requester: bool
    same_place: bool  # the same recorded address
    same_street: bool = False  # the same 街道/乡镇, at another address


def similar_open_appeals(
    actor: Actor, appeal: Appeal, *, limit: int = 5, threshold: float = SIMILAR_THRESHOLD
) -> list[SimilarAppeal]:
    """Open orders that look like the same matter: equal LSH bands (an index lookup) or still in the
    indexing queue, then verified on their signatures."""
    own = dedup.signature(f"{appeal.title}{appeal.content}")
    indexed = (
        AppealFingerprint.objects.filter(band_key__in=dedup.band_keys(own))
        .exclude(appeal_id=appeal.pk)
        .values("appeal_id")
        .annotate(hits=Count("id"))
        .order_by("-hits")
        .values_list("appeal_id", flat=True)[:200]
    )
    queued = FingerprintPending.objects.order_by("-appeal_id").values_list("appeal_id", flat=True)[:PENDING_SCAN_MAX]
    candidate_ids = {*indexed, *queued} - {appeal.pk}
    if not candidate_ids:
        return []
    since = appeal.submitted_at - dt.timedelta(days=SIMILAR_WINDOW_DAYS)
    candidates = list(
        Appeal.objects.filter(visible_appeals_q(actor))
        .filter(pk__in=candidate_ids, status__in=MERGE_TARGET_STATUSES, submitted_at__gte=since)
        .exclude(status=Status.SUBMITTED, pk__gt=appeal.pk)
        .select_related("lead_unit", "division")
    )
    if not candidates:
        return []
    sigs = dedup.signatures([f"{other.title}{other.content}" for other in candidates])
    streets = _streets({appeal.division_id, *(other.division_id for other in candidates)})
    found = []
    for other, sig in zip(candidates, sigs, strict=True):
        score = dedup.estimate_similarity(own, sig)
        if score >= threshold:
            # 同一地点 is the same address; two roads of one street office are only the same street.
            same_place = bool(_place_key(appeal.address) and _place_key(appeal.address) == _place_key(other.address))
            street = streets.get(appeal.division_id)
            found.append(
                SimilarAppeal(
                    appeal=other,
                    similarity=round(score, 2),
                    same_requester=bool(appeal.requester_phone and appeal.requester_phone == other.requester_phone),
                    same_place=same_place,
                    same_street=not same_place and bool(street and street == streets.get(other.division_id)),
                )
            )
    found.sort(key=lambda s: (not s.same_requester, not s.same_place, not s.same_street, -s.similarity))
    return found[:limit]


def _place_key(address: str) -> str:
    """An address compared without spaces and punctuation."""
    return "".join(ch for ch in (address or "") if ch.isalnum())


# --- reply check --------------------------------------------------------------------------------


def reply_warnings(appeal: Appeal, reply: str) -> list[dict[str, Any]]:
    """The reply check's warnings: ``code``, ``params`` (to word it in any language, see
    ``appeals.system_notes``) and the Chinese ``message``. A re-handled order's reply is compared with
    the replies it was sent back over."""
    rejected: list[str] = []
    if appeal.rehandle_count:
        rejected = list(
            AppealEvent.objects.filter(appeal=appeal, action=Action.REPLY)
            .order_by("-pk")
            .values_list("note", flat=True)
        )
    result = replycheck.check_reply(f"{appeal.title}{appeal.content}", reply, rejected=rejected)
    return [{"code": w.code, "message": w.message, "params": dict(w.params)} for w in result.warnings]


# --- training data ------------------------------------------------------------------------------

MIN_PER_CATEGORY = 5
TRAIN_STATUSES = (Status.CLOSED, Status.REPLIED, Status.UNSATISFIED, Status.ANSWERED)


def training_rows(*, since: dt.datetime | None = None) -> tuple[list[str], list[str]]:
    """Texts and category ids of the deployment's own handled appeals (the operators' final choice)."""
    qs = Appeal.objects.filter(status__in=TRAIN_STATUSES, category__isnull=False, category__is_active=True)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    rows = list(qs.values_list("title", "content", "category_id"))
    counts: dict[int, int] = {}
    for _title, _content, cat in rows:
        counts[cat] = counts.get(cat, 0) + 1
    keep = {cat for cat, n in counts.items() if n >= MIN_PER_CATEGORY}
    texts = [f"{title}{content}" for title, content, cat in rows if cat in keep]
    labels = [str(cat) for _t, _c, cat in rows if cat in keep]
    return texts, labels
