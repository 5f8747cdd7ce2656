"""Reading the volunteer pages' form fields (times, skill lists, availability) and the organiser's
forms (projects, teams, stations, activities, the duty roster, training)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms as dj
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.forms import UnitChoiceField
from huying.organisations.models import OrgUnit

from .. import matching, selectors, skills
from ..activity_models import Project
from ..models import Station, Volunteer


def parse_local(value: str | None) -> dt.datetime | None:
    """A ``datetime-local`` field as an aware datetime in the site's zone, or None."""
    try:
        naive = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def skill_codes(data: QueryDict) -> list[str]:
    return [code for code in data.getlist("skills") if code][:20]


def availability(data: QueryDict) -> int:
    """Checked boxes named ``slot`` with values ``<weekday>-<part>``."""
    bits = 0
    for value in data.getlist("slot"):
        day, _sep, part = value.partition("-")
        if day.isdigit() and part.isdigit() and int(day) < 7 and int(part) < matching.SLOTS_PER_DAY:
            bits |= 1 << (int(day) * matching.SLOTS_PER_DAY + int(part))
    return bits


def checked(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


def version_of(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else -1


SKILL_TREE = skills.SKILL_TREE
DAYS = ["一", "二", "三", "四", "五", "六", "日"]


# --- the organiser's forms (Django forms: the services decide, their refusals come back on the fields)


class VolunteerRef(dj.CharField):
    """A volunteer typed as 志愿者编号 or phone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("志愿者编号或手机号。"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        found = selectors.volunteer_by_ref(text)
        if found is None:
            raise dj.ValidationError(_("没有找到这名在册志愿者，请核对编号或手机号。"))
        return found


class _UnitForm(dj.Form):
    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, UnitChoiceField):
                field.queryset = units


class ProjectForm(_UnitForm):
    name = dj.CharField(label=_("项目名称"), max_length=100)
    kind = dj.ChoiceField(label=_("项目类型"), choices=Project.Kind.choices)
    owner = UnitChoiceField(label=_("项目负责单位"), queryset=OrgUnit.objects.none())
    target_group = dj.CharField(label=_("服务对象"), max_length=100, help_text=_("如：独居老人、留守儿童、困难家庭。"))
    description = dj.CharField(label=_("项目简介"), required=False, widget=dj.Textarea(attrs={"rows": 2}))


class TeamForm(_UnitForm):
    name = dj.CharField(label=_("队伍名称"), max_length=100)
    org_unit = UnitChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.none())
    station = dj.ModelChoiceField(label=_("所在阵地"), queryset=Station.objects.none(), required=False)
    speciality = dj.CharField(label=_("服务方向"), max_length=100, required=False)
    leader = VolunteerRef(label=_("队长"), required=False)

    def __init__(self, *args: Any, units: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]


class StationForm(_UnitForm):
    name = dj.CharField(label=_("阵地名称"), max_length=100)
    level = dj.ChoiceField(label=_("层级"), choices=Station.Level.choices)
    parent = dj.ModelChoiceField(label=_("上级阵地"), queryset=Station.objects.none(), required=False)
    org_unit = UnitChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.none())
    address = dj.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: Any, units: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["parent"].queryset = stations  # type: ignore[attr-defined]


class ActivityForm(_UnitForm):
    title = dj.CharField(label=_("活动名称"), max_length=100)
    org_unit = UnitChoiceField(label=_("组织单位"), queryset=OrgUnit.objects.none())
    project = dj.ModelChoiceField(label=_("所属项目"), queryset=Project.objects.none(), required=False)
    address = dj.CharField(label=_("活动地点"), max_length=200)
    starts_at = dj.DateTimeField(label=_("开始时间"), widget=dj.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = dj.DateTimeField(label=_("结束时间"), widget=dj.DateTimeInput(attrs={"type": "datetime-local"}))
    capacity = dj.IntegerField(label=_("招募人数"), min_value=1, max_value=10_000)
    monthly_day = dj.IntegerField(
        label=_("每月固定日"), required=False, min_value=1, max_value=28,
        help_text=_("如每月17日的流动微服务：填17，并填写连续举办的月数；留空为单次活动。"),
    )  # fmt: skip
    months = dj.IntegerField(label=_("连续月数"), required=False, min_value=1, max_value=24, initial=1)

    def __init__(self, *args: Any, units: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class ShiftForm(_UnitForm):
    hall = UnitChoiceField(label=_("服务大厅"), queryset=OrgUnit.objects.none())
    volunteer = VolunteerRef(label=_("值班志愿者"))
    starts_at = dj.DateTimeField(label=_("开始时间"), widget=dj.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = dj.DateTimeField(label=_("结束时间"), widget=dj.DateTimeInput(attrs={"type": "datetime-local"}))


class SwapForm(dj.Form):
    to = VolunteerRef(label=_("换班给"))


class CourseForm(_UnitForm):
    name = dj.CharField(label=_("课程名称"), max_length=100)
    org_unit = UnitChoiceField(label=_("举办单位"), queryset=OrgUnit.objects.none())
    held_at = dj.DateTimeField(label=_("授课时间"), widget=dj.DateTimeInput(attrs={"type": "datetime-local"}))
    hours = dj.DecimalField(label=_("学时"), max_digits=4, decimal_places=1, min_value=Decimal("0.5"), initial=2)


class AttendanceForm(dj.Form):
    people = dj.CharField(
        label=_("到课志愿者"), widget=dj.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个志愿者编号或手机号；同一人重复登记只计一次。"),
    )  # fmt: skip

    def clean_people(self) -> list[Volunteer]:
        refs = [r.strip() for r in self.cleaned_data["people"].replace("，", "\n").replace(",", "\n").splitlines()]
        found, unknown = [], []
        for ref in filter(None, refs):
            volunteer = selectors.volunteer_by_ref(ref)
            if volunteer is None:
                unknown.append(ref)
            else:
                found.append(volunteer)
        if unknown:
            raise dj.ValidationError(_("没有找到这些志愿者：%(refs)s") % {"refs": "、".join(unknown[:10])})
        return found
