"""The life of one demo appeal after intake: acceptance, dispatch, returns, extensions, suspension,
督办, replies, follow-up calls and re-handling, repeat calls. ``CaseSteps`` is the base of
``appeals_cases.DemoBuilder``; every step goes through ``self.ex`` (the services, or the in-memory
history replay) at a time drawn from the seeded random stream."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from huying.accounts.models import User
from huying.appeals import selectors
from huying.appeals.models import Appeal, Category, TimeLimitRule
from huying.appeals.states import Action, Channel, Resolution, Satisfaction, Status
from huying.organisations.models import Division, OrgUnit

from . import appeals_data as cat
from .appeals_history import HistoryExecutor, ServiceExecutor, Stop
from .appeals_structure import Structure


@dataclass
class Case:
    """The decisions for one appeal, made up front from the random stream."""

    submitted_at: dt.datetime
    leaf: cat.Leaf
    place: tuple[str, str, int, list[str], list[str]]
    channel: str
    stop_at: str | None = None
    flow: str = "dispatch"  # dispatch | answer | refer | refuse | withdraw
    returns: str = ""  # "" | approve | reject
    extension: str = ""  # "" | approve | reject
    suspend: bool = False
    supervise: bool = False
    late: bool = False
    stuck: bool = False
    assist: bool = False
    repeats: int = 0
    neighbour_merge: bool = False
    outcome: str = "satisfied"  # satisfied | basically | partly | unsatisfied
    citizen: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


_PHONE_PREFIXES = "133 135 136 137 138 139 150 151 152 155 157 158 159 176 177 178 180 182 183 185 186 187 188 189 199"


class CaseSteps:
    """Time helpers and the flows of an appeal; the subclass sets these attributes up."""

    rng: random.Random
    now: dt.datetime
    structure: Structure
    operator: User
    supervisor: User
    citizen: User
    handlers: dict[int, User]
    departments: list[OrgUnit]
    ex: ServiceExecutor | HistoryExecutor
    _route_cache: dict[tuple[int, int], OrgUnit]

    def _phone(self) -> str:
        if self.rng.random() < 0.06:
            return f"0543{self.rng.randrange(2000000, 8999999)}"
        return self.rng.choice(_PHONE_PREFIXES.split()) + f"{self.rng.randrange(10**8):08d}"

    def _name(self) -> str:
        return self.rng.choice(cat.SURNAMES) + "".join(self.rng.sample(cat.GIVEN, self.rng.choice([1, 2])))

    def _unit_for(self, category: Category, division: Division) -> OrgUnit:
        key = (category.pk, division.pk)
        if key not in self._route_cache:
            unit = selectors.suggest_unit(category, division)
            assert unit is not None, category
            self._route_cache[key] = unit
        return self._route_cache[key]

    def _handler(self, unit: OrgUnit) -> User:
        return self.handlers[unit.pk]

    def _minutes(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.uniform(lo, hi))

    def _hours(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(lo, hi))

    def _office_hours(self, t: dt.datetime) -> dt.datetime:
        """Move a unit's action into 8:30–18:00 local time (the hotline itself works around the clock)."""
        local = timezone.localtime(t)
        if local.hour < 8:
            local = local.replace(hour=8, minute=30 + self.rng.randrange(30))
        elif local.hour >= 18:
            local = (local + dt.timedelta(days=1)).replace(hour=8, minute=30 + self.rng.randrange(30))
        return local

    def act(self, appeal: Appeal, case: Case, t: dt.datetime, user: Any, action: str, **payload: Any) -> Appeal:
        if t > self.now - dt.timedelta(minutes=2):
            raise Stop
        appeal = self.ex.act(appeal, t, user, action, **payload)
        if case.stop_at and appeal.status == case.stop_at:
            raise Stop
        return appeal

    def sweep(self, appeal: Appeal, t: dt.datetime) -> None:
        self.ex.sweep(appeal, t)

    # cases -----------------------------------------------------------------------------------

    def _intake_flow(self, appeal: Appeal, case: Case) -> None:
        op = self.operator
        t = case.submitted_at + self._minutes(2, 9)
        if case.flow == "answer":
            answer = next(a for c, q, a in cat.CONSULTS if q == appeal.title)
            self.act(appeal, case, t, op, Action.ANSWER, note=answer)
        elif case.flow == "refer":
            target, note = case.extra["refer"]
            self.act(appeal, case, t, op, Action.REFER, note=note, refer_target=target)
        elif case.flow == "refuse":
            self.act(appeal, case, t, op, Action.REFUSE, note=case.extra["refuse"])
        else:
            user = self.citizen if case.citizen else op
            self.act(appeal, case, t, user, Action.WITHDRAW, note="诉求人表示问题已自行解决，申请撤回。")

    def _dispatch_flow(self, appeal: Appeal, case: Case) -> None:
        rng, op = self.rng, self.operator
        hotline = case.channel == Channel.HOTLINE
        t = case.submitted_at + (self._minutes(1, 6) if hotline else self._hours(0.2, 14))
        appeal = self.act(appeal, case, t, op, Action.ACCEPT)
        assert appeal.category is not None and appeal.division is not None
        lead = self._unit_for(appeal.category, appeal.division)
        assists: list[OrgUnit] = []
        if case.assist:
            assists = [rng.choice([u for u in self.departments if u.pk != lead.pk])]
        t += self._minutes(1, 30)
        appeal = self.act(appeal, case, t, op, Action.DISPATCH, lead_unit=lead, assist_units=assists)
        signed = False
        if case.returns:
            appeal, t, alt = self._return_flow(appeal, case, t, lead)
            if alt is not None:
                lead, assists = alt, []  # the re-dispatch replaces every assignment
            else:
                signed = True
        handler = self._handler(lead)
        if not signed:
            late_sign = rng.random() < 0.04
            t += self._hours(25, 50) if late_sign else self._hours(0.2, 6)
            appeal = self.act(appeal, case, t, handler, Action.SIGN)
        if assists:
            t = t_assist = self._office_hours(t + self._hours(1, 6))
            self.ex.assist_report(
                appeal, t_assist, self._handler(assists[0]), assists[0], "协办单位已配合现场核查，意见已反馈主办单位。"
            )
        if case.extension:
            appeal, t = self._extension_flow(appeal, case, t, handler)
        if case.suspend:
            t = self._office_hours(t + self._hours(6, 40))
            appeal = self.act(appeal, case, t, handler, Action.SUSPEND, note="诉求人外出，暂无法入户核实，中止办理。")
            t = self._office_hours(t + self._hours(40, 140))
            appeal = self.act(appeal, case, t, handler, Action.RESUME)
        if case.supervise:
            t += self._hours(2, 20)
            appeal = self.act(
                appeal, case, t, self.supervisor, Action.SUPERVISE, note="请加快办理进度，按时答复诉求人。"
            )
        self._reply_and_follow_up(appeal, case, t, handler)

    def _return_flow(
        self, appeal: Appeal, case: Case, t: dt.datetime, lead: OrgUnit
    ) -> tuple[Appeal, dt.datetime, OrgUnit | None]:
        """The lead unit asks to return the order; returns the unit it goes to instead (None: rejected)."""
        op = self.operator
        t = self._office_hours(t + self._hours(0.5, 8))
        appeal = self.act(
            appeal,
            case,
            t,
            self._handler(lead),
            Action.REQUEST_RETURN,
            note="经核实，该事项属于属地管理范围，不属于本单位职责，申请退回改派。",
        )
        t += self._hours(1, 6)
        if case.returns != "approve":
            appeal = self.act(
                appeal,
                case,
                t,
                op,
                Action.REJECT_RETURN,
                note="经审核，该事项在派单目录中属于贵单位职责，驳回退单，请按时办理。",
            )
            return appeal, t, None
        alt = self._return_target(lead, appeal.division)
        appeal = self.act(
            appeal, case, t, op, Action.APPROVE_RETURN, note=f"经审核同意退单，改派{alt.label}办理。", lead_unit=alt
        )
        return appeal, t, alt

    def _extension_flow(self, appeal: Appeal, case: Case, t: dt.datetime, handler: User) -> tuple[Appeal, dt.datetime]:
        op = self.operator
        t = self._office_hours(t + self._hours(20, 60))
        days = self.rng.choice([3, 5, 5, 7, 10])
        appeal = self.act(
            appeal,
            case,
            t,
            handler,
            Action.REQUEST_EXTENSION,
            note="该事项需协调多个单位现场会商，短期内无法办结，申请延期。",
            extension_days=days,
        )
        t += self._hours(1, 6)
        if case.extension == "approve":
            appeal = self.act(appeal, case, t, op, Action.APPROVE_EXTENSION, note="情况属实，同意延期。")
        else:
            appeal = self.act(appeal, case, t, op, Action.REJECT_EXTENSION, note="延期理由不充分，请按原时限办理。")
        return appeal, t

    def _reply_and_follow_up(self, appeal: Appeal, case: Case, t: dt.datetime, handler: User) -> None:
        rng, op = self.rng, self.operator
        for round_ in range(3):
            due = appeal.due_at
            assert due is not None
            if case.stuck:
                t_reply = self.now + dt.timedelta(days=30)
            elif case.late and round_ == 0:
                t_reply = due + self._hours(4, 100)
            else:
                room = max((due - t).total_seconds(), 3600.0)
                t_reply = t + dt.timedelta(seconds=room * rng.uniform(0.1, 0.85))
                if appeal.time_limit_unit == TimeLimitRule.Unit.WORKDAYS:
                    t_reply = min(self._office_hours(t_reply), due)
            if round_ == 0:
                # After the last step so far: a repeat's history line records the status it found,
                # so it must not fall inside an extension request or a suspension already written.
                self._repeat_calls(appeal, case, t, t_reply)
            for lateness in (dt.timedelta(minutes=2), dt.timedelta(days=1, minutes=2), dt.timedelta(days=3, minutes=2)):
                # Only sweeps after the last step so far, so the history stays in time order.
                if t < due + lateness < min(t_reply, self.now):
                    self.sweep(appeal, due + lateness)
            appeal = self.act(appeal, case, t_reply, handler, Action.REPLY, note=self._reply_text(case))
            if appeal.status == Status.VERIFYING:
                return  # a grid worker's report waits for on-site verification (核查) by the grid
            t = t_reply + self._hours(2, 60)
            outcome = (
                case.outcome if round_ == 0 else rng.choices(["satisfied", "basically", "unsatisfied"], [50, 38, 12])[0]
            )
            resolution, satisfaction = {
                "satisfied": (Resolution.RESOLVED, Satisfaction.SATISFIED),
                "basically": (Resolution.RESOLVED, Satisfaction.BASICALLY),
                "partly": (Resolution.PARTLY, Satisfaction.BASICALLY),
                "unsatisfied": (Resolution.UNRESOLVED, Satisfaction.UNSATISFIED),
            }[outcome]
            follower = self.citizen if case.citizen else op
            appeal = self.act(
                appeal, case, t, follower, Action.FOLLOW_UP, resolution=resolution, satisfaction=satisfaction
            )
            if appeal.status == Status.CLOSED:
                return
            t += self._hours(1, 20)
            if round_ < 2 and rng.random() < 0.7:
                appeal = self.act(
                    appeal, case, t, op, Action.REOPEN, note="回访诉求人表示问题未解决，退回承办单位重新办理。"
                )
                continue
            self.act(
                appeal,
                case,
                t,
                self.supervisor,
                Action.CLOSE,
                note="经督办核实，承办单位已依法依规答复，诉求人要求超出政策规定，予以办结。",
            )
            return

    def _reply_text(self, case: Case) -> str:
        return f"{case.extra['reply']}已电话联系诉求人告知办理结果。"

    def _return_target(self, lead: OrgUnit, division: Division | None) -> OrgUnit:
        """Where a returned order goes: the street office of the place, else another department."""
        div = division
        while div is not None:
            key = cat.STREET_OFFICES.get(div.code)
            if key and self.structure.units[key].pk != lead.pk:
                return self.structure.units[key]
            div = div.parent
        return self.rng.choice([u for u in self.departments if u.pk != lead.pk])

    def _repeat_calls(self, lead: Appeal, case: Case, start: dt.datetime, end: dt.datetime) -> None:
        """The same person calls again while the order is open: the service merges it (并单)."""
        fields = {**case.extra["fields"], "citizen": None, "channel": Channel.HOTLINE}
        last = min(end, self.now - dt.timedelta(minutes=10))
        if last <= start:
            return
        for _ in range(case.repeats if fields["requester_phone"] else 0):
            t = start + (last - start) * self.rng.uniform(0.1, 0.9)
            self.ex.submit_repeat(
                lead=lead, actor=self.operator, at=t, **{**fields, "content": f"再次来电：{lead.content}"}
            )
        if case.neighbour_merge:
            t = start + (last - start) * self.rng.uniform(0.1, 0.9)
            neighbour = self.ex.submit(
                actor=self.operator,
                at=t,
                **{
                    **fields,
                    "requester_name": self._name(),
                    "requester_phone": self._phone(),
                    "requester_id_number": "",
                    "is_anonymous": False,
                    "content": f"邻居反映同一问题：{lead.content}",
                },
            )
            self.ex.act(neighbour, t + self._minutes(1, 5), self.operator, Action.MERGE, merge_into=lead)

    # the irrigation-well caller (seed 004) ------------------------------------------------------
