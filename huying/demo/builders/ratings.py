"""The ratings builder: rate recent acts of each kind (12345 orders, applications, window visits).

Mostly 满意/非常满意, a few 差评 whose cases stand at each stage, one upheld complaint.
Idempotent: an act already rated is left alone, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.appeals import ratings as appeal_ratings
from huying.applications import selectors as application_selectors
from huying.core.errors import HuyingError, ValidationFailed
from huying.core.notify import sms_muted
from huying.core.registry import RatedAct
from huying.halls import selectors as hall_selectors
from huying.ratings import services
from huying.ratings.models import Complaint, Rating, RectificationCase
from huying.ratings.states import (
    BAD_LEVELS,
    UNIT_STAFF_ROLES,
    CaseAction,
    CaseStatus,
    Channel,
    ComplaintReason,
    Resolution,
    RevisitView,
    Source,
)

from ..registry import DemoRun

# A realistic mix: mostly good, one in ten or so bad.
MIX = [5, 5, 4, 5, 4, 5, 3, 5, 2, 5, 4, 5, 5, 1, 4, 5, 5, 3, 4, 2]
GOOD_COMMENTS = ["", "办事很快，一次办好", "工作人员很耐心", "", "材料一次说清楚了", ""]
BAD_COMMENTS = [
    "窗口人员态度冷淡，问了两遍才回答",
    "材料清单和实际要求不一致，跑了两趟",
    "排队时间太长，叫号系统不准",
    "答复没有解决我的问题",
]
# The stage each successive bad rating's case is brought to.
STAGES = [
    CaseStatus.OPEN,
    CaseStatus.VERIFIED,
    CaseStatus.RECTIFIED,
    CaseStatus.EXPLAINED,
    CaseStatus.ANSWERED,
    CaseStatus.REVISITED,
    CaseStatus.CLOSED,
]
ONLINE = [Channel.WEB, Channel.APP, Channel.QRCODE]

Sampler = Callable[[int], list[RatedAct]]
# Recent acts nobody has rated yet, per kind: sampler(limit) -> list[RatedAct].
SAMPLERS: dict[str, Sampler] = {
    "appeal": appeal_ratings.rating_samples,
    "application": application_selectors.application_samples,
    "window_visit": hall_selectors.window_visit_samples,
}


def _first_with(roles: set[str], path: str = "") -> User | None:
    q = Q(role__in=roles)
    rows = RoleAssignment.objects.filter(q).select_related("user", "org_unit").order_by("pk")
    for ra in rows:
        if not path or path.startswith(ra.org_unit.path):
            return ra.user
    return None


def build(run: DemoRun, samplers: dict[str, Sampler] | None = None) -> None:
    with sms_muted():  # made-up raters' phones: nothing texted to them
        _RatingDemo(run).build(SAMPLERS if samplers is None else samplers)


class _RatingDemo:
    def __init__(self, run: DemoRun):
        self.run = run

    def build(self, samplers: dict[str, Sampler]) -> None:
        rated = skipped = failed = 0
        bad_index = 0
        for kind, sampler in samplers.items():
            acts: list[RatedAct] = list(sampler(self.run.ratings_per_kind))
            for i, act in enumerate(acts):
                if Rating.objects.filter(kind=act.kind, ref=act.ref).exists():
                    skipped += 1
                    continue
                level = MIX[(i + len(kind)) % len(MIX)]
                try:
                    rating = self._rate(act, level, i)
                except HuyingError as exc:
                    failed += 1
                    self.run.warn(f"  未评价 {kind}:{act.ref}：{exc.message}")
                    continue
                rated += 1
                if rating.level in BAD_LEVELS:
                    self._advance(rating, STAGES[bad_index % len(STAGES)])
                    bad_index += 1
        upheld = self._one_upheld_complaint()
        self.run.write(
            f"好差评演示数据：新评价 {rated} 件，已评价跳过 {skipped} 件，无法评价 {failed} 件"
            f"{'，申诉成立 1 件' if upheld else ''}。"
        )

    def _rate(self, act: RatedAct, level: int, i: int) -> Rating:
        """As the rules have it: the served person rates (online with their account, by the SMS link
        to the phone they gave, on the window's rating device); a 12345 回访 is recorded by the
        operator who called; a paper form is typed in by a colleague, never by whoever served."""
        now = min(act.occurred_at + dt.timedelta(hours=2), timezone.now())
        comment = BAD_COMMENTS[i % len(BAD_COMMENTS)] if level in BAD_LEVELS else GOOD_COMMENTS[i % len(GOOD_COMMENTS)]
        common: dict[str, Any] = {"level": level, "comment": comment, "now": now}
        rater = User.objects.filter(pk=act.rater_user_id).first() if act.rater_user_id else None
        if act.kind == "appeal":
            operator = _first_with({Role.OPERATOR})
            if operator is not None and operator.pk not in act.served_by:
                return services.rating_submit(
                    kind=act.kind, ref=act.ref, channel=Channel.HOTLINE, staff=operator, **common
                )
        if rater is not None and rater.pk not in act.served_by and (act.kind == "application" or i % 2):
            channel = ONLINE[i % len(ONLINE)]
            return services.rating_submit(kind=act.kind, ref=act.ref, channel=channel, user=rater, **common)
        if act.kind == "window_visit" and i % 5 == 4:
            entry = self._paper_form_typist(act)
            if entry is not None:
                dims = {"service_efficiency": level, "service_attitude": max(1, level - (i % 2))}
                return services.rating_submit(
                    kind=act.kind, ref=act.ref, channel=Channel.DEVICE, staff=entry, dimensions=dims, **common
                )
        source = Source.SMS if act.rater_phone and (act.kind != "window_visit" or i % 3 == 0) else Source.DEVICE
        if act.kind != "window_visit" and source == Source.DEVICE:
            raise ValidationFailed("没有联系电话，办事人无法通过短信评价")
        token = services.rating_link_token(kind=act.kind, ref=act.ref, source=source)
        return services.rating_submit_by_link(token=token, **common)

    @staticmethod
    def _paper_form_typist(act: RatedAct) -> User | None:
        """A hall manager types in a paper rating form (窗口代录), unless they served the visit."""
        for ra in RoleAssignment.objects.filter(role=Role.HALL_MANAGER).select_related("user").order_by("pk"):
            if ra.user.pk not in act.served_by:
                return ra.user
        return None

    def _advance(self, rating: Rating, stage: str) -> None:
        case = RectificationCase.objects.select_related("unit").get(rating=rating)
        unit_path = case.unit.path if case.unit is not None else ""
        staff = _first_with(set(UNIT_STAFF_ROLES), unit_path) if unit_path else None
        supervisor = _first_with({Role.SUPERVISOR}, unit_path)
        if staff is None:
            return
        now = min(case.created_at + dt.timedelta(hours=3), timezone.now())
        steps: list[tuple[str, dict[str, Any]]] = [
            (CaseAction.VERIFY, {"note": "已电话联系评价人，核实情况属实", "contact_person": str(staff)}),
        ]
        if stage == CaseStatus.EXPLAINED:
            steps.append(
                (
                    CaseAction.EXPLAIN,
                    {
                        "note": "涉及系统改造，一时难以解决，已建立台账限期整改",
                        "resolution": Resolution.SCHEDULED,
                        "ledger_entry": f"好差评整改台账-{case.pk:04d}",
                        "rectify_by": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
                    },
                )
            )
        else:
            steps.append((CaseAction.RECTIFY, {"note": "已对相关窗口人员提醒教育，并更新办事指南"}))
        steps += [
            (CaseAction.ANSWER, {"note": "您反映的问题已核实整改，感谢监督。"}),
            # The case left at 已回访 is one the rater was not satisfied with: the supervisor's board shows
            # it with 退回重新整改 next to 办结.
            (
                (CaseAction.REVISIT, {"note": "评价人认为问题仍未解决", "revisit_view": RevisitView.UNSATISFIED})
                if stage == CaseStatus.REVISITED
                else (CaseAction.REVISIT, {"note": "评价人认可整改结果", "revisit_view": RevisitView.SATISFIED})
            ),
            (CaseAction.CLOSE, {"note": ""}),
        ]
        target = {
            CaseStatus.OPEN: 0,
            CaseStatus.VERIFIED: 1,
            CaseStatus.RECTIFIED: 2,
            CaseStatus.EXPLAINED: 2,
            CaseStatus.ANSWERED: 3,
            CaseStatus.REVISITED: 4,
            CaseStatus.CLOSED: 5,
        }[CaseStatus(stage)]
        for action, payload in steps[:target]:
            actor = supervisor if action in (CaseAction.REVISIT, CaseAction.CLOSE) and supervisor else staff
            try:
                case = services.case_transition(actor=actor, case=case, action=action, now=now, **payload)
            except HuyingError as exc:
                self.run.warn(f"  整改单 #{case.pk} 停在“{case.get_status_display()}”：{exc.message}")
                return

    def _one_upheld_complaint(self) -> bool:
        if Complaint.objects.filter(status="upheld").exists():
            return False
        for case in RectificationCase.objects.filter(status=CaseStatus.OPEN, complaints__isnull=True).select_related(
            "unit"
        ):
            unit_path = case.unit.path if case.unit is not None else ""
            staff = _first_with(set(UNIT_STAFF_ROLES), unit_path) if unit_path else None
            supervisor = _first_with({Role.SUPERVISOR}, unit_path)
            if staff is None or supervisor is None:
                continue
            complaint = services.complaint_file(
                actor=staff,
                case=case,
                reason=ComplaintReason.MALICIOUS,
                statement="评价人因个人纠纷在窗口无理取闹，监控录像为证，差评与办事服务无关。",
            )
            services.complaint_review(
                actor=supervisor, complaint=complaint, decision="uphold", note="经调阅录像，认定为恶意差评，予以剔除。"
            )
            return True
        return False
