"""Demo 办件: window clerks, a reviewer per reviewing department, an agent, ~200 applications over
the last three months in every status (run through the services with explicit times), and an
investment project whose 社会投资简易低风险项目 application is in review. Idempotent: staff are
found or created; applications are only generated when fewer than 100 exist (--force adds more).
Needs the demo catalogue; without items it says so and does nothing."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.applications import integrations, services
from huying.applications.models import Application, Project, ProxyAuthorisation, ReviewTask
from huying.applications.states import Action, ApplicantKind, Status, TaskStatus
from huying.catalogue.models import Bundle, FormField, ReviewStep, ServiceItem
from huying.core.errors import HuyingError
from huying.core.notify import sms_muted
from huying.core.validators import id_check_char, uscc_check_char
from huying.organisations.models import OrgUnit

from ..registry import DemoRun
from . import catalogue_data
from .appeals_structure import DEMO_PASSWORD

HALL_UNIT = "滨州市行政审批服务局"
BUSINESS_LICENCE = "11100000MB0153120E001"
ID_CARD = "11100000000013127D001"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海燕", "明", "静", "磊", "婷", "洋", "桂兰", "国华", "淑珍", "伟", "敏"]
COMPANIES = [
    "滨州鲁北化工",
    "邹平宏达纺织",
    "滨城黄河食品",
    "博兴厨具制造",
    "惠民绳网",
    "无棣海丰物流",
    "阳信牧原肉业",
    "沾化冬枣合作社",
]
# 惠民地区 county codes, valid for people born before Binzhou became a city (2000).
COUNTIES = ["372321", "372323", "372324", "372325", "372328", "372330"]
# Target statuses and their weights in the demo.
TARGETS = [
    (Status.RECEIVED, 4),
    (Status.CORRECTION_REQUESTED, 5),
    (Status.REJECTED, 4),
    (Status.WITHDRAWN, 3),
    (Status.ACCEPTED_WITH_PROMISE, 6),
    (Status.IN_REVIEW, 14),
    (Status.SPECIAL_PROCEDURE, 4),
    (Status.APPROVED, 8),
    (Status.REFUSED, 5),
    (Status.ISSUED, 22),
    (Status.CLOSED, 25),
]


def _id_number(rng: random.Random) -> str:
    body = f"{rng.choice(COUNTIES)}{rng.randint(1950, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + id_check_char(body)


def _uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first = "913716" + "".join(rng.choice(alphabet) for _ in range(11))
    return first + uscc_check_char(first)


def build(run: DemoRun) -> None:
    with sms_muted():  # made-up applicants' phones: no rating links or notices texted to them
        _ApplicationDemo(run).build()


class _ApplicationDemo:
    def __init__(self, run: DemoRun):
        self.run = run

    def build(self) -> None:
        started = time.monotonic()
        if not ServiceItem.objects.filter(is_active=True).exists():
            self.run.write("办件演示数据：事项目录为空，未生成办件。")
            return
        self.rng = random.Random(2026)
        first_item = ServiceItem.objects.filter(is_active=True).select_related("unit").first()
        assert first_item is not None
        self.hall_unit = hall_unit = OrgUnit.objects.filter(name=HALL_UNIT).order_by("pk").first() or first_item.unit
        self.clerks = [self._user(f"chuangkou{n}", f"综合窗口{n}号", Role.CLERK, hall_unit) for n in (1, 2, 3)]
        self.agent = self._user("bangban1", "帮办代办员小刘", Role.AGENT, hall_unit)
        self.reviewers = self._reviewers()
        existing = Application.objects.count()
        if existing >= 100:
            self.run.write(f"办件演示数据：已有 {existing} 件办件，未重复生成。")
            return
        self.now = timezone.now()
        self._holders()
        made = 0
        self.items = list(ServiceItem.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        self.bundles = list(Bundle.objects.filter(is_active=True).order_by("pk"))
        with transaction.atomic():  # one commit (SQLite syncs on each); a savepoint per application
            for n in range(max(self.run.applications, 0)):
                try:
                    with transaction.atomic():
                        self._one(n)
                    made += 1
                except HuyingError as exc:  # an item whose demo data does not fit: skip it, say why
                    self.run.warn(f"  跳过一件：{exc.message} {getattr(exc, 'data', '')}")
            self._project()
        self.run.write(
            f"办件演示数据：新增 {made} 件（窗口 chuangkou1..3，审批 {len(self.reviewers)} 个部门，帮办 bangban1，"
            f"密码 {DEMO_PASSWORD}），用时 {time.monotonic() - started:.1f} 秒。"
        )

    # --- people ------------------------------------------------------------------------------

    def _user(self, username: str, display: str, role: str, unit: OrgUnit) -> User:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)
        return user

    def _reviewers(self) -> dict[int, User]:
        keys = {name: key for key, (name, *_rest) in catalogue_data.UNITS.items()}
        unit_ids = set(ReviewStep.objects.values_list("unit_id", flat=True)) | set(
            ServiceItem.objects.filter(is_active=True).values_list("unit_id", flat=True)
        )
        reviewers: dict[int, User] = {}
        for unit in OrgUnit.objects.filter(pk__in=unit_ids).order_by("pk"):
            key = keys.get(unit.name, f"u{unit.pk}")
            reviewers[unit.pk] = self._user(
                f"shenpi_{key}", f"{unit.short_name or unit.name}审批员", Role.REVIEWER, unit
            )
        return reviewers

    def _holders(self) -> None:
        """Some demo enterprises and people hold e-licences, so their materials need no paper."""
        rng = random.Random(7)
        self.enterprises = [(f"{name}有限公司", _uscc(rng)) for name in COMPANIES]
        self.people = [(rng.choice(SURNAMES) + rng.choice(GIVEN), _id_number(rng)) for _ in range(30)]
        issuer = OrgUnit.objects.filter(name="滨州市市场监督管理局").first() or self.hall_unit
        police = OrgUnit.objects.filter(name="滨州市公安局").first() or issuer
        for index, (name, code) in enumerate(self.enterprises):
            if index % 2 == 0 and not integrations.held_licence_identifier(code, BUSINESS_LICENCE):
                self._try_issue(BUSINESS_LICENCE, code, name, issuer)
        for index, (name, code) in enumerate(self.people):
            if index % 3 == 0 and not integrations.held_licence_identifier(code, ID_CARD):
                self._try_issue(ID_CARD, code, name, police)

    def _try_issue(self, type_code: str, code: str, name: str, unit: OrgUnit) -> None:
        try:
            with transaction.atomic():
                integrations.issue_result_licence(
                    type_code=type_code, holder_code=code, holder_name=name, unit=unit, source_ref="demo"
                )
        except HuyingError:
            pass

    # --- applications --------------------------------------------------------------------------

    def _form(self, fields: Any, applicant: tuple[str, str, str]) -> dict[str, str]:
        kind, name, code = applicant
        data: dict[str, str] = {}
        for f in fields:
            if f.kind == FormField.Kind.ID_NUMBER:
                data[f.key] = code if kind == ApplicantKind.PERSON else _id_number(self.rng)
            elif f.kind == FormField.Kind.CREDIT_CODE:
                data[f.key] = code if kind == ApplicantKind.ENTERPRISE else _uscc(self.rng)
            elif f.kind == FormField.Kind.PHONE:
                data[f.key] = f"138{self.rng.randint(10000000, 99999999)}"
            elif f.kind == FormField.Kind.DATE:
                data[f.key] = (self.now.date() - dt.timedelta(days=self.rng.randint(1, 300))).isoformat()
            elif f.kind == FormField.Kind.NUMBER:
                data[f.key] = str(self.rng.randint(1, 50))
            elif f.kind == FormField.Kind.CHOICE and f.choices:
                data[f.key] = f.choices.split("|")[0].strip()
            else:
                data[f.key] = name if "名称" in f.label or "姓名" in f.label else f"{f.label}（演示）"
        return data

    def _applicant(self, item: ServiceItem | None) -> tuple[str, str, str]:
        person = item is not None and item.applicant_kind == ServiceItem.ApplicantKind.PERSON
        if item is not None and item.applicant_kind == ServiceItem.ApplicantKind.BOTH:
            person = self.rng.random() < 0.5
        if person:
            name, code = self.rng.choice(self.people)
            return ApplicantKind.PERSON, name, code
        name, code = self.rng.choice(self.enterprises)
        return ApplicantKind.ENTERPRISE, name, code

    def _at(self, base: dt.datetime, *, days: float) -> dt.datetime | None:
        at = base + dt.timedelta(days=days, minutes=self.rng.randint(5, 240))
        return at if at < self.now - dt.timedelta(minutes=5) else None

    def _one(self, n: int) -> None:
        rng = self.rng
        bundle = rng.choice(self.bundles) if self.bundles and rng.random() < 0.12 else None
        item = None if bundle is not None else ServiceItem.objects.get(pk=rng.choice(self.items))
        plan = services.plan_for(item=item, bundle=bundle)
        applicant = self._applicant(item if item is not None else plan.items[0])
        target = rng.choices([s for s, _w in TARGETS], weights=[w for _s, w in TARGETS])[0]
        # Receipts still waiting at the window are recent: older ones were deemed accepted by the sweep.
        days_ago = rng.uniform(0.05, 1.5) if target == Status.RECEIVED else rng.uniform(0.2, 90)
        local = timezone.localtime(self.now - dt.timedelta(days=days_ago))
        t0 = local.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
        if t0 >= self.now:
            t0 = self.now - dt.timedelta(hours=1)
        clerk = rng.choice(self.clerks)
        materials = {m.key: "provided" for m in plan.materials}
        app = services.application_receive(
            actor=clerk,
            item=item,
            bundle=bundle,
            channel="window",
            applicant_kind=applicant[0],
            applicant_name=applicant[1],
            applicant_code=applicant[2],
            applicant_phone=f"139{rng.randint(10000000, 99999999)}",
            form_data=self._form(plan.fields, applicant),
            materials=materials if target != Status.CORRECTION_REQUESTED else None,
            ticket_number=f"A{rng.randint(1, 180):03d}",
            now=t0,
        )
        if target != Status.RECEIVED:
            self._walk(app, clerk, t0, target, materials)

    def _walk(self, app: Application, clerk: User, t0: dt.datetime, target: str, materials: dict[str, str]) -> None:
        """Take a received application on towards ``target`` (as far as its times lie in the past)."""
        rng, act = self.rng, self._act
        if target == Status.CORRECTION_REQUESTED:
            missing = {m.key: {"status": "missing"} for m in list(app.materials.all())[:2]}
            act(clerk, app, Action.REQUEST_CORRECTION, t0, materials=missing, reasons={})
            if rng.random() < 0.5 and (at := self._at(t0, days=rng.randint(1, 5))):
                act(clerk, app, Action.RESUBMIT, at, materials=materials)
                act(clerk, app, Action.ACCEPT, at)
                act(clerk, app, Action.START_REVIEW, at)
                self._review(app, at, finish=rng.random() < 0.6)
            return
        if target == Status.REJECTED:
            act(clerk, app, Action.REJECT, t0, note="申请事项不属于本机关职权范围，请向有关行政机关申请。")
            return
        if target == Status.WITHDRAWN:
            act(clerk, app, Action.WITHDRAW, t0, note="申请人主动撤回。")
            return
        if not self._accept(app, clerk, t0, target):
            return
        act(clerk, app, Action.START_REVIEW, t0)
        if target in (Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW):
            self._review(app, t0, finish=False)
            if target == Status.IN_REVIEW and self.rng.random() < 1 / 3:
                self._extend(app, t0)
            return
        if target == Status.SPECIAL_PROCEDURE:
            self._special(app, t0)
            return
        decided = self._review(app, t0, finish=True, refuse=target == Status.REFUSED)
        if decided is not None and target not in (Status.APPROVED, Status.REFUSED):
            self._issue(app, clerk, decided, close=target == Status.CLOSED)

    def _accept(self, app: Application, clerk: User, t0: dt.datetime, target: str) -> bool:
        """Accept (容缺受理 with a promised material when that is the target); False: accepted and under review."""
        rng, act = self.rng, self._act
        if target != Status.ACCEPTED_WITH_PROMISE or not app.materials.exists():
            act(clerk, app, Action.ACCEPT, t0)
            return True
        paper = app.materials.exclude(status="e_licence").order_by("-sort").first()
        if paper is None:
            act(clerk, app, Action.ACCEPT, t0)
            act(clerk, app, Action.START_REVIEW, t0)
            return False
        promise = (timezone.localtime(t0) + dt.timedelta(days=rng.randint(3, 15))).date()
        if promise < timezone.localdate(self.now):
            promise = timezone.localdate(self.now) + dt.timedelta(days=rng.randint(1, 7))
        act(
            clerk,
            app,
            Action.ACCEPT_WITH_PROMISE,
            t0,
            materials={paper.key: {"status": "promised", "promised_by": promise}},
        )
        return True

    def _special(self, app: Application, t0: dt.datetime) -> None:
        """A special procedure (现场勘查, 专家评审...) started on the active task, sometimes ended."""
        rng, act = self.rng, self._act
        task = app.tasks.filter(status=TaskStatus.ACTIVE).select_related("unit").first()
        if task is None or not (at := self._at(t0, days=1)):
            return
        act(
            self.reviewers.get(task.unit_id),
            app,
            Action.START_SPECIAL,
            at,
            kind=rng.choice(["site_survey", "expert_review", "hearing", "testing", "publicity"]),
            note="依法需要现场勘查/专家评审，已书面告知申请人，所需时间不计入承诺时限。",
        )
        if rng.random() < 0.4 and (end := self._at(at, days=rng.randint(2, 6))):
            act(self.reviewers.get(task.unit_id), app, Action.END_SPECIAL, end, result="符合要求。")

    def _issue(self, app: Application, clerk: User, decided: dt.datetime, *, close: bool) -> None:
        rng, act = self.rng, self._act
        at = self._at(decided, days=rng.randint(0, 4))
        if at is None:
            return
        if rng.random() < 0.3:
            act(
                clerk,
                app,
                Action.ISSUE,
                at,
                method="post",
                tracking_number=f"SF{rng.randint(10**11, 10**12 - 1)}",
                postal_address="山东省滨州市滨城区黄河五路" + str(rng.randint(1, 800)) + "号",
            )
        else:
            act(clerk, app, Action.ISSUE, at, method="window")
        if close and (end := self._at(at, days=rng.randint(0, 3))):
            act(clerk, app, Action.CLOSE, end)

    def _extend(self, app: Application, start: dt.datetime) -> None:
        """Some applications still in review had their limit extended (行政许可法 Art. 42) while it ran."""
        app.refresh_from_db()
        task = app.tasks.filter(status=TaskStatus.ACTIVE).first()
        at = self._at(start, days=1)
        reviewer = self.reviewers.get(task.unit_id) if task is not None else None
        if reviewer is None or at is None or app.status != Status.IN_REVIEW or app.due_at is None or at >= app.due_at:
            return
        self._act(
            reviewer,
            app,
            Action.EXTEND,
            at,
            days=15 if app.bundle_id else 10,
            approved_by="刘局长",
            note="需征求相关部门意见并现场核查，承诺时限内无法作出决定。",
        )

    def _act(self, actor: User | None, app: Application, action: str, at: dt.datetime, **payload: Any) -> None:
        services.application_transition(actor=actor, application=app.pk, action=action, now=at, **payload)
        app.refresh_from_db()

    def _review(
        self, app: Application, start: dt.datetime, *, finish: bool, refuse: bool = False
    ) -> dt.datetime | None:
        """Decide the tasks stage by stage (some late); stop early unless ``finish``. Returns the decision time."""
        at = start
        stages = sorted(set(app.tasks.values_list("stage", flat=True)))
        for index, stage in enumerate(stages):
            last_stage = index == len(stages) - 1
            tasks = list(
                ReviewTask.objects.filter(application=app, stage=stage, status=TaskStatus.ACTIVE).order_by("pk")
            )
            if not finish and (last_stage or self.rng.random() < 0.5):
                return None
            for pos, task in enumerate(tasks):
                step_at = self._at(at, days=self.rng.uniform(0.1, task.days * 1.3 + 0.5))
                if step_at is None:
                    return None
                reviewer = self.reviewers.get(task.unit_id)
                if reviewer is None:
                    return None
                no = refuse and last_stage and pos == len(tasks) - 1
                services.review_task_decide(
                    actor=reviewer,
                    task=task,
                    approve=not no,
                    now=step_at,
                    opinion="申请材料中的场所平面图与现场不符，不符合许可条件。" if no else "经审查，符合条件，同意。",
                )
                at = step_at
        app.refresh_from_db()
        return app.decided_at

    # --- project butler --------------------------------------------------------------------------

    def _project(self) -> None:
        bundle = (
            Bundle.objects.filter(code="jianyi-dixian", is_active=True).first()
            or Bundle.objects.filter(name__contains="简易低风险").first()
        )
        if bundle is None or Project.objects.filter(code="2026-371602-34-03-000001").exists():
            return
        name, code = "滨州鲁北新材料有限公司", _uscc(random.Random(99))
        start = self.now - dt.timedelta(days=6)
        project = services.project_create(
            actor=self.agent,
            name="鲁北新材料标准厂房项目",
            code="2026-371602-34-03-000001",
            enterprise_name=name,
            enterprise_credit_code=code,
            now=start,
        )
        proxy = ProxyAuthorisation.objects.filter(
            agent=self.agent, principal_code=code
        ).first() or services.proxy_authorise(
            actor=self.agent,
            agent=self.agent,
            principal_kind="enterprise",
            principal_name=name,
            principal_code=code,
            scope="社会投资简易低风险项目审批全流程帮办代办",
            valid_until=timezone.localdate(self.now) + dt.timedelta(days=180),
            now=start,
        )
        plan = services.plan_for(bundle=bundle)
        app = services.application_receive(
            actor=self.clerks[0],
            bundle=bundle,
            applicant_kind="enterprise",
            applicant_name=name,
            applicant_code=code,
            applicant_phone="13905431234",
            form_data=self._form(plan.fields, ("enterprise", name, code)),
            materials={m.key: "provided" for m in plan.materials},
            proxy=proxy,
            project=project,
            now=start,
        )
        self._act(self.clerks[0], app, Action.ACCEPT, start)
        self._act(self.clerks[0], app, Action.START_REVIEW, start)
        first = app.tasks.filter(status=TaskStatus.ACTIVE).select_related("unit").first()
        if first is not None and first.unit_id in self.reviewers:
            services.review_task_decide(
                actor=self.reviewers[first.unit_id],
                task=first,
                approve=True,
                opinion="同意。",
                now=start + dt.timedelta(days=1),
            )
