"""Figures of the deputies' loops, and each deputy's 履职 record with the 述职 report made from it.

落实率 (suggestions whose reply was A, or B delivered) and 满意率 are reported separately
(青岛市代表建议工作条例 Art. 31)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from . import states
from .models import DeputyProfile, Draft, FiledDocument, MediationCase, Opinion, Reception, Suggestion


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    drafts: list[dict[str, Any]] = field(default_factory=list)
    receptions: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, Any] = field(default_factory=dict)
    mediation: dict[str, Any] = field(default_factory=dict)
    filing: dict[str, Any] = field(default_factory=dict)


def draft_rows() -> list[dict[str, Any]]:
    adopted = Q(opinions__outcome__in=[Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY])
    rows = Draft.objects.annotate(total=Count("opinions"), adopted=Count("opinions", filter=adopted)).order_by("-pk")
    return [{"title": d.title, "total": d.total, "adopted": d.adopted, "rate": _rate(d.adopted, d.total)} for d in rows]


def suggestion_figures() -> dict[str, Any]:
    rows = list(Suggestion.objects.exclude(status__in=[states.SUBMITTED_S, states.REJECTED]))
    replied = [s for s in rows if s.replied_at]
    delivered = [s for s in replied if s.reply_class == "A" or (s.reply_class == "B" and s.delivered_at)]
    rated = [s for s in rows if s.result]
    satisfied = [
        s
        for s in rated
        if s.result != Suggestion.Satisfaction.DISSATISFIED and s.attitude != Suggestion.Satisfaction.DISSATISFIED
    ]
    return {
        "assigned": len(rows),
        "replied": len(replied),
        "reply_rate": _rate(len(replied), len(rows)),
        "delivery_rate": _rate(len(delivered), len(replied)),
        "satisfaction_rate": _rate(len(satisfied), len(rated)),
        "classes": sorted(Counter(s.reply_class for s in replied).items()),
    }


def mediation_figures() -> dict[str, Any]:
    cases = list(MediationCase.objects.all())
    finished = [c for c in cases if c.status in (states.EFFECTIVE, states.PERFORMED, states.ENDED, states.REFUSED)]
    settled = [c for c in cases if c.effective_at]
    days = sorted((c.effective_at - c.registered_at).days for c in settled if c.effective_at)
    labels = dict(MediationCase.Category.choices)
    return {
        "total": len(cases),
        "by_category": [(str(labels.get(k, k)), n) for k, n in Counter(c.category for c in cases).most_common()],
        "success_rate": _rate(len(settled), len(finished)),
        "median_days": days[len(days) // 2] if days else None,
    }


def filing_figures() -> dict[str, Any]:
    docs = list(FiledDocument.objects.all())
    reviewed = [d for d in docs if d.outcome]
    return {
        "filed": len(docs),
        "on_time": sum(1 for d in docs if not d.is_late),
        "on_time_rate": _rate(sum(1 for d in docs if not d.is_late), len(docs)),
        "reviewed": len(reviewed),
        "to_correct": sum(1 for d in reviewed if d.outcome != FiledDocument.Outcome.NO_PROBLEM),
    }


def all_figures() -> Figures:
    routing = dict(Reception.objects.values_list("routing").annotate(n=Count("pk")).values_list("routing", "n"))
    labels = dict(Reception.Routing.choices)
    return Figures(
        drafts=draft_rows(),
        receptions={str(labels.get(k, k)): v for k, v in sorted(routing.items())},
        suggestions=suggestion_figures(),
        mediation=mediation_figures(),
        filing=filing_figures(),
    )


def duty_record(deputy: DeputyProfile) -> dict[str, Any]:
    """What the deputy did: receptions by routing, suggestions and their answers, mediations, visits."""
    receptions = list(deputy.receptions.all())
    suggestions = list(deputy.suggestions.all())
    mediations = MediationCase.objects.filter(
        source=MediationCase.Source.RECEPTION, facts__in=[r.matter for r in receptions]
    )
    days = {r.received_at.date() for r in receptions}
    routing = Counter(r.get_routing_display() for r in receptions)
    replied = [s for s in suggestions if s.replied_at]
    satisfied = [s for s in suggestions if s.result and s.result != Suggestion.Satisfaction.DISSATISFIED]
    report = [
        _("%(name)s（%(level)s）履职情况报告")
        % {"name": deputy.name, "level": deputy.level or deputy.get_kind_display()},
        _("一、联系群众：在%(station)s参加接待选民活动%(days)d次，接待群众%(n)d人次。")
        % {"station": deputy.station.name if deputy.station else "—", "days": len(days), "n": len(receptions)},
        _("其中当场答复%(a)d件，转12345热线%(b)d件，形成建议%(c)d件，转调解%(d)d件，转社区协商%(e)d件。")
        % {
            "a": routing.get(str(Reception.Routing.ANSWERED.label), 0),
            "b": routing.get(str(Reception.Routing.APPEAL.label), 0),
            "c": routing.get(str(Reception.Routing.SUGGESTION.label), 0),
            "d": routing.get(str(Reception.Routing.MEDIATION.label), 0),
            "e": routing.get(str(Reception.Routing.COMMUNITY.label), 0),
        },
        _("二、提出建议：共提出建议%(n)d件，已答复%(r)d件，对办理结果满意或基本满意%(s)d件。")
        % {"n": len(suggestions), "r": len(replied), "s": len(satisfied)},
        _("三、化解矛盾：参与代表调解室调解纠纷%(m)d起。") % {"m": mediations.count()},
    ]
    return {
        "receptions": len(receptions),
        "reception_days": len(days),
        "routing": sorted(routing.items()),
        "suggestions": suggestions,
        "replied": len(replied),
        "satisfied": len(satisfied),
        "mediations": mediations.count(),
        "report": report,
    }
