"""Appraisal: satisfaction surveys by a sample (群众评事), the rectification a low result opens by
itself and the re-rating that closes it, and the yearly democratic appraisal of each member
(村民委员会组织法 Art. 33: two 不称职 in a row end the office)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import versioned_update
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit

from .. import conf, errors
from ..models import Body, Member, MemberAppraisal, Rectification, SampleEntry, Survey, SurveyRating, Topic
from ..permissions import current_members, resolve, table_roles
from ..states import RECTIFICATION_TRANSITIONS, STAFF, SYSTEM, RectificationAction, RectificationStatus
from .common import fail, local_date, text, transition

LEVELS = SurveyRating.Level
SATISFIED = (LEVELS.SATISFIED, LEVELS.FAIRLY)  # 满意率 = (满意 + 基本满意) / 有效票


def _staff(actor: Actor, unit: OrgUnit) -> None:
    if STAFF not in table_roles(actor, unit):
        raise PermissionDenied()


@transaction.atomic
def survey_open(
    *,
    actor: Actor | User | AnonymousUser,
    unit: OrgUnit,
    title: str,
    sample_body_id: int | None = None,
    sample_users: list[int] | None = None,
    body_id: int | None = None,
    topic_id: int | None = None,
    instrument: str = Survey.Instrument.LEVELS,
    rerates_id: int | None = None,
) -> Survey:
    """A survey of a committee (``body_id``) or a carried-out topic, rated by the members of a body
    (the representatives' meeting) or by listed residents: the sample is fixed when it opens."""
    resolved = resolve(actor)
    _staff(resolved, unit)
    if instrument not in Survey.Instrument.values:
        raise ValidationFailed(_("测评方式无效。"))
    rated = Body.objects.filter(pk=body_id, unit=unit).first() if body_id else None
    topic = Topic.objects.filter(pk=topic_id, unit=unit).first() if topic_id else None
    if (body_id and rated is None) or (topic_id and topic is None) or not (rated or topic):
        raise ValidationFailed(_("请选择被测评的两委或议题。"))
    rectification = None
    if rerates_id:
        rectification = Rectification.objects.filter(pk=rerates_id, unit=unit).first()
        if rectification is None or rectification.status != RectificationStatus.REPORTED:
            raise ValidationFailed(_("只有已报告整改情况的整改任务可以再测评。"))
    entries, design = _sample(unit, sample_body_id, sample_users or [])
    survey = Survey.objects.create(
        unit=unit, title=text(title, label=_("测评名称"), limit=100), body=rated, topic=topic,
        instrument=instrument, sample_design=design, rerates=rectification, threshold=conf.threshold(),
    )  # fmt: skip
    SampleEntry.objects.bulk_create([SampleEntry(survey=survey, user_id=u, name=n) for u, n in entries])
    return survey


def _sample(unit: OrgUnit, body_id: int | None, users: list[int]) -> tuple[list[tuple[int | None, str]], str]:
    if body_id:
        body = Body.objects.filter(pk=body_id, unit=unit).first()
        if body is None:
            raise ValidationFailed(_("测评样本的议事主体不存在。"))
        members = list(current_members(body))
        entries = [(m.user_id, m.name) for m in members]
        design = _("%(body)s全体组成人员（%(n)d人）") % {"body": body.name, "n": len(members)}
    else:
        found = list(User.objects.filter(pk__in=set(users)))
        entries = [(u.pk, getattr(u, "display_name", "") or u.get_username()) for u in found]
        design = _("指定居民（%(n)d人）") % {"n": len(found)}
    if not entries:
        raise ValidationFailed(_("测评样本不能为空。"))
    return entries, design


def _survey(actor: Actor, survey_id: int) -> Survey:
    survey = Survey.objects.select_related("unit").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound()
    if survey.closed_at is not None:
        raise fail(errors.SURVEY_CLOSED)
    return survey


def _clean_ballot(survey: Survey, value: str | int) -> dict[str, object]:
    if survey.instrument == Survey.Instrument.LEVELS:
        if value not in LEVELS.values:
            raise ValidationFailed(_("请选择满意、基本满意或不满意。"))
        return {"level": value}
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = -1
    if not 0 <= score <= 100:
        raise ValidationFailed(_("分数应为0到100的整数。"))
    return {"score": score}


def _rate(survey: Survey, entry: SampleEntry, value: str | int, recorder: User | None) -> None:
    if SurveyRating.objects.filter(entry=entry).exists():
        raise fail(errors.ALREADY_RATED)
    SurveyRating.objects.create(survey=survey, entry=entry, recorded_by=recorder, **_clean_ballot(survey, value))


@transaction.atomic
def survey_rate(*, actor: Actor | User | AnonymousUser, survey_id: int, value: str | int) -> Survey:
    """A resident in the sample rates on their own phone; anyone else is refused."""
    resolved = resolve(actor)
    survey = _survey(resolved, survey_id)
    entry = survey.sample.filter(user=resolved.user).first() if resolved.is_authenticated else None
    if entry is None:
        raise fail(errors.NOT_IN_SAMPLE)
    _rate(survey, entry, value, None)
    return survey


@transaction.atomic
def survey_record(*, actor: Actor | User | AnonymousUser, survey_id: int, ballots: Mapping[int, str | int]) -> Survey:
    """Staff record the paper ballots of a meeting: sample entry id → level or score."""
    resolved = resolve(actor)
    survey = _survey(resolved, survey_id)
    _staff(resolved, survey.unit)
    entries = {e.pk: e for e in survey.sample.filter(pk__in=list(ballots))}
    if set(ballots) - set(entries):
        raise fail(errors.NOT_IN_SAMPLE)
    for entry_id, value in ballots.items():
        _rate(survey, entries[entry_id], value, resolved.user)
    return survey


def satisfaction_of(survey: Survey) -> Decimal | None:
    ratings = survey.ratings.all()
    total = ratings.count()
    if not total:
        return None
    if survey.instrument == Survey.Instrument.LEVELS:
        value = Decimal(ratings.filter(level__in=SATISFIED).count() * 100) / Decimal(total)
    else:
        value = Decimal(str(ratings.aggregate(a=Avg("score"))["a"]))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def survey_close(*, actor: Actor | User | AnonymousUser, survey_id: int, version: int) -> Survey:
    """The result; below the threshold a rectification opens with its deadline, and a re-rating
    closes its rectification when it reaches the threshold (else the rectification is reopened)."""
    resolved = resolve(actor)
    survey = _survey(resolved, survey_id)
    _staff(resolved, survey.unit)
    if survey.version != version:
        raise ConcurrentModification()
    value = satisfaction_of(survey)
    if value is None:
        raise fail(errors.NO_RATINGS)
    versioned_update(Survey.objects.filter(pk=survey.pk), expected_version=version, closed_at=timezone.now(),
                     satisfaction=value)  # fmt: skip
    survey.refresh_from_db()
    passed = value >= survey.threshold
    if survey.rerates_id:
        rect = Rectification.objects.select_for_update().get(pk=survey.rerates_id)
        action = RectificationAction.PASS if passed else RectificationAction.FAIL
        fields: dict[str, Any] = {"closed_at": timezone.now()} if passed else {"due": _rectify_due()}
        transition(
            RECTIFICATION_TRANSITIONS, rect, action=action, roles={SYSTEM}, version=None,
            choices=RectificationStatus, noun=_("整改任务"), **fields,
        )  # fmt: skip
    elif not passed:
        Rectification.objects.create(survey=survey, unit=survey.unit, due=_rectify_due())
    return survey


def _rectify_due() -> dt.date:
    return WorkCalendar().add_workdays(local_date(), conf.rectify_workdays())


@transaction.atomic
def rectification_report(
    *, actor: Actor | User | AnonymousUser, rectification_id: int, version: int, note: str
) -> Rectification:
    resolved = resolve(actor)
    rect = Rectification.objects.select_related("unit").filter(pk=rectification_id).first()
    if rect is None:
        raise NotFound()
    roles = table_roles(resolved, rect.unit)
    cleaned = transition(
        RECTIFICATION_TRANSITIONS, rect, action=RectificationAction.REPORT, roles=roles, version=version,
        choices=RectificationStatus, noun=_("整改任务"), note=note, reported_at=timezone.now(),
    )  # fmt: skip
    Rectification.objects.filter(pk=rect.pk).update(report=cleaned)
    rect.refresh_from_db()
    return rect


def appraisal_result(competent: int, fairly: int, incompetent: int) -> str:
    """More than half 不称职 → 不称职; more than half 称职 → 称职; otherwise 基本称职."""
    total = competent + fairly + incompetent
    if incompetent * 2 > total:
        return MemberAppraisal.Result.INCOMPETENT
    if competent * 2 > total:
        return MemberAppraisal.Result.COMPETENT
    return MemberAppraisal.Result.FAIRLY


@transaction.atomic
def member_appraisal_record(
    *, actor: Actor | User | AnonymousUser, member_id: int, year: int, competent: int, fairly: int, incompetent: int
) -> MemberAppraisal:
    """Record a member's yearly appraisal; flag when it is the second 不称职 in a row."""
    resolved = resolve(actor)
    member = Member.objects.select_related("body__unit").filter(pk=member_id).first()
    if member is None:
        raise NotFound()
    _staff(resolved, member.body.unit)
    if min(competent, fairly, incompetent) < 0 or competent + fairly + incompetent == 0:
        raise ValidationFailed(_("请填写各档票数（非负整数，合计大于零）。"))
    if not 2000 <= year <= local_date().year:
        raise ValidationFailed(_("评议年度无效。"))
    if MemberAppraisal.objects.filter(member=member, year=year).exists():
        raise fail(errors.APPRAISAL_EXISTS)
    result = appraisal_result(competent, fairly, incompetent)
    previous = MemberAppraisal.objects.filter(member=member, year=year - 1).first()
    ends = result == MemberAppraisal.Result.INCOMPETENT and bool(
        previous and previous.result == MemberAppraisal.Result.INCOMPETENT
    )
    return MemberAppraisal.objects.create(
        member=member, year=year, competent=competent, fairly=fairly, incompetent=incompetent, result=result,
        office_ends=ends,
    )  # fmt: skip
