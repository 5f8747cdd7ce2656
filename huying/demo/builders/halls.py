"""Demo service hall: 滨州市政务服务中心 with 20 comprehensive and 6 special windows, clerks and a hall
manager, about 30 days of finished tickets (morning peak, realistic service times) and a few waiting now.

Idempotent: units, the hall, windows and users are found or created; the history is only generated for a
hall without tickets, and today's queue only when the hall has no ticket today. Runs after the appeals
and the catalogue (without catalogue items every ticket is a 咨询).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.catalogue.models import Bundle, ServiceItem
from huying.halls import services
from huying.halls.models import COMPREHENSIVE_PREFIX, Hall, Ticket, TicketCounter, Window
from huying.halls.states import Channel, Status
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD

HALL_NAME = "滨州市政务服务中心"
HALL_UNIT = "滨州市行政审批服务局"
CITY_UNIT = "滨州市人民政府"
COMPREHENSIVE_WINDOWS = 20
# Special windows (专业窗口): label, queue letter, unit names tried in order (the first is created if none exist).
SPECIAL_WINDOWS = [
    ("公安", "B", ["滨州市公安局"]),
    ("不动产", "C", ["滨州市不动产登记中心", "滨州市自然资源和规划局"]),
    ("人社", "D", ["滨州市人力资源和社会保障局"]),
    ("医保", "E", ["滨州市医疗保障局"]),
    ("税务", "F", ["国家税务总局滨州市税务局"]),
    ("公积金", "G", ["滨州市住房公积金管理中心"]),
]
CLERKS = [("chuangkou1", "综合窗口一"), ("chuangkou2", "综合窗口二"), ("chuangkou3", "综合窗口三")]
MANAGER = ("dating", "大厅管理员")

# Arrivals per hour over the working day (local time): the morning peak, lunch, a smaller afternoon rise.
ARRIVAL_PROFILE = [
    (dt.time(8, 30), dt.time(9, 0), 40),
    (dt.time(9, 0), dt.time(10, 0), 95),
    (dt.time(10, 0), dt.time(11, 0), 80),
    (dt.time(11, 0), dt.time(11, 45), 45),
    (dt.time(13, 30), dt.time(14, 30), 35),
    (dt.time(14, 30), dt.time(15, 30), 50),
    (dt.time(15, 30), dt.time(17, 0), 30),
]
CONSULT_SHARE = 0.15
BUNDLE_SHARE = 0.06
NO_SHOW_SHARE = 0.03
CANCEL_SHARE = 0.02


def _unit(name: str, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit.objects.filter(name=name).order_by("pk").first()
    if unit is None:
        unit = org_unit_create(name=name, kind=OrgUnit.Kind.DEPARTMENT, parent=parent)
    return unit


def _service_minutes(rng: random.Random, kind: str) -> float:
    """Lognormal service times: 咨询 ~6 min, an item ~10 min, a bundle ~18 min (a long right tail)."""
    mean = {"consult": 6.0, "item": 10.0, "bundle": 18.0}[kind]
    sigma = 0.55
    return max(1.0, rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))


def build(run: DemoRun) -> None:
    _HallDemo(run).build()


class _HallDemo:
    def __init__(self, run: DemoRun):
        self.run = run

    def build(self) -> None:
        rng = random.Random(2026)
        days = self.run.hall_days
        with transaction.atomic():
            hall, windows, special_units = self._structure()
            users = self._users(hall)
        items = list(ServiceItem.objects.filter(is_active=True).select_related("unit"))
        bundles = list(Bundle.objects.filter(is_active=True))
        if not items:
            self.run.write("服务目录中还没有事项，演示排队号均为“咨询”（先生成目录的演示数据可得到按事项的排队号）。")
        if Ticket.objects.filter(hall=hall).exclude(day=timezone.localdate()).exists():
            self.run.write(f"{hall.name} 已有历史排队号，跳过生成历史数据。")
        else:
            with transaction.atomic():
                count = self._history(hall, windows, special_units, items, bundles, users, rng, days)
            self.run.write(f"已生成 {count} 个历史排队号（近 {days} 天工作日）。")
        if not Ticket.objects.filter(hall=hall, day=timezone.localdate()).exists():
            self._today(hall, windows, items, users, rng)
        self.run.write(
            self.run.success(
                f"{hall.name}：取号 /hall/{hall.pk}/take/ · 叫号屏 /hall/{hall.pk}/display/ · "
                f"运行数据 /hall/{hall.pk}/figures/（dating）· 窗口 /hall/windows/（chuangkou1..3），密码 {DEMO_PASSWORD}"
            )
        )

    # --- structure ---------------------------------------------------------------------------------

    def _structure(self) -> tuple[Hall, list[Window], dict[str, OrgUnit]]:
        city = OrgUnit.objects.filter(name=CITY_UNIT).order_by("pk").first()
        shenpi = _unit(HALL_UNIT, city)
        hall = Hall.objects.filter(name=HALL_NAME).first() or Hall.objects.create(
            name=HALL_NAME, unit=shenpi, address="滨州市滨城区黄河五路"
        )
        windows: list[Window] = []
        for n in range(1, COMPREHENSIVE_WINDOWS + 1):
            w, _ = Window.objects.get_or_create(
                hall=hall, number=n, defaults={"label": f"综合受理{n}", "kind": Window.Kind.COMPREHENSIVE}
            )
            windows.append(w)
        special_units: dict[str, OrgUnit] = {}
        for i, (label, letter, names) in enumerate(SPECIAL_WINDOWS):
            unit = next((u for u in (OrgUnit.objects.filter(name=n).first() for n in names) if u), None)
            unit = unit or _unit(names[0], city)
            w, created = Window.objects.get_or_create(
                hall=hall,
                number=COMPREHENSIVE_WINDOWS + 1 + i,
                defaults={"label": label, "kind": Window.Kind.SPECIAL, "prefix": letter},
            )
            if created:
                w.units.add(unit)
            windows.append(w)
            special_units[letter] = unit
        return hall, windows, special_units

    def _users(self, hall: Hall) -> list[User]:
        password = make_password(DEMO_PASSWORD)
        clerks = []
        for username, name in [*CLERKS, MANAGER]:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(username=username, display_name=name, password=password)
            role = Role.HALL_MANAGER if username == MANAGER[0] else Role.CLERK
            RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=hall.unit)
            if role == Role.CLERK:
                clerks.append(user)
        return clerks

    # --- history -----------------------------------------------------------------------------------

    def _history(
        self,
        hall: Hall,
        windows: list[Window],
        special_units: dict[str, OrgUnit],
        items: list[ServiceItem],
        bundles: list[Bundle],
        clerks: list[User],
        rng: random.Random,
        days: int,
    ) -> int:
        letter_of_unit = {u.pk: letter for letter, u in special_units.items()}
        comprehensive = [w for w in windows if w.kind == Window.Kind.COMPREHENSIVE]
        special_by_unit: dict[int, list[Window]] = {}
        for w in windows:
            if w.kind == Window.Kind.SPECIAL:
                for u in w.units.all():
                    special_by_unit.setdefault(u.pk, []).append(w)
        # Popular items get most of the visits (a Zipf-like weight by position).
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(items))]
        today = timezone.localdate()
        rows: list[Ticket] = []
        counters: list[TicketCounter] = []
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            if day.weekday() >= 5:
                continue
            day_rows = self._day(
                hall, day, comprehensive, special_by_unit, letter_of_unit, items, weights, bundles, clerks, rng
            )
            rows.extend(day_rows)
            last: dict[str, int] = {}
            for t in day_rows:
                last[t.number[:1]] = max(last.get(t.number[:1], 0), int(t.number[1:]))
            counters.extend(TicketCounter(hall=hall, day=day, prefix=p, last=n) for p, n in last.items())
        Ticket.objects.bulk_create(rows, batch_size=1000)
        TicketCounter.objects.bulk_create(counters, ignore_conflicts=True)
        return len(rows)

    def _day(
        self,
        hall: Hall,
        day: dt.date,
        comprehensive: list[Window],
        special_by_unit: dict[int, list[Window]],
        letter_of_unit: dict[int, str],
        items: list[ServiceItem],
        weights: list[float],
        bundles: list[Bundle],
        clerks: list[User],
        rng: random.Random,
    ) -> list[Ticket]:
        tz = timezone.get_current_timezone()
        volume = rng.uniform(0.85, 1.15) * (1.15 if day.weekday() == 0 else 1.0)  # Mondays are busier
        arrivals: list[dt.datetime] = []
        for start, end, per_hour in ARRIVAL_PROFILE:
            t = dt.datetime.combine(day, start, tzinfo=tz)
            stop = dt.datetime.combine(day, end, tzinfo=tz)
            while True:
                t += dt.timedelta(hours=rng.expovariate(per_hour * volume))
                if t >= stop:
                    break
                arrivals.append(t)
        # Each window's next free time; a ticket goes to the eligible window that frees first (FCFS).
        window_by_pk = {w.pk: w for w in comprehensive} | {w.pk: w for ws in special_by_unit.values() for w in ws}
        opening = dt.datetime.combine(day, dt.time(8, 30), tzinfo=tz)
        free: dict[int, dt.datetime] = dict.fromkeys(window_by_pk, opening)
        # Not every comprehensive window is staffed every day (leave, training): 14 to 18 of the 20.
        staffed = rng.sample(comprehensive, min(len(comprehensive), rng.randint(14, 18)))
        seq: dict[str, int] = {}
        rows: list[Ticket] = []
        for taken in arrivals:
            roll = rng.random()
            item = bundle = None
            if items and roll >= CONSULT_SHARE + BUNDLE_SHARE:
                item = rng.choices(items, weights)[0]
            elif bundles and roll >= CONSULT_SHARE:
                bundle = rng.choice(bundles)
            kind = "item" if item else "bundle" if bundle else "consult"
            unit_id = item.unit_id if item else None
            prefix = letter_of_unit.get(unit_id, COMPREHENSIVE_PREFIX) if unit_id else COMPREHENSIVE_PREFIX
            seq[prefix] = seq.get(prefix, 0) + 1
            ticket = Ticket(
                hall=hall,
                day=day,
                number=f"{prefix}{seq[prefix]:03d}",
                item=item,
                bundle=bundle,
                unit_id=unit_id,
                channel=rng.choices([Channel.KIOSK, Channel.MOBILE, Channel.APPOINTMENT], [70, 20, 10])[0],
                phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
                taken_at=taken,
            )
            fate = rng.random()
            if fate < CANCEL_SHARE:
                ticket.status = Status.CANCELLED
                ticket.finished_at = taken + dt.timedelta(minutes=rng.uniform(2, 20))
                rows.append(ticket)
                continue
            eligible = [w.pk for w in staffed] + [w.pk for w in special_by_unit.get(unit_id or 0, [])]
            window_pk = min(eligible, key=lambda pk: free[pk])
            called = max(taken, free[window_pk]) + dt.timedelta(seconds=rng.uniform(5, 40))
            ticket.window = window_by_pk[window_pk]
            ticket.clerk = rng.choice(clerks)
            ticket.called_at = ticket.announced_at = called
            if fate < CANCEL_SHARE + NO_SHOW_SHARE:
                ticket.status = Status.NO_SHOW
                ticket.finished_at = called + dt.timedelta(minutes=2)
            else:
                ticket.status = Status.DONE
                ticket.started_at = called + dt.timedelta(seconds=rng.uniform(20, 90))
                ticket.finished_at = ticket.started_at + dt.timedelta(minutes=_service_minutes(rng, kind))
            free[window_pk] = ticket.finished_at
            rows.append(ticket)
        return rows

    # --- now ---------------------------------------------------------------------------------------

    def _today(
        self, hall: Hall, windows: list[Window], items: list[ServiceItem], clerks: list[User], rng: random.Random
    ) -> None:
        now = timezone.now()
        # The numbers were taken over the last 16 minutes, squeezed after midnight when the command runs
        # just after it, so that all of them (and the calls) stay on today's queue.
        midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))
        span = min(dt.timedelta(minutes=16), now - midnight)
        taken = []
        for i in range(8):
            item = rng.choice(items) if items and i % 3 else None
            taken.append(
                services.ticket_take(hall=hall, item=item, now=now - span * (16 - 2 * i) / 16, channel=Channel.KIOSK)
            )
        # Two of them are at windows already, so the display shows calls.
        for window, clerk in zip(windows[:2], clerks[:2], strict=True):
            services.window_call_next(window=window, clerk=clerk, now=now - span / 16)
        self.run.write(f"今天的排队：{len(taken)} 个号，其中 2 个已叫号。")
