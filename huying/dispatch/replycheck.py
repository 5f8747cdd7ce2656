"""Reply check (答复质量检查): warn when a unit's reply does not address the citizen's appeal.

A deliberately simple, explainable check — every warning says why, in Simplified Chinese, and carries
its evidence. Pure Python, no Django. Steps:

1. Both texts go through :func:`huying.dispatch.normalize.normalize_text`.
2. The reply is cut into clauses (at 。!?;:, and spaces). A clause is *formula* (套话) when it is a
   salutation (``网友“…”:您好``), an acknowledgement (``留言已收悉``), a lead-in (``现将有关情况回复如下``),
   thanks (``感谢您对我们工作的支持``), a closing (``特此回复``, ``如有疑问请致电…``), a date or a
   signature (``××局 2019年1月1日``); *transfer* (转办) when it only says the matter was passed on
   (``已转市住建局调查处理``). What is left is the substantive text; quoted echoes of the appeal
   (``您反映的“××小区停车难”``) do not count towards its length.
3. Relevance (``score``, 0..1) is an IDF-weighted overlap of character bigrams between the appeal and
   the reply's non-formula text: Σ idf(shared) / √(Σ idf(appeal) · Σ idf(reply)) over bigram *sets*.
   The IDF table is small and built in (bigrams frequent in the calibration corpus; anything else gets
   ``default_idf``), so the check works without any data files. Bigrams beat jieba words on the
   calibration corpus (see ``bench/replycheck.py``); ``tokenizer="jieba"`` is available when jieba
   is importable and falls back to bigrams otherwise.
4. Warnings (stable ``code``): ``too_short``, ``boilerplate``, ``transfer_only``, ``off_topic``,
   ``no_action``; when other replies are given, ``duplicate``; when the replies the order was sent
   back over (退回重办) are given, ``same_as_rejected``. ``ok`` is true when there are none. Each
   warning carries its figures in ``params`` so that a page can word it in the reader's language.

Thresholds in :data:`DEFAULT` were picked by ``bench/replycheck.py`` on a calibration half of
``messages_with_replies.csv`` (2,816 real appeal/reply pairs) and checked on the other half.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .normalize import normalize_text
from .replycheck_data import ACTION_WORDS, IDF_DEFAULT, IDF_TABLE

__all__ = [
    "DEFAULT",
    "ReplyCheck",
    "ReplyCheckConfig",
    "ReplyWarning",
    "check_reply",
    "judge_reply",
    "measure_reply",
    "relevance",
    "split_reply",
    "terms",
]


@dataclass(frozen=True)
class ReplyCheckConfig:
    """Thresholds of the check; :data:`DEFAULT` holds the calibrated values."""

    too_short_chars: int = 15  # fewer content characters in the whole reply → too_short
    min_substance: int = 10  # fewer substantive characters (formulas, transfers, echoes removed) → boilerplate
    min_relevance: float = 0.0175  # relevance score below this → off_topic (bigram tokenizer)
    min_relevance_jieba: float = 0.027  # the same for tokenizer="jieba" (same false warning share on calibration)
    no_action_max_chars: int = 0  # no_action only up to this many substantive chars (0: off, see bench)
    warn_transfer_only: bool = True  # a reply that only says "已转××处理" is warned (transfer_only)
    duplicate_similarity: float = 0.9  # Jaccard of substantive bigram sets → duplicate
    rejected_similarity: float = 0.6  # the same against a reply the order was sent back over → same_as_rejected
    tokenizer: str = "bigram"  # "bigram" or "jieba" (falls back to bigrams when jieba is missing)
    idf: Mapping[str, float] | None = None  # None: the built-in table
    default_idf: float | None = None  # idf of a term not in the table; None: the table's own default
    max_keywords: int = 8
    action_words: tuple[str, ...] = ACTION_WORDS


DEFAULT = ReplyCheckConfig()


@dataclass(frozen=True)
class ReplyWarning:
    code: str
    message: str
    evidence: tuple[str, ...] = ()
    params: tuple[tuple[str, str | int | float], ...] = ()  # the figures in the message, by name


@dataclass
class ReplyCheck:
    ok: bool
    score: float
    warnings: list[ReplyWarning] = field(default_factory=list)
    substantive_chars: int = 0
    shared_keywords: list[str] = field(default_factory=list)
    boilerplate_phrases: list[str] = field(default_factory=list)
    transfer_phrases: list[str] = field(default_factory=list)
    action_words: list[str] = field(default_factory=list)
    total_chars: int = 0
    tokenizer: str = "bigram"
    reply: str = field(default="", repr=False)  # the normalised reply
    substance: str = field(default="", repr=False)  # its substantive text

    @property
    def codes(self) -> list[str]:
        return [w.code for w in self.warnings]


# --------------------------------------------------------------------------------------------------
# Clause classification
# --------------------------------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[。!?;:,，！？；：\s]+")
_CONTENT = re.compile(r"[\u3400-\u9fffa-z0-9]")
_DATE = re.compile(r"\d{2,4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
_DATE_GLUED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}[日号])(?=[^\s。!?;:,，！？；：])")
_WHO = r"(?:尊敬的|亲爱的)?(?:网友|网民朋友|网民|市民朋友|市民|来信人|来信同志|市民同志|同志|朋友|群众|先生|女士)?"
_QUOTED_ID = r"(?:[“\"][^”\"]{0,24}[”\"])?"
_ORG_SUFFIX = (
    r"(?:局|办|办公室|委员会|委|政府|中心|街道|办事处|法院|检察院|公司|大队|支队|中队|党委|党组|院|所|处|厅|部|站|队|"
    r"学校|医院|镇|乡|社区|村委会|管委会)"
)

_FORMULAS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # salutations
        rf"^{_WHO}\s*{_QUOTED_ID}\s*(?:您|你)好$",
        rf"^(?:尊敬的|亲爱的){_WHO}\s*{_QUOTED_ID}$",
        r"^(?:网友|网民朋友|网民|市民朋友|市民|来信人|来信同志|市民同志)\s*" + _QUOTED_ID + r"$",
        r"^[“\"][a-z0-9_]{0,24}[”\"]$",
        r"^(?:您|你)好$",
        # acknowledgements, lead-ins
        r"^.{0,30}(?:收悉|获悉|已阅|已经收到|已收到)$",
        r"^(?:收悉|来信收悉|来函收悉|函件收悉)$",
        r"^.{0,20}(?:答复|回复|说明)如下$",
        r"^(?:现|特)?(?:将|就)?.{0,12}(?:答复|回复)(?:如下)?$",
        r"^(?:具体|有关|相关)?情况如下$",
        r"^特此(?:答复|回复|函告|说明)$",
        r"^(?:关于|对于|针对)?(?:您|你)(?:所)?(?:反映|提出|咨询|留言)的(?:问题|情况|事项|诉求|意见|建议)$",
        r"^.{0,10}(?:高度重视|非常重视|十分重视)$",
        # thanks, wishes, closings
        r"^.{0,8}(?:感谢|谢谢|多谢).{0,36}$",
        r"^(?:祝|敬祝)(?:您|你).{0,12}$",
        r"^(?:敬请|请)(?:关注|留意|谅解|理解|耐心等待).{0,10}$",
        r"^(?:欢迎|希望)(?:您|你)?(?:继续|多)?(?:提出|多提|关注|监督|支持).{0,16}$",
        r"^.{0,24}(?:联系电话|咨询电话|服务热线|热线电话|致电|来电|电话联系|直接联系|与我们联系|联系咨询)"
        r"[^\u3400-\u9fff]{0,30}$",
        r"^[0-9()\-—\s]{7,}.{0,8}$",
        r"^如(?:您|你|果)?(?:您|你)?(?:还|仍|再)?(?:有|对).{0,24}(?:疑问|问题|意见|建议|不满意|异议|情况)$",
        r"^(?:以上|上述).{0,24}(?:答复|回复)$",
        r"^(?:如有|如果有)(?:相关|其他|新的)?情况.{0,12}(?:回复|反馈|告知)$",
        r"^(?:处理|办理|调查)(?:情况|结果)(?:会|将)(?:及时)?向您反馈$",
        # dates and signatures
        r"^\d{2,4}年\d{1,2}月\d{1,2}[日号]$",
        r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$",
        r"^(?!.*(?:已|请|的|在|至|向|将|由|是|对|了|但|按|以|正|并|根据|建议|目前|访问|争取|咨询|联系|下放|负责|管理权))[\u3400-\u9fffa-z0-9()（）]{2,20}"
        + _ORG_SUFFIX
        + r"(?:\d{2,4}年\d{1,2}月\d{1,2}[日号])?$",
    )
)
# A signature is only a signature at the end of the reply; elsewhere "××局" may be content.
_SIGNATURE = _FORMULAS[-1]

_TRANSFER = re.compile(
    r"(?:已经?|将|并)[^,。]{0,14}?(?:移交|移送|交由|交办|交给|(?<![中运接周扭好流旋翻逆婉辗])转(?!变|入|正|移|让|学|岗|为|型|换|化|账|出|运|卖|包|租|贷|诊|院|业|籍|告|达))"
)


def _content_len(s: str) -> int:
    return len(_CONTENT.findall(s))


def split_reply(reply: str) -> list[tuple[str, str]]:
    """Cut a normalised reply into clauses, each tagged ``formula``, ``transfer`` or ``content``."""
    reply = _DATE_GLUED.sub(r"\1 ", reply)
    raw = [c for c in _CLAUSE_SPLIT.split(reply) if c and _content_len(c)]
    out: list[tuple[str, str]] = []
    n = len(raw)
    for i, c in enumerate(raw):
        kind = "content"
        tail = i >= n - 3 and all(_content_len(x) <= 30 for x in raw[i:])
        if _content_len(c) <= 40 and _TRANSFER.search(c):
            kind = "transfer"
        elif _content_len(c) <= 60 and any(
            p.search(c) for p in _FORMULAS if p is not _SIGNATURE or tail or _DATE.search(c)
        ):
            kind = "formula"
        out.append((c, kind))
    return out


_QUOTE = re.compile(r"[“\"《]([^”\"》]{2,80})[”\"》]")


# --------------------------------------------------------------------------------------------------
# Terms and IDF
# --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:市|区|县)?|[\u3400-\u9fff]+")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    try:
        import jieba
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    jieba.setLogLevel(60)
    return jieba


def terms(text: str, tokenizer: str = "bigram") -> set[str]:
    """Key terms of a normalised text: character bigrams of CJK runs plus letter codes (``a2区``).

    With ``tokenizer="jieba"`` (and jieba importable) CJK runs are cut into jieba words of two or more
    characters instead. Pure digits are ignored (dates, phone numbers)."""
    seg = _jieba() if tokenizer == "jieba" else None
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        w = m.group()
        if not _is_cjk(w[0]):
            out.add(w)
        elif seg is not None:
            out.update(t for t in seg.cut(w) if len(t) >= 2)
        else:
            out.update(w[i : i + 2] for i in range(len(w) - 1))
    return out


# The built-in IDF table: replycheck_data (generated by ``bench/replycheck.py --emit-idf``).
_IDF_DEFAULT = IDF_DEFAULT
_MIN_KEYWORD_WEIGHT = 2.0  # shared runs lighter than this ("问题", "反映") are not shown as keywords
_IDF_TABLE = IDF_TABLE


@lru_cache(maxsize=1)
def _builtin_idf() -> dict[str, float]:
    table: dict[str, float] = {}
    for line in _IDF_TABLE.strip().splitlines():
        value, _, words = line.partition(":")
        for w in words.split():
            table[w] = float(value)
    return table


def _idf(config: ReplyCheckConfig) -> tuple[Mapping[str, float], float]:
    table = config.idf if config.idf is not None else _builtin_idf()
    default = config.default_idf if config.default_idf is not None else _IDF_DEFAULT
    return table, default


def relevance(
    appeal_terms: set[str], reply_terms: set[str], idf: Mapping[str, float], default_idf: float
) -> tuple[float, set[str]]:
    """IDF-weighted set overlap (Ochiai form) and the shared terms."""
    if not appeal_terms or not reply_terms:
        return 0.0, set()
    shared = appeal_terms & reply_terms
    wa = sum(idf.get(t, default_idf) for t in appeal_terms)
    wr = sum(idf.get(t, default_idf) for t in reply_terms)
    ws = sum(idf.get(t, default_idf) for t in shared)
    return ws / math.sqrt(wa * wr), shared


def _keywords(text: str, shared: set[str], idf: Mapping[str, float], default_idf: float, limit: int) -> list[str]:
    """Readable shared keywords: maximal runs of the reply whose bigrams all occur in the appeal."""
    runs: dict[str, float] = {}
    for m in _TOKEN.finditer(text):
        w = m.group()
        if not _is_cjk(w[0]):
            if w in shared:
                runs[w] = max(runs.get(w, 0.0), idf.get(w, default_idf))
            continue
        i = 0
        while i < len(w) - 1:
            j = i
            while j < len(w) - 1 and w[j : j + 2] in shared:
                j += 1
            if j > i:
                run = w[i : j + 1]
                weight = sum(idf.get(run[k : k + 2], default_idf) for k in range(len(run) - 1))
                runs[run] = max(runs.get(run, 0.0), weight)
                i = j
            else:
                i += 1
    # drop runs contained in a longer kept run, and weak single generic bigrams
    ordered = sorted(runs.items(), key=lambda kv: (-kv[1], kv[0]))
    kept: list[str] = []
    for run, weight in ordered:
        if weight < _MIN_KEYWORD_WEIGHT:
            continue
        if any(run in k for k in kept):
            continue
        kept.append(run)
        if len(kept) >= limit:
            break
    return kept


def _bigrams(s: str) -> set[str]:
    s = "".join(_CONTENT.findall(s))
    return {s[i : i + 2] for i in range(len(s) - 1)}


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------


def _shown(formulas: list[str]) -> list[str]:
    """Formulas worth quoting in a message: not bare salutations, user ids or dates."""
    keep = [f for f in formulas if _content_len(f) >= 4 and "“" not in f and not _DATE.search(f)]
    return keep or formulas


def _quote(items: Iterable[str], limit: int = 3) -> str:
    items = list(items)
    shown = "、".join(f"“{x}”" for x in items[:limit])
    return shown + ("等" if len(items) > limit else "")


def measure_reply(appeal_text: str, reply_text: str, *, config: ReplyCheckConfig = DEFAULT) -> ReplyCheck:
    """Everything the check looks at (score, evidence), without warnings; see :func:`judge_reply`."""
    appeal = normalize_text(appeal_text)
    reply = normalize_text(reply_text)
    clauses = split_reply(reply)
    formulas = [c for c, k in clauses if k == "formula"]
    transfers = [c for c, k in clauses if k == "transfer"]
    content = [c for c, k in clauses if k == "content"]
    content_text = "。".join(content)

    # substantive text: content clauses minus quoted echoes of the appeal
    appeal_bigrams = _bigrams(appeal)
    substance = content_text
    for m in _QUOTE.finditer(content_text):
        q = _bigrams(m.group(1))
        if q and len(q & appeal_bigrams) >= 0.6 * len(q):
            substance = substance.replace(m.group(0), "")

    idf, default_idf = _idf(config)
    tokenizer = config.tokenizer if config.tokenizer == "jieba" and _jieba() is not None else "bigram"
    scored_text = "。".join(content + transfers)
    score, shared = relevance(terms(appeal, tokenizer), terms(scored_text, tokenizer), idf, default_idf)
    if tokenizer == "bigram":
        keywords = _keywords(scored_text, shared, idf, default_idf, config.max_keywords)
    else:
        keywords = sorted(shared, key=lambda t: (-idf.get(t, default_idf), t))[: config.max_keywords]
    return ReplyCheck(
        ok=True,
        score=round(score, 4),
        tokenizer=tokenizer,
        total_chars=_content_len(reply),
        substantive_chars=_content_len(substance),
        shared_keywords=keywords,
        boilerplate_phrases=formulas,
        transfer_phrases=transfers,
        action_words=[w for w in config.action_words if w in substance],
        reply=reply,
        substance=substance,
    )


def judge_reply(
    measured: ReplyCheck,
    *,
    config: ReplyCheckConfig = DEFAULT,
    others: Iterable[str] = (),
    rejected: Iterable[str] = (),
) -> ReplyCheck:
    """Apply the thresholds of ``config`` to a :func:`measure_reply` result (a new object is returned).
    ``others``: replies to other appeals; ``rejected``: earlier replies to this one that were sent back."""
    m = measured
    warnings: list[ReplyWarning] = []
    warn = warnings.append
    if m.total_chars < config.too_short_chars:
        warn(
            ReplyWarning(
                "too_short",
                f"答复过短，未说明办理结果（全文仅{m.total_chars}字）",
                (m.reply,) if m.reply else (),
                (("chars", m.total_chars),),
            )
        )
    elif m.substantive_chars < config.min_substance:
        if m.transfer_phrases and config.warn_transfer_only:
            warn(
                ReplyWarning(
                    "transfer_only",
                    f"答复仅说明已转交办理，未说明办理结果（转办：{_quote(m.transfer_phrases)}）",
                    tuple(m.transfer_phrases),
                    (("phrases", _quote(m.transfer_phrases)),),
                )
            )
        elif m.transfer_phrases:
            pass  # transfer notices tolerated by configuration
        elif m.boilerplate_phrases:
            warn(
                ReplyWarning(
                    "boilerplate",
                    f"答复为套话，未说明具体措施（套话：{_quote(_shown(m.boilerplate_phrases))}；"
                    f"有效内容仅{m.substantive_chars}字）",
                    tuple(m.boilerplate_phrases),
                    (("phrases", _quote(_shown(m.boilerplate_phrases))), ("chars", m.substantive_chars)),
                )
            )
        else:
            warn(
                ReplyWarning(
                    "too_short",
                    f"答复过短，未说明办理结果（有效内容仅{m.substantive_chars}字）",
                    (m.reply,),
                    (("chars", m.substantive_chars),),
                )
            )
    else:
        threshold = config.min_relevance_jieba if m.tokenizer == "jieba" else config.min_relevance
        if m.score < threshold:
            shown = "、".join(m.shared_keywords[:5]) if m.shared_keywords else "无"
            warn(
                ReplyWarning(
                    "off_topic",
                    f"答复与诉求内容关联度低（关联度{m.score:.3f}，共同关键词：{shown}）",
                    tuple(m.shared_keywords),
                    (("score", m.score), ("keywords", "、".join(m.shared_keywords[:5]))),
                )
            )
        if not m.action_words and m.substantive_chars <= config.no_action_max_chars:
            warn(
                ReplyWarning(
                    "no_action",
                    "答复未说明核查经过、处理措施或政策依据（未见“经查”“已”“依据”“规定”等词）",
                )
            )

    warnings += _repeat_warnings(m, config, others, rejected)
    return replace(m, ok=not warnings, warnings=warnings)


def _repeat_warnings(
    m: ReplyCheck, config: ReplyCheckConfig, others: Iterable[str], rejected: Iterable[str]
) -> list[ReplyWarning]:
    """``duplicate`` (like another order's reply) and ``same_as_rejected`` (like the reply this order
    was sent back over)."""
    warnings: list[ReplyWarning] = []
    warn = warnings.append
    others = list(others)
    if others and m.substantive_chars >= config.min_substance:
        best, best_other = _most_similar(_bigrams(m.substance), others)
        if best >= config.duplicate_similarity:
            warn(
                ReplyWarning(
                    "duplicate",
                    f"答复与另一工单答复几乎相同（相似度{best:.0%}）",
                    (best_other[:80],),
                    (("similarity", round(best, 2)),),
                )
            )
    rejected = [r for r in rejected if r.strip()]
    if rejected:
        # A re-handled order must not get the answer it was sent back over (退回重办) once more.
        mine = _bigrams(m.substance) or _bigrams(m.reply)
        best, best_other = _most_similar(mine, rejected)
        if best >= config.rejected_similarity:
            warn(
                ReplyWarning(
                    "same_as_rejected",
                    f"答复与退回重办前的答复几乎相同（相似度{best:.0%}），请说明重办采取了哪些新措施、结果如何",
                    (best_other[:80],),
                    (("similarity", round(best, 2)),),
                )
            )
    return warnings


def _most_similar(mine: set[str], others: Iterable[str]) -> tuple[float, str]:
    """The highest Jaccard similarity of substantive bigrams between ``mine`` and one of ``others``."""
    best, best_other = 0.0, ""
    for other in others:
        normal = normalize_text(other)
        theirs = _bigrams("。".join(c for c, k in split_reply(normal) if k == "content")) or _bigrams(normal)
        union = len(mine | theirs)
        sim = len(mine & theirs) / union if union else 0.0
        if sim > best:
            best, best_other = sim, other
    return best, best_other


def check_reply(
    appeal_text: str,
    reply_text: str,
    *,
    config: ReplyCheckConfig = DEFAULT,
    others: Iterable[str] = (),
    rejected: Iterable[str] = (),
) -> ReplyCheck:
    """Check one reply against its appeal. ``others``: replies to other appeals, for ``duplicate``;
    ``rejected``: this appeal's replies it was sent back over (退回重办), for ``same_as_rejected``."""
    measured = measure_reply(appeal_text, reply_text, config=config)
    return judge_reply(measured, config=config, others=others, rejected=rejected)
